"""Reads for the insight pages (key drivers, activity → results), always through the scoping.

The rows are turned into plain arrays here and handed to ``pouls_analysis.stats``; the figures on
the pages are exactly what the library returns.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncDate
from django.utils.translation import gettext as _

from pouls.activity.models import ActivityFact, SalesFact
from pouls.annotations.models import Annotation, ThemeMention
from pouls.annotations.services import theme_labels
from pouls.feedback.models import Feedback
from pouls.org.models import Perimeter, Person
from pouls.org.queries import list_subtree_ids
from pouls_analysis.exceptions import AnalysisError
from pouls_analysis.stats.compare import Difference, compare_nps
from pouls_analysis.stats.drivers import (
    MAX_SHAPLEY_DRIVERS,
    MIN_RESPONSES,
    DriversResult,
    DriverWeight,
    code_theme_drivers,
    key_drivers,
)
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

# A driver needs this many responses mentioning it; one driver per this many responses at most.
MIN_DRIVER_SUPPORT = 5
RESPONSES_PER_DRIVER = 10
N_BOOTSTRAP = 200

LEADING = ("visits", "calls", "quotes", "reports_filed")
RESULTS = ("revenue", "orders", "nps")
SELLER_RESULTS = ("revenue", "nps")
ACTIVITY_WEEKS = 52
MIN_WEEKLY_NPS_ANSWERS = 5
MAX_SELLERS = 40
# The latest quarter against the one before: long enough for a trend, short enough to be recent.
CHANGE_WEEKS = 13


# --- Key drivers -------------------------------------------------------------------------


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


# --- Activity → results ------------------------------------------------------------------


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
    this_monday = today - dt.timedelta(days=today.weekday())
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
