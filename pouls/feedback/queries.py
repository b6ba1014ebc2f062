"""Scores and verbatims read for a person: every query starts from ``for_user``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncWeek

from pouls.feedback.models import Feedback
from pouls.org.models import Perimeter
from pouls_analysis import NpsResult, nps_from_counts

_COUNTS = {
    "promoters": Count("pk", filter=Q(nps__gte=9)),
    "passives": Count("pk", filter=Q(nps__gte=7, nps__lte=8)),
    "detractors": Count("pk", filter=Q(nps__lte=6)),
}


@dataclass(frozen=True, slots=True)
class TrendPoint:
    week: dt.date
    result: NpsResult


@dataclass(frozen=True, slots=True)
class ChildScore:
    perimeter: Perimeter
    result: NpsResult


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


def _result(row: Mapping[str, Any]) -> NpsResult:
    return nps_from_counts(row["promoters"], row["passives"], row["detractors"])


def nps_by_perimeter(
    user: Any,
    perimeter_ids: Iterable[int],
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
) -> dict[int, dict[str, Any]]:
    """Promoter, passive and detractor counts per perimeter, in one grouped query."""
    rows = (
        scoped_feedback(user, perimeter_ids, since, until)
        .filter(nps__isnull=False)
        .order_by()
        .values("perimeter_id")
        .annotate(**_COUNTS, volume=Count("pk"))
    )
    return {row["perimeter_id"]: dict(row) for row in rows}


def total_nps(counts: dict[int, dict[str, Any]], ids: Iterable[int] | None = None) -> NpsResult:
    """Sum per-perimeter counts (all of them, or only ``ids``) into one NPS."""
    keys = counts.keys() if ids is None else [i for i in ids if i in counts]
    total = {"promoters": 0, "passives": 0, "detractors": 0}
    for key in keys:
        for name in total:
            total[name] += counts[key][name]
    return _result(total)


def child_scores(
    children: list[Perimeter], visible: list[Perimeter], counts: dict[int, dict[str, Any]]
) -> list[ChildScore]:
    """Roll per-perimeter counts up to each child of the current perimeter."""
    scores = []
    for child in children:
        ids = [p.pk for p in visible if p.path.startswith(child.path)]
        scores.append(ChildScore(child, total_nps(counts, ids)))
    return scores


def weekly_trend(
    user: Any, perimeter_ids: Iterable[int], since: dt.datetime | None = None
) -> list[TrendPoint]:
    """NPS per week (weeks start on Monday, in the server's time zone) with its interval."""
    rows = (
        scoped_feedback(user, perimeter_ids, since)
        .filter(nps__isnull=False)
        .annotate(week=TruncWeek("received_at"))
        .order_by()
        .values("week")
        .annotate(**_COUNTS)
        .order_by("week")
    )
    return [TrendPoint(row["week"].date(), _result(row)) for row in rows]


def latest_verbatims(user: Any, perimeter_ids: Iterable[int], *, limit: int = 6) -> list[Feedback]:
    return list(
        scoped_feedback(user, perimeter_ids)
        .exclude(text="")
        .select_related("perimeter")
        .order_by("-received_at")[:limit]
    )


def volume(user: Any, perimeter_ids: Iterable[int], since: dt.datetime | None = None) -> int:
    return scoped_feedback(user, perimeter_ids, since).count()
