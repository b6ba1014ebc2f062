"""Key drivers of the recommendation: reads through the scoping, figures from
``pouls_analysis.stats.drivers`` exactly as the library returns them."""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from pouls.annotations.models import Annotation, ThemeMention
from pouls.annotations.services import theme_labels
from pouls.org.models import Perimeter
from pouls.org.queries import list_subtree_ids
from pouls_analysis.exceptions import AnalysisError
from pouls_analysis.stats.drivers import (
    MAX_SHAPLEY_DRIVERS,
    MIN_RESPONSES,
    DriversResult,
    DriverWeight,
    code_theme_drivers,
    key_drivers,
)

logger = logging.getLogger(__name__)

# A driver needs this many responses mentioning it; one driver per this many responses at most.
MIN_DRIVER_SUPPORT = 5
RESPONSES_PER_DRIVER = 10
N_BOOTSTRAP = 200


@dataclass(frozen=True, slots=True)
class DriverRow:
    label: str
    polarity: str  # "negative", "positive" or "" (presence coding)
    weight: DriverWeight


@dataclass(frozen=True)
class DriversPage:
    perimeter: Perimeter
    analysed: Perimeter  # the perimeter whose responses were used (an ancestor on fall-back)
    n_own: int
    result: DriversResult | None
    rows: list[DriverRow]
    message: str | None  # why there is no result, in French

    @property
    def fell_back(self) -> bool:
        return self.analysed.pk != self.perimeter.pk


def _driver_responses(
    user: Any, perimeter: Perimeter, since: dt.datetime | None
) -> tuple[list[int], list[list[tuple[str, str]]]]:
    """Scores and (theme, polarity) mentions of the analysed survey answers in the subtree."""
    annotated = Annotation.objects.for_user(user).filter(
        perimeter_id__in=list_subtree_ids(user, perimeter), feedback__nps__isnull=False
    )
    if since is not None:
        annotated = annotated.filter(day__gte=since.date())
    rows = list(annotated.order_by("feedback_id").values_list("feedback_id", "feedback__nps"))
    by_feedback: dict[int, list[tuple[str, str]]] = defaultdict(list)
    mentions = ThemeMention.objects.for_user(user).filter(
        feedback_id__in=annotated.values("feedback_id")
    )
    for feedback_id, theme, polarity in mentions.values_list("feedback_id", "theme", "polarity"):
        by_feedback[feedback_id].append((theme, polarity))
    # The filter on feedback__nps guarantees a score on every row.
    return [int(score or 0) for _, score in rows], [by_feedback[fid] for fid, _ in rows]


def _visible_parent(user: Any, perimeter: Perimeter) -> Perimeter | None:
    if perimeter.parent_id is None:
        return None
    return Perimeter.objects.for_user(user).filter(pk=perimeter.parent_id).first()


def get_drivers(user: Any, perimeter: Perimeter, since: dt.datetime | None) -> DriversPage:
    """Key drivers of the 0-10 score; under 20 answers, climb to the nearest visible ancestor
    that has enough (the product's rule: no driver analysis under 20 respondents)."""
    scores, mentions = _driver_responses(user, perimeter, since)
    n_own, analysed = len(scores), perimeter
    while len(scores) < MIN_RESPONSES:
        parent = _visible_parent(user, analysed)
        if parent is None:
            break
        analysed = parent
        scores, mentions = _driver_responses(user, analysed, since)
    page = DriversPage(perimeter, analysed, n_own, None, [], None)
    if len(scores) < MIN_RESPONSES:
        message = _(
            "Pas assez de réponses analysées (%(n)s, il en faut %(min)s) ici ni dans un "
            "périmètre parent accessible."
        ) % {"n": len(scores), "min": MIN_RESPONSES}
        return _replace_message(page, message)
    max_drivers = min(MAX_SHAPLEY_DRIVERS, len(scores) // RESPONSES_PER_DRIVER)
    X, names = code_theme_drivers(mentions, min_support=MIN_DRIVER_SUPPORT, max_drivers=max_drivers)
    if not names:
        return _replace_message(page, _("Aucun thème n'est assez souvent cité pour être pesé."))
    try:
        result = key_drivers(X, scores, names=names, n_bootstrap=N_BOOTSTRAP, random_state=0)
    except AnalysisError as exc:
        logger.info("key drivers refused for perimeter %s: %s", analysed.code, exc)
        return _replace_message(
            page,
            _("Analyse impossible sur ces réponses : %(why)s")
            % {"why": _("pas assez de variation entre les réponses (thèmes ou notes identiques).")},
        )
    labels = theme_labels()
    rows = []
    for weight in result.weights:
        theme, _sep, polarity = weight.name.partition(":")
        rows.append(DriverRow(labels.get(theme, theme), polarity, weight))
    return DriversPage(perimeter, analysed, n_own, result, rows, None)


def _replace_message(page: DriversPage, message: str) -> DriversPage:
    return DriversPage(page.perimeter, page.analysed, page.n_own, None, [], message)
