"""The dashboard's data, assembled from the domain apps' scoped queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pouls.activity.queries import Indicator, sales_and_activity
from pouls.annotations.models import Annotation, BehaviourMatch, ThemeMention
from pouls.annotations.services import theme_labels
from pouls.feedback.models import Feedback
from pouls.feedback.queries import latest_verbatims, scoped_feedback
from pouls.feedback.search import search_feedback
from pouls.lib.dates import week_start
from pouls.lib.forms import Window
from pouls.lib.wording import reliability_words
from pouls.org.models import Perimeter
from pouls.org.queries import list_breadcrumb, list_subtree_ids
from pouls.rollups.queries import (
    ThemeShare,
    TrendPoint,
    nps_counts,
    nps_of,
    split_whole_weeks,
    theme_shares_between,
    weekly_trend,
)
from pouls.surveys.models import SurveyAnswer
from pouls.web.forms import NPS_RANGES
from pouls_analysis import Difference, NpsResult, compare_nps
from pouls_analysis.stats.compare import SmoothedNps, smooth_nps


@dataclass(frozen=True, slots=True)
class ChildScore:
    perimeter: Perimeter
    result: NpsResult
    # The child's NPS pulled toward this perimeter's (empirical Bayes, pouls_analysis);
    # None without answers: the parent's value would pass for a measure of the child.
    smoothed: SmoothedNps | None


@dataclass(frozen=True, slots=True)
class ThemeWeeks:
    """The whole weeks of the window that the themes section compares (Mondays)."""

    first: dt.date | None  # None: all history
    end: dt.date  # Monday after the last week counted
    weeks: int | None

    @property
    def last(self) -> dt.date:
        return self.end - dt.timedelta(days=1)

    @property
    def before_first(self) -> dt.date | None:
        if self.first is None or self.weeks is None:
            return None
        return self.first - dt.timedelta(weeks=self.weeks)


@dataclass(frozen=True, slots=True)
class Dashboard:
    perimeter: Perimeter
    breadcrumb: list[Perimeter]
    window: Window
    nps: NpsResult
    caveats: list[str]
    volume: int
    children: list[ChildScore]
    verbatims: list[Feedback]
    indicators: list[Indicator]
    # Against the previous window of the same length (None for "all history").
    change: Difference | None
    previous: Window | None
    themes: list[ThemeShare]
    theme_weeks: ThemeWeeks


def whole_weeks(window: Window, today: dt.date) -> ThemeWeeks:
    """The complete ISO weeks inside the window: from the first Monday on or after its
    first day to the last Sunday on or before its last day, never the current week."""
    end = min(week_start(window.end), week_start(today))
    if window.first is None:
        return ThemeWeeks(None, end, None)
    first = week_start(window.first + dt.timedelta(days=6))
    weeks = max((end - first).days // 7, 0)
    return ThemeWeeks(first, max(end, first), weeks)


def get_dashboard(user: Any, perimeter: Perimeter, window: Window) -> Dashboard:
    """Steps: the perimeter and its visible children; their subtree counts from the rollups
    in one query (and the previous window's); latest verbatims, sales and activity, and the
    themes of the window's whole weeks: every section reads the same window."""
    children = sorted(
        Perimeter.objects.for_user(user).filter(parent=perimeter), key=lambda p: p.name
    )
    counts = nps_counts(user, [perimeter.pk, *(c.pk for c in children)], window.first, window.end)
    result = nps_of(counts, perimeter.pk)
    previous, change = window.previous(), None
    if previous is not None:
        before = nps_counts(user, [perimeter.pk], previous.first, previous.end)
        change = compare_nps(nps_of(before, perimeter.pk), result)
    ids = [p.pk for p in Perimeter.objects.for_user(user).filter(path__startswith=perimeter.path)]
    weeks = whole_weeks(window, timezone.localdate())
    themes: list[ThemeShare] = []
    if weeks.weeks is None or weeks.weeks > 0:
        themes = theme_shares_between(user, perimeter.pk, weeks.first, weeks.end, theme_labels())
    return Dashboard(
        perimeter=perimeter,
        breadcrumb=list_breadcrumb(user, perimeter),
        window=window,
        nps=result,
        caveats=reliability_words(result),
        volume=counts.get(perimeter.pk, {}).get("volume", 0),
        children=_child_scores(children, counts, result),
        verbatims=latest_verbatims(user, ids),
        indicators=sales_and_activity(user, ids, window.first, window.end),
        change=change,
        previous=previous,
        themes=themes[:12],
        theme_weeks=weeks,
    )


def _child_scores(
    children: list[Perimeter], counts: dict[int, dict[str, int]], parent: NpsResult
) -> list[ChildScore]:
    """Each child's NPS and its value smoothed toward the parent, the prior strength
    estimated from the spread between the siblings; no smoothed value without answers."""
    results = [nps_of(counts, child.pk) for child in children]
    return [
        ChildScore(child, result, smooth_nps(result, parent, results) if result.n else None)
        for child, result in zip(children, results, strict=True)
    ]


@dataclass(frozen=True, slots=True)
class HomeRow:
    perimeter: Perimeter
    level: int
    result: NpsResult


def list_home_rows(user: Any, perimeters: list[Perimeter], window: Window) -> list[HomeRow]:
    """Every visible perimeter with the NPS of its subtree (one query on the rollups)."""
    counts = nps_counts(user, [p.pk for p in perimeters], window.first, window.end)
    top = min((p.depth for p in perimeters), default=0)
    return [HomeRow(p, p.depth - top, nps_of(counts, p.pk)) for p in perimeters]


def get_trend(user: Any, perimeter: Perimeter, window: Window, today: dt.date) -> dict[str, Any]:
    """The weekly NPS of the window's weeks, for the chart: whole weeks only on the line;
    the unfinished current week (and a week the window cuts) is left out of it and listed
    apart with its n and the reason, so one Monday answer cannot pass for a week."""
    first = None if window.first is None else week_start(window.first)
    return trend_payload(weekly_trend(user, perimeter.pk, first, window.end), window, today)


def trend_payload(points: list[TrendPoint], window: Window, today: dt.date) -> dict[str, Any]:
    """Weekly NPS series for the chart; weeks under the reliability floor are kept but
    flagged; weeks not whole (current, or cut by the window) go to ``left_out``."""
    whole, apart = split_whole_weeks(points, window.first, window.last, today)
    left_out = [_left_out(point, reason, today) for point, reason in apart]
    return {
        "week": [p.week.isoformat() for p in whole],
        "nps": [p.result.nps for p in whole],
        "low": [p.result.low for p in whole],
        "high": [p.result.high for p in whole],
        "n": [p.result.n for p in whole],
        "reliable": [p.result.is_reliable for p in whole],
        "window": {
            "first": None if window.first is None else window.first.isoformat(),
            "last": window.last.isoformat(),
            "label": str(window),
        },
        "left_out": left_out,
    }


def _left_out(point: TrendPoint, reason: str, today: dt.date) -> dict[str, Any]:
    n = point.result.n
    answers = ngettext("%(n)d réponse", "%(n)d réponses", n) % {"n": n}
    monday = formats.date_format(point.week, "j F")
    if reason == "current_week":
        why = _(
            "Semaine du %(monday)s en cours (jusqu'à aujourd'hui, %(today)s) : %(answers)s. "
            "Elle n'est pas tracée sur la courbe tant qu'elle n'est pas finie."
        ) % {"monday": monday, "today": formats.date_format(today, "j F"), "answers": answers}
    else:
        why = _(
            "Semaine du %(monday)s coupée par la période choisie : %(answers)s, hors de la courbe."
        ) % {"monday": monday, "answers": answers}
    return {
        "week": point.week.isoformat(),
        "n": n,
        "nps": point.result.nps,
        "low": point.result.low,
        "high": point.result.high,
        "reason": reason,
        "explanation": why,
    }


def list_verbatims(
    user: Any, perimeter: Perimeter, data: dict[str, Any], window: Window
) -> QuerySet[Feedback]:
    """The texts of ``perimeter``'s subtree that ``user`` may see, received in the window,
    narrowed by the explorer's filters (``web.forms.VerbatimFilterForm``'s cleaned data)
    and the French full-text search; newest first. Every table read starts from for_user."""
    below = data.get("perimetre") or perimeter
    since = None if window.first is None else _midnight(window.first)
    qs = scoped_feedback(user, list_subtree_ids(user, below), since, _midnight(window.end))
    qs = qs.exclude(text="")
    if data.get("categorie") in NPS_RANGES:
        low, high = NPS_RANGES[data["categorie"]]
        qs = qs.filter(nps__gte=low, nps__lte=high)
    fields = {"source": "source_kind", "canal": "channel", "vendeur": "person"}
    qs = qs.filter(**{column: data[key] for key, column in fields.items() if data.get(key)})
    annotations = {"sentiment": "sentiment_label", "langue": "lang"}
    wanted = {column: data[key] for key, column in annotations.items() if data.get(key)}
    if wanted:
        qs = qs.filter(pk__in=Annotation.objects.for_user(user).filter(**wanted).values("feedback"))
    mentions = {"theme": "theme", "polarite": "polarity"}
    wanted = {column: data[key] for key, column in mentions.items() if data.get(key)}
    if wanted:
        chosen = ThemeMention.objects.for_user(user).filter(**wanted)
        qs = qs.filter(pk__in=chosen.values("feedback"))
    if data.get("enquete"):
        answers = SurveyAnswer.objects.for_user(user).filter(survey=data["enquete"])
        qs = qs.filter(pk__in=answers.values("feedback"))
    if data.get("comportement"):
        seen = BehaviourMatch.objects.for_user(user).filter(behaviour=data["comportement"])
        qs = qs.filter(pk__in=seen.values("feedback"))
    return search_feedback(qs, data.get("q") or "").order_by("-received_at", "-pk")


def _midnight(day: dt.date) -> dt.datetime:
    """The start of ``day`` in the server's time zone (days are local, like the rollups')."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))
