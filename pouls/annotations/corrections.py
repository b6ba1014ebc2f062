"""Analysts' corrections of the themes found in a text, and the theme chips pages show.

An analyst or admin of the text's perimeter confirms (✓) or withdraws (✗) a theme the
analysis found, or adds one it missed. The views check the role (``get_for_user_or_404``
with ``"analyze"``); every read goes through ``for_user``.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from pouls.annotations.models import ThemeCorrection, ThemeMention
from pouls.annotations.tasks import request_learning
from pouls.feedback.models import Feedback

ChipState = Literal["found", "confirmed", "withdrawn", "added"]


@dataclass(frozen=True)
class ThemeChip:
    theme: str
    label: str
    state: ChipState  # found by the analysis (and confirmed or withdrawn), or added
    polarity: str  # of the analysis' mention; "" for an added theme


@dataclass(frozen=True)
class TextThemes:
    chips: tuple[ThemeChip, ...]
    missing: tuple[tuple[str, str], ...]  # (id, French label) of the themes one may add


@functools.cache
def theme_choices() -> tuple[tuple[str, str], ...]:
    """(id, French label) of the detectable themes of the taxonomy, by label."""
    from pouls_analysis.themes.taxonomy import load_taxonomy

    themes = load_taxonomy("retail_fr").detectable
    return tuple(sorted(((t.id, t.label_fr) for t in themes), key=lambda c: c[1].lower()))


def text_themes(user: Any, feedback_ids: Sequence[int]) -> dict[int, TextThemes]:
    """Theme chips of each of these texts, as ``user`` may see them."""
    labels = dict(theme_choices())
    found: dict[int, dict[str, str]] = {pk: {} for pk in feedback_ids}
    for pk, theme, polarity in (
        ThemeMention.objects.for_user(user)
        .filter(feedback_id__in=list(feedback_ids))
        .order_by("-confidence")
        .values_list("feedback_id", "theme", "polarity")
    ):
        found[pk][theme] = polarity
    said: dict[int, dict[str, bool]] = {pk: {} for pk in feedback_ids}
    for pk, theme, present in (
        ThemeCorrection.objects.for_user(user)
        .filter(feedback_id__in=list(feedback_ids))
        .order_by("created_at")
        .values_list("feedback_id", "theme", "present")
    ):
        said[pk][theme] = present
    out = {}
    for pk in feedback_ids:
        chips = [
            ThemeChip(theme, labels.get(theme, theme), _state(said[pk].get(theme)), polarity)
            for theme, polarity in found[pk].items()
        ]
        chips += [
            ThemeChip(theme, labels.get(theme, theme), "added", "")
            for theme, present in said[pk].items()
            if present and theme not in found[pk]
        ]
        shown = {chip.theme for chip in chips}
        missing = tuple(c for c in theme_choices() if c[0] not in shown)
        out[pk] = TextThemes(tuple(chips), missing)
    return out


def _state(present: bool | None) -> ChipState:
    return "found" if present is None else "confirmed" if present else "withdrawn"


def do_correct_theme(user: Any, feedback: Feedback, theme: str, present: bool) -> ThemeCorrection:
    """Record the analyst's word on ``theme`` for this text (replacing an earlier one) and
    queue the learning. The caller has checked the user's role on the feedback."""
    if theme not in dict(theme_choices()):
        raise ValidationError(_("Thème inconnu : %(theme)s"), params={"theme": theme})
    correction, _created = ThemeCorrection.objects.update_or_create(
        feedback=feedback,
        theme=theme,
        defaults={
            "present": present,
            "perimeter_id": feedback.perimeter_id,
            "user": user,
            "created_at": timezone.now(),
        },
    )
    request_learning()
    return correction
