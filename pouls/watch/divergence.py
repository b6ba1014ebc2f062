"""Sales up while the recommendation falls (seed 001, "tyranny of the measure"): the feed's
check over 13 whole weeks against the 13 before, per visible group, region and store.

Revenue: weekly sums of the perimeter's subtree, compared by ``period_change`` (Welch's t on
the weekly values); NPS: the two periods' counts from the rollups, compared by
``compare_nps``. Both must be credible, in opposite directions. Four weeks (the feed's NPS
comparison) are too short for a fall spread over months; 13 weeks is what the activity page
uses, with the same library functions.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db.models import Sum

from pouls.activity.models import SalesFact
from pouls.org.models import Perimeter, path_prefixes
from pouls.rollups.queries import nps_counts, nps_of
from pouls_analysis import Difference, compare_nps
from pouls_analysis.stats.lagged import PeriodChange, period_change

WEEKS = 13


@dataclass(frozen=True, slots=True)
class DivergenceItem:
    perimeter: Perimeter
    revenue: PeriodChange
    nps: Difference


def sales_up_nps_down(user: Any, week: dt.date) -> list[DivergenceItem]:
    """Perimeters whose revenue rose credibly while their NPS fell credibly; the 26 weeks
    end with the week starting on ``week``."""
    perimeters = list(
        Perimeter.objects.for_user(user).filter(kind__in=("group", "region", "store"))
    )
    if not perimeters:
        return []
    end = week + dt.timedelta(days=7)
    middle = end - dt.timedelta(weeks=WEEKS)
    start = middle - dt.timedelta(weeks=WEEKS)
    revenue: dict[int, np.ndarray] = {p.pk: np.zeros(2 * WEEKS) for p in perimeters}
    by_path = {p.path: p.pk for p in perimeters}
    rows = (
        SalesFact.objects.for_user(user)
        .filter(date__gte=start, date__lt=end)
        .values_list("perimeter__path", "date")
        .annotate(total=Sum("revenue"))
    )
    for path, day, total in rows:
        i = (day - start).days // 7
        for prefix in path_prefixes(path):
            if prefix in by_path:
                revenue[by_path[prefix]][i] += float(total or 0)
    ids = [p.pk for p in perimeters]
    before, now = nps_counts(user, ids, start, middle), nps_counts(user, ids, middle, end)
    items = []
    for p in perimeters:
        if not revenue[p.pk].any():
            continue
        sales = period_change(revenue[p.pk], weeks=WEEKS)
        nps = compare_nps(nps_of(before, p.pk), nps_of(now, p.pk))
        if sales.verdict == "hausse crédible" and nps.verdict == "baisse crédible":
            items.append(DivergenceItem(p, sales, nps))
    return sorted(items, key=lambda i: i.nps.difference or 0.0)
