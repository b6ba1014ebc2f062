"""Feedback read for a person: every query starts from ``for_user``. Scores are read from
the rollups (``pouls.rollups.queries``), never computed here from the raw rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet

from pouls.feedback.models import Feedback


def scoped_feedback(
    user: Any,
    perimeter_ids: Iterable[int],
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
) -> QuerySet[Feedback]:
    """Feedback the user may see within the given perimeters, received in [since, until)."""
    qs = Feedback.objects.for_user(user).filter(perimeter_id__in=list(perimeter_ids))
    if since is not None:
        qs = qs.filter(received_at__gte=since)
    if until is not None:
        qs = qs.filter(received_at__lt=until)
    return qs


def latest_verbatims(user: Any, perimeter_ids: Iterable[int], *, limit: int = 6) -> list[Feedback]:
    return list(
        scoped_feedback(user, perimeter_ids)
        .exclude(text="")
        .select_related("perimeter")
        .order_by("-received_at")[:limit]
    )
