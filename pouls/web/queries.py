"""The dashboard's data, assembled from the domain apps' scoped queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from pouls.activity.queries import Indicator, sales_and_activity
from pouls.annotations.services import theme_labels
from pouls.feedback.models import Feedback
from pouls.feedback.queries import latest_verbatims
from pouls.lib.wording import reliability_words
from pouls.org.models import Perimeter
from pouls.org.queries import list_breadcrumb
from pouls.rollups.queries import (
    THEME_WEEKS,
    ThemeShare,
    TrendPoint,
    nps_counts,
    nps_of,
    theme_shares,
)
from pouls_analysis import Difference, NpsResult, compare_nps
from pouls_analysis.stats.compare import SmoothedNps, smooth_nps

SALES_WINDOW_DAYS = 30


@dataclass(frozen=True, slots=True)
class ChildScore:
    perimeter: Perimeter
    result: NpsResult
    # The child's NPS pulled toward this perimeter's (empirical Bayes, pouls_analysis).
    smoothed: SmoothedNps


@dataclass(frozen=True, slots=True)
class Dashboard:
    perimeter: Perimeter
    breadcrumb: list[Perimeter]
    nps: NpsResult
    caveats: list[str]
    volume: int
    children: list[ChildScore]
    verbatims: list[Feedback]
    indicators: list[Indicator]
    sales_since: dt.date
    # Against the previous period of the same length (None for "all history").
    change: Difference | None
    period_days: int | None
    themes: list[ThemeShare]
    theme_weeks: int


def period_start(since: dt.datetime | None) -> dt.date | None:
    """The first whole day of a period ending today ("90 derniers jours" = today and the
    89 days before): rollups count whole days in the server's time zone."""
    return None if since is None else timezone.localdate(since) + dt.timedelta(days=1)


def get_dashboard(user: Any, perimeter: Perimeter, since: dt.datetime | None) -> Dashboard:
    """Steps: the perimeter and its visible children; their subtree counts from the rollups
    in one query (and the previous period's); latest verbatims, sales and activity."""
    children = sorted(
        Perimeter.objects.for_user(user).filter(parent=perimeter), key=lambda p: p.name
    )
    first = period_start(since)
    counts = nps_counts(user, [perimeter.pk, *(c.pk for c in children)], first)
    result = nps_of(counts, perimeter.pk)
    sales_since = timezone.localdate() - dt.timedelta(days=SALES_WINDOW_DAYS)
    change, period_days = None, None
    if first is not None:
        period_days = (timezone.localdate() - first).days + 1
        before = nps_counts(user, [perimeter.pk], first - dt.timedelta(days=period_days), first)
        change = compare_nps(nps_of(before, perimeter.pk), result)
    ids = [p.pk for p in Perimeter.objects.for_user(user).filter(path__startswith=perimeter.path)]
    return Dashboard(
        perimeter=perimeter,
        breadcrumb=list_breadcrumb(user, perimeter),
        nps=result,
        caveats=reliability_words(result),
        volume=counts.get(perimeter.pk, {}).get("volume", 0),
        children=_child_scores(children, counts, result),
        verbatims=latest_verbatims(user, ids),
        indicators=sales_and_activity(user, ids, sales_since),
        sales_since=sales_since,
        change=change,
        period_days=period_days,
        themes=theme_shares(user, perimeter.pk, THEME_WEEKS, timezone.localdate(), theme_labels())[
            :12
        ],
        theme_weeks=THEME_WEEKS,
    )


def _child_scores(
    children: list[Perimeter], counts: dict[int, dict[str, int]], parent: NpsResult
) -> list[ChildScore]:
    """Each child's NPS and its value smoothed toward the parent, the prior strength
    estimated from the spread between the siblings."""
    results = [nps_of(counts, child.pk) for child in children]
    return [
        ChildScore(child, result, smooth_nps(result, parent, results))
        for child, result in zip(children, results, strict=True)
    ]


@dataclass(frozen=True, slots=True)
class HomeRow:
    perimeter: Perimeter
    level: int
    result: NpsResult


def list_home_rows(
    user: Any, perimeters: list[Perimeter], since: dt.datetime | None
) -> list[HomeRow]:
    """Every visible perimeter with the NPS of its subtree (one query on the rollups)."""
    counts = nps_counts(user, [p.pk for p in perimeters], period_start(since))
    top = min((p.depth for p in perimeters), default=0)
    return [HomeRow(p, p.depth - top, nps_of(counts, p.pk)) for p in perimeters]


def trend_payload(points: list[TrendPoint]) -> dict[str, list[Any]]:
    """Weekly NPS series for the chart; weeks under the reliability floor are kept but flagged."""
    return {
        "week": [p.week.isoformat() for p in points],
        "nps": [p.result.nps for p in points],
        "low": [p.result.low for p in points],
        "high": [p.result.high for p in points],
        "n": [p.result.n for p in points],
        "reliable": [p.result.is_reliable for p in points],
    }
