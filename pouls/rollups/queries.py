"""Dashboard figures read from the rollups (never from the raw feedback): every query
starts from ``MetricValue.objects.for_user``, and rows are whole perimeter subtrees."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet, Sum

from pouls.lib.dates import week_start
from pouls.rollups.models import Dimension, MetricValue, Period
from pouls_analysis import NpsResult, nps_from_counts
from pouls_analysis.stats.compare import (
    Difference,
    ProportionResult,
    compare_proportions,
    proportion_interval,
)

_NPS_SUMS = {
    "promoters": Sum("promoters"),
    "passives": Sum("passives"),
    "detractors": Sum("detractors"),
    "volume": Sum("feedback"),
}


# Themes compare whole weeks: the last 8 complete ones against the 8 before.
THEME_WEEKS = 8


@dataclass(frozen=True, slots=True)
class TrendPoint:
    week: dt.date
    result: NpsResult


def _overall(
    user: Any, perimeter_ids: Iterable[int], since: dt.date | None, until: dt.date | None
) -> QuerySet[MetricValue]:
    """Rows covering [since, until) exactly: days when bounded, months for all history."""
    qs = MetricValue.objects.for_user(user).filter(
        perimeter_id__in=list(perimeter_ids), dimension=Dimension.ALL
    )
    if since is None and until is None:
        return qs.filter(period=Period.MONTH)
    qs = qs.filter(period=Period.DAY)
    if since is not None:
        qs = qs.filter(start__gte=since)
    if until is not None:
        qs = qs.filter(start__lt=until)
    return qs


def nps_counts(
    user: Any,
    perimeter_ids: Iterable[int],
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> dict[int, dict[str, int]]:
    """Promoters, passives, detractors and volume of each perimeter's whole subtree."""
    rows = _overall(user, perimeter_ids, since, until).values("perimeter_id").annotate(**_NPS_SUMS)
    result: dict[int, dict[str, int]] = {}
    for row in rows:
        values: dict[str, Any] = dict(row)
        result[values["perimeter_id"]] = {k: values[k] or 0 for k in _NPS_SUMS}
    return result


def nps_of(counts: dict[int, dict[str, int]], perimeter_id: int) -> NpsResult:
    row = counts.get(perimeter_id, {})
    return nps_from_counts(
        row.get("promoters", 0), row.get("passives", 0), row.get("detractors", 0)
    )


def weekly_trend(
    user: Any, perimeter_id: int, since: dt.date | None = None, until: dt.date | None = None
) -> list[TrendPoint]:
    """NPS per ISO week (Monday first, in the server's time zone) with its interval, for the
    weeks starting in [since, until). The unfinished current week is included: callers
    that draw a line decide what to do with it (see ``web.queries.trend_payload``)."""
    qs = MetricValue.objects.for_user(user).filter(
        perimeter_id=perimeter_id, period=Period.WEEK, dimension=Dimension.ALL, nps_n__gt=0
    )
    if since is not None:
        qs = qs.filter(start__gte=since)
    if until is not None:
        qs = qs.filter(start__lt=until)
    rows = qs.order_by("start").values_list("start", "promoters", "passives", "detractors")
    return [TrendPoint(start, nps_from_counts(p, pa, d)) for start, p, pa, d in rows]


def split_whole_weeks(
    points: list[TrendPoint], first: dt.date | None, last: dt.date, today: dt.date
) -> tuple[list[TrendPoint], list[tuple[TrendPoint, str]]]:
    """The weeks a line may draw (whole, inside [first, last]) and the others with the reason
    code: "current_week" (unfinished) or "cut_by_window". One rule for pages and the API."""
    whole: list[TrendPoint] = []
    apart: list[tuple[TrendPoint, str]] = []
    for point in points:
        sunday = point.week + dt.timedelta(days=6)
        if point.week >= week_start(today):
            apart.append((point, "current_week"))
        elif (first is not None and point.week < first) or sunday > last:
            apart.append((point, "cut_by_window"))
        else:
            whole.append(point)
    return whole, apart


@dataclass(frozen=True, slots=True)
class ThemeShare:
    theme: str
    label: str
    # Share of the texts analysed that mention the theme, with its Wilson interval.
    now: ProportionResult
    before: ProportionResult
    # Share of its mentions that are negative.
    negative: ProportionResult
    change: Difference


def theme_shares(
    user: Any, perimeter_id: int, weeks: int, today: dt.date, labels: dict[str, str]
) -> list[ThemeShare]:
    """Each theme's share of the analysed texts over the last ``weeks`` complete weeks,
    against the same number of weeks before (two-proportion test), most frequent first."""
    end = week_start(today)  # this week's Monday, excluded
    return theme_shares_between(user, perimeter_id, end - dt.timedelta(weeks=weeks), end, labels)


def theme_shares_between(
    user: Any, perimeter_id: int, middle: dt.date | None, end: dt.date, labels: dict[str, str]
) -> list[ThemeShare]:
    """Each theme's share over the weeks starting in [middle, end) (Mondays; ``middle``
    None: all history, nothing to compare with), against the same number of weeks before."""
    rows = MetricValue.objects.for_user(user).filter(
        perimeter_id=perimeter_id, period=Period.WEEK, start__lt=end
    )
    if middle is not None:
        rows = rows.filter(start__gte=middle - (end - middle))
    else:
        middle = dt.date.min
    texts = {True: 0, False: 0}
    themes: dict[str, dict[str, int]] = {}
    for dimension, value, first, analysed, feedback, negative, positive in rows.values_list(
        "dimension",
        "value",
        "start",
        "sentiment_n",
        "feedback",
        "negative_mentions",
        "positive_mentions",
    ):
        recent = first >= middle
        if dimension == Dimension.ALL:
            texts[recent] += analysed
        elif dimension == Dimension.THEME:
            row = themes.setdefault(value, {"now": 0, "before": 0, "neg": 0, "pos": 0})
            row["now" if recent else "before"] += feedback
            if recent:
                row["neg"] += negative
                row["pos"] += positive
    result = []
    for theme, row in themes.items():
        now = proportion_interval(row["now"], texts[True]) if texts[True] else _EMPTY
        before = proportion_interval(row["before"], texts[False]) if texts[False] else _EMPTY
        negative_share = proportion_interval(row["neg"], row["now"]) if row["now"] else _EMPTY
        result.append(
            ThemeShare(
                theme,
                labels.get(theme, theme),
                now,
                before,
                negative_share,
                compare_proportions(before, now),
            )
        )
    return sorted(result, key=lambda t: -(t.now.successes))


_EMPTY = ProportionResult(0, 0, None, None, None)
