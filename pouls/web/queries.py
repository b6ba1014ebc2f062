"""The dashboard's data, assembled from the domain apps' scoped queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from pouls.activity.queries import Indicator, sales_and_activity
from pouls.feedback.models import Feedback
from pouls.feedback.queries import (
    ChildScore,
    TrendPoint,
    child_scores,
    latest_verbatims,
    nps_by_perimeter,
    total_nps,
    volume,
)
from pouls.org.models import Perimeter
from pouls.org.queries import list_breadcrumb
from pouls_analysis import Difference, NpsResult, compare_nps
from pouls_analysis.stats.scores import MAX_RELIABLE_HALF_WIDTH, MIN_RELIABLE_N

SALES_WINDOW_DAYS = 30


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


def reliability_words(result: NpsResult) -> list[str]:
    """Why a score should not be read as precise, in words a manager understands."""
    words = []
    if "small_n" in result.unreliable_reasons:
        words.append(
            _("Peu fiable : %(n)s réponses seulement (il en faut au moins %(min)s).")
            % {"n": result.n, "min": MIN_RELIABLE_N}
        )
    if "wide_interval" in result.unreliable_reasons and result.half_width is not None:
        words.append(
            _("Peu fiable : la marge d'erreur (± %(hw).0f points) dépasse ± %(max).0f points.")
            % {"hw": result.half_width, "max": MAX_RELIABLE_HALF_WIDTH}
        )
    return words


def get_dashboard(user: Any, perimeter: Perimeter, since: dt.datetime | None) -> Dashboard:
    """Steps: visible subtree; NPS counts per perimeter in one query; roll them up to the
    perimeter and to each visible child; volume, latest verbatims, sales and activity."""
    visible = list(Perimeter.objects.for_user(user).filter(path__startswith=perimeter.path))
    ids = [p.pk for p in visible]
    counts = nps_by_perimeter(user, ids, since)
    result = total_nps(counts)
    children = [p for p in visible if p.parent_id == perimeter.pk]
    sales_since = timezone.localdate() - dt.timedelta(days=SALES_WINDOW_DAYS)
    change, period_days = None, None
    if since is not None:
        length = timezone.now() - since
        previous = total_nps(nps_by_perimeter(user, ids, since - length, until=since))
        change, period_days = compare_nps(previous, result), length.days
    return Dashboard(
        perimeter=perimeter,
        breadcrumb=list_breadcrumb(user, perimeter),
        nps=result,
        caveats=reliability_words(result),
        volume=volume(user, ids, since),
        children=child_scores(sorted(children, key=lambda p: p.name), visible, counts),
        verbatims=latest_verbatims(user, ids),
        indicators=sales_and_activity(user, ids, sales_since),
        sales_since=sales_since,
        change=change,
        period_days=period_days,
    )


@dataclass(frozen=True, slots=True)
class HomeRow:
    perimeter: Perimeter
    level: int
    result: NpsResult


def list_home_rows(
    user: Any, perimeters: list[Perimeter], since: dt.datetime | None
) -> list[HomeRow]:
    """Every visible perimeter with its NPS over its visible subtree (one grouped query)."""
    counts = nps_by_perimeter(user, [p.pk for p in perimeters], since)
    top = min((p.depth for p in perimeters), default=0)
    return [
        HomeRow(p, p.depth - top, scores.result)
        for p, scores in zip(perimeters, child_scores(perimeters, perimeters, counts), strict=True)
    ]


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
