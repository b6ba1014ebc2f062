"""Activity → results: weekly leading indicators beside sales and NPS of a perimeter, read
through the scoping; lagged correlations from ``pouls_analysis.stats.lagged``."""

from __future__ import annotations

import datetime as dt
import logging
import math
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncDate

from pouls.activity.models import ActivityFact, SalesFact
from pouls.feedback.models import Feedback
from pouls.lib.dates import week_start
from pouls.org.models import Perimeter, Person
from pouls.org.queries import list_subtree_ids
from pouls_analysis.stats.compare import Difference, compare_nps
from pouls_analysis.stats.lagged import (
    LaggedReport,
    PairSummary,
    PeriodChange,
    lagged_correlations,
    period_change,
    silent_weeks,
)
from pouls_analysis.stats.scores import NpsResult, nps_from_counts

logger = logging.getLogger(__name__)

LEADING = ("visits", "calls", "quotes", "reports_filed")
RESULTS = ("revenue", "orders", "nps")
SELLER_RESULTS = ("revenue", "nps")
ACTIVITY_WEEKS = 52
MIN_WEEKLY_NPS_ANSWERS = 5
MAX_SELLERS = 40
# The latest quarter against the one before: long enough for a trend, short enough to be recent.
CHANGE_WEEKS = 13


@dataclass(frozen=True)
class WeeklySeries:
    weeks: list[dt.date]  # Mondays, oldest first
    values: dict[str, list[float]]  # NaN marks a week without enough data
    nps_counts: list[tuple[int, int, int]] = field(default_factory=list)  # n, pro, det

    @property
    def nps_n(self) -> list[int]:
        return [n for n, _, _ in self.nps_counts]


@dataclass(frozen=True)
class Changes:
    """The latest CHANGE_WEEKS weeks against the ones before, per series."""

    series: dict[str, PeriodChange]
    nps: Difference
    diverging: bool  # a sales result rises credibly while the NPS falls credibly


@dataclass(frozen=True)
class SellerLinks:
    person: Person
    pairs: list[PairSummary]  # only the credible ones
    silent: dict[str, int]  # indicator -> weeks at zero


@dataclass(frozen=True)
class ActivityPage:
    perimeter: Perimeter
    person: Person | None
    series: WeeklySeries
    changes: Changes
    report: LaggedReport
    pairs: list[PairSummary]
    silent: dict[str, int]
    sellers: list[SellerLinks]
    sellers_alpha: float
    too_many_sellers: bool


def week_range(today: dt.date, weeks: int = ACTIVITY_WEEKS) -> list[dt.date]:
    """The Mondays of the last ``weeks`` complete weeks (the current week is left out)."""
    this_monday = week_start(today)
    return [this_monday - dt.timedelta(weeks=weeks - i) for i in range(weeks)]


def _bucket(weeks: list[dt.date], day: dt.date) -> int | None:
    index = (day - weeks[0]).days // 7
    return index if 0 <= index < len(weeks) else None


def _facts(
    user: Any, ids: list[int], weeks: list[dt.date], person_ids: list[int] | None
) -> dict[int | None, dict[str, list[float]]]:
    """Weekly sums of sales and activity, per person (or None for the whole perimeter)."""
    start, end = weeks[0], weeks[-1] + dt.timedelta(days=7)
    out: dict[int | None, dict[str, list[float]]] = defaultdict(
        lambda: {k: [0.0] * len(weeks) for k in (*LEADING, "revenue", "orders")}
    )
    sources: list[tuple[Any, tuple[str, ...]]] = [
        (SalesFact.objects, ("revenue", "orders")),
        (ActivityFact.objects, LEADING),
    ]
    for manager, fields in sources:
        qs = manager.for_user(user).filter(perimeter_id__in=ids, date__gte=start, date__lt=end)
        group = ["date"]
        if person_ids is not None:
            qs = qs.filter(person_id__in=person_ids)
            group = ["person_id", "date"]
        for row in qs.values(*group).annotate(**{f: Sum(f) for f in fields}):
            i = _bucket(weeks, row["date"])
            if i is not None:
                series = out[row.get("person_id")]
                for f in fields:
                    series[f][i] += float(row[f] or 0)
    return out


def _weekly_nps(
    user: Any, ids: list[int], weeks: list[dt.date], person_ids: list[int] | None
) -> dict[int | None, list[list[int]]]:
    """Answers, promoters and detractors per week."""
    start, end = weeks[0], weeks[-1] + dt.timedelta(days=7)
    qs = Feedback.objects.for_user(user).filter(
        perimeter_id__in=ids,
        nps__isnull=False,
        received_at__date__gte=start,
        received_at__date__lt=end,
    )
    group = ["day"]
    if person_ids is not None:
        qs = qs.filter(person_id__in=person_ids)
        group = ["person_id", "day"]
    rows = (
        qs.annotate(day=TruncDate("received_at"))
        .values(*group)
        .annotate(
            n=Count("pk"),
            pro=Count("pk", filter=Q(nps__gte=9)),
            det=Count("pk", filter=Q(nps__lte=6)),
        )
    )
    counts: dict[int | None, list[list[int]]] = defaultdict(lambda: [[0, 0, 0] for _ in weeks])
    for row in rows:
        i = _bucket(weeks, row["day"])
        if i is not None:
            week = counts[row.get("person_id")][i]
            week[0] += row["n"]
            week[1] += row["pro"]
            week[2] += row["det"]
    return dict(counts)


def _series_of(
    facts: dict[str, list[float]] | None, nps: list[list[int]] | None, weeks: list[dt.date]
) -> WeeklySeries:
    empty = [0.0] * len(weeks)
    values = {k: list(facts[k]) if facts else list(empty) for k in (*LEADING, "revenue", "orders")}
    counts = [(n, pro, det) for n, pro, det in nps] if nps else [(0, 0, 0)] * len(weeks)
    values["nps"] = [
        100.0 * (pro - det) / n if n >= MIN_WEEKLY_NPS_ANSWERS else math.nan
        for n, pro, det in counts
    ]
    return WeeklySeries(weeks, values, counts)


def _report(series: WeeklySeries, results: tuple[str, ...], alpha: float = 0.05) -> LaggedReport:
    # Week-over-week changes: a shared season or trend must not pass for a link.
    return lagged_correlations(
        {k: series.values[k] for k in LEADING},
        {k: series.values[k] for k in results},
        alpha=alpha,
        differences=True,
    )


def _nps_over(counts: list[tuple[int, int, int]]) -> NpsResult:
    n, pro, det = (sum(c[i] for c in counts) for i in range(3))
    return nps_from_counts(pro, n - pro - det, det)


def _changes(series: WeeklySeries) -> Changes:
    changes = {
        k: period_change(series.values[k], weeks=CHANGE_WEEKS)
        for k in ("revenue", "orders", *LEADING)
    }
    recent = series.nps_counts[-CHANGE_WEEKS:]
    before = series.nps_counts[-2 * CHANGE_WEEKS : -CHANGE_WEEKS]
    nps = compare_nps(_nps_over(before), _nps_over(recent))
    sales_up = any(changes[k].verdict == "hausse crédible" for k in ("revenue", "orders"))
    return Changes(changes, nps, sales_up and nps.verdict == "baisse crédible")


def _silent(series: WeeklySeries) -> dict[str, int]:
    found = {k: silent_weeks(series.values[k]) for k in LEADING}
    return {k: v for k, v in found.items() if v}


def get_activity(
    user: Any, perimeter: Perimeter, today: dt.date, person: Person | None = None
) -> ActivityPage:
    """Weekly activity against results for the perimeter (or one seller in it), and a line
    per seller with the links that stay credible after the multiple-testing guard."""
    ids = list_subtree_ids(user, perimeter)
    weeks = week_range(today)
    person_filter = [person.pk] if person is not None else None
    facts = _facts(user, ids, weeks, person_filter)
    nps = _weekly_nps(user, ids, weeks, person_filter)
    key = person.pk if person is not None else None
    series = _series_of(facts.get(key), nps.get(key), weeks)
    report = _report(series, RESULTS)
    sellers = list(
        Person.objects.for_user(user)
        .filter(perimeter_id__in=ids, kind=Person.Kind.SELLER, is_active=True)
        .order_by("last_name", "first_name")
    )
    too_many = len(sellers) > MAX_SELLERS
    links: list[SellerLinks] = []
    # Bonferroni across sellers on top of Holm within each: the family is the whole table.
    alpha = 0.05 / max(1, len(sellers))
    if person is None and sellers and not too_many:
        seller_ids = [s.pk for s in sellers]
        seller_facts = _facts(user, ids, weeks, seller_ids)
        seller_nps = _weekly_nps(user, ids, weeks, seller_ids)
        for seller in sellers:
            s = _series_of(seller_facts.get(seller.pk), seller_nps.get(seller.pk), weeks)
            credible = [
                p
                for p in _report(s, SELLER_RESULTS, alpha).pairs()
                if p.best.verdict == "lien crédible"
            ]
            links.append(SellerLinks(seller, credible, _silent(s)))
    return ActivityPage(
        perimeter=perimeter,
        person=person,
        series=series,
        changes=_changes(series),
        report=report,
        pairs=report.pairs(),
        silent=_silent(series),
        sellers=links,
        sellers_alpha=alpha,
        too_many_sellers=too_many,
    )


def chart_payload(series: WeeklySeries) -> dict[str, Any]:
    """Weekly series indexed to their own mean (= 100) so that they share one axis; NPS keeps
    its own scale on the right axis."""
    indexed: dict[str, list[float | None]] = {}
    for k in (*LEADING, "revenue", "orders"):
        values = series.values[k]
        mean = sum(values) / len(values) if values else 0.0
        indexed[k] = [round(100 * v / mean, 1) if mean else None for v in values]
    return {
        "week": [w.isoformat() for w in series.weeks],
        "indexed": indexed,
        "nps": [None if math.isnan(v) else round(v, 1) for v in series.values["nps"]],
        "nps_n": series.nps_n,
    }
