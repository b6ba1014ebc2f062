"""Writes of the briefings app; each re-checks the writer's scope after saving."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from pouls.briefings.models import Briefing, BriefingSchedule, Commitment
from pouls.briefings.queries import build_snapshot, period_end
from pouls.lib.scoping import save_for_user
from pouls.org.models import Perimeter, Person

logger = logging.getLogger(__name__)

MAX_COMMITMENTS = 3


def do_create_briefing(
    user: Any,
    perimeter: Perimeter,
    period: str,
    start: dt.date,
    hidden: Sequence[str] = (),
    *,
    author: Any = None,
) -> Briefing:
    """Build the briefing within ``user``'s scope and keep its snapshot. ``author`` is the
    person who asked for it (None for a scheduled e-mail)."""
    snapshot = build_snapshot(user, perimeter, period, start, hidden)
    briefing = Briefing(
        perimeter=perimeter,
        period=period,
        start=start,
        end=period_end(period, start),
        created_by=author,
        snapshot=snapshot,
        figures_points=snapshot["figures_points"],
        customer_points=snapshot["customer_points"],
    )
    if author is not None:
        save_for_user(briefing, author, action="run")
    else:
        briefing.save()
    logger.info("briefing %s built for perimeter %s", briefing.code, perimeter.code)
    return briefing


def do_mark_presented(user: Any, briefing: Briefing) -> Briefing:
    briefing.presented_at = timezone.now()
    briefing.presented_by = user
    return save_for_user(
        briefing,
        user,
        lambda: briefing.save(update_fields=["presented_at", "presented_by"]),
        action="run",
    )


def do_add_commitment(
    user: Any, briefing: Briefing, *, text: str, owner: Person, due: dt.date
) -> Commitment:
    """Add one of the team's 1-3 commitments of this briefing."""
    # The briefing was fetched through the writer's scope; its commitments share its perimeter.
    if briefing.commitments.count() >= MAX_COMMITMENTS:
        raise ValidationError(
            _("Trois engagements au plus par point d'équipe : mieux vaut en tenir peu.")
        )
    commitment = Commitment(
        briefing=briefing, perimeter=briefing.perimeter, text=text, owner=owner, due=due
    )
    return save_for_user(commitment, user, action="run")


def do_update_commitment(user: Any, commitment: Commitment, status: str) -> Commitment:
    commitment.status = status
    return save_for_user(
        commitment,
        user,
        lambda: commitment.save(update_fields=["status", "updated_at"]),
        action="run",
    )


def do_set_schedule(user: Any, perimeter: Perimeter, period: str, active: bool) -> None:
    """Subscribe ``user`` (or not) to this perimeter's briefing by e-mail. Anyone who may see
    the perimeter may subscribe themselves: the e-mail is built within their own scope."""
    BriefingSchedule.objects.update_or_create(
        user=user, perimeter=perimeter, period=period, defaults={"active": active}
    )
