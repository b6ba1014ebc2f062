"""Weak signals per theme x perimeter, read from the weekly theme rollups.

Steps for one week: the negative mentions of each theme in each store and department over
that week and the 16 before (series = perimeter x theme); series already signalled in the
last four weeks are known and not tested again (``active``); ``scan_latest`` tests the last
1-4 weeks against a 12-week baseline (exact Poisson test, quasi-Poisson scaled) with
Benjamini-Hochberg across every series, and a CUSUM catches slow drifts; each alarm is kept
as a ``ThemeSignal`` (first and last week seen). Field-report dysfunctions are addressed to
departments, which are perimeters too: their signals land in the department's own scope.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict

import numpy as np
from django.db import transaction
from django.utils import timezone

from pouls.lib import dates
from pouls.rollups.models import Dimension, MetricValue, Period
from pouls.watch.models import ThemeSignal
from pouls_analysis.signals.detect import BASELINE_PERIODS, WINDOWS, cusum, scan_latest

logger = logging.getLogger(__name__)

HISTORY_WEEKS = BASELINE_PERIODS + WINDOWS + 1
KNOWN_FOR_WEEKS = 4
WATCHED_KINDS = ("store", "department")


def last_complete_week(today: dt.date | None = None) -> dt.date:
    """Monday of the last week that is over."""
    return dates.last_complete_week(today or timezone.localdate())


def detect(week: dt.date) -> list[ThemeSignal]:
    """Signals of the week starting on ``week`` (a Monday); returns those new or updated."""
    weeks = [week - dt.timedelta(days=7 * k) for k in reversed(range(HISTORY_WEEKS))]
    column = {start: i for i, start in enumerate(weeks)}
    series: dict[tuple[int, str], np.ndarray] = defaultdict(lambda: np.zeros(len(weeks)))
    rows = MetricValue.objects.filter(
        period=Period.WEEK,
        dimension=Dimension.THEME,
        start__in=weeks,
        perimeter__kind__in=WATCHED_KINDS,
    ).values_list("perimeter_id", "value", "start", "negative_mentions")
    for perimeter_id, theme, start, negative in rows:
        series[(perimeter_id, theme)][column[start]] = negative
    if not series:
        return []
    keys = sorted(series)
    counts = np.vstack([series[key] for key in keys])
    known = {
        (s.perimeter_id, s.theme): s
        for s in ThemeSignal.objects.filter(
            last_seen__gte=week - dt.timedelta(weeks=KNOWN_FOR_WEEKS), first_seen__lt=week
        )
    }
    active = [i for i, key in enumerate(keys) if key in known]
    alarms = scan_latest(counts, active=active)
    # A series that surges this week is not also a drift: one signal, the sharper reading.
    skip = set(active) | {a.series for a in alarms}
    drifts = [a for a in cusum(counts) if a.period == len(weeks) - 1 and a.series not in skip]
    changed: list[ThemeSignal] = []
    with transaction.atomic():
        for alarm in [*alarms, *drifts]:
            perimeter_id, theme = keys[alarm.series]
            signal, _ = ThemeSignal.objects.update_or_create(
                perimeter_id=perimeter_id,
                theme=theme,
                first_seen=week,
                defaults={
                    "kind": alarm.kind,
                    "last_seen": week,
                    "count": alarm.count,
                    "expected": alarm.expected,
                    "q_value": None if np.isnan(alarm.q_value) else alarm.q_value,
                },
            )
            changed.append(signal)
        # A known signal still well above its baseline this week is still alive.
        for i in active:
            signal = known[keys[i]]
            if counts[i, -1] >= max(2.0 * signal.expected, 3.0) and signal.last_seen < week:
                signal.last_seen = week
                signal.count = int(counts[i, -1])
                signal.save(update_fields=["last_seen", "count"])
                changed.append(signal)
    logger.debug("week %s: %d signals new or updated", week, len(changed))
    return changed


def detect_recent(weeks: int = 8, today: dt.date | None = None) -> int:
    """Run the detection week after week over the last ``weeks`` complete weeks (so that
    first-seen dates are right after a first import of history); how many signals."""
    last = last_complete_week(today)
    found = 0
    for k in reversed(range(weeks)):
        found += len(detect(last - dt.timedelta(weeks=k)))
    return found
