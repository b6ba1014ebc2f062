"""Fill the rollups: mark periods pending, rebuild each one atomically, mark it done.

Steps of ``refresh``: read the days recorded as changed (``ChangedDay`` rows, written in the
same transaction as the feedback or annotations they describe, so a late commit is seen by
the next run whatever its keys); mark those days, their ISO weeks and months pending and
delete the records read, in one transaction; rebuild every pending day from the raw tables,
then every pending week and month from the day rows. Each period is rebuilt inside its own
transaction together with its "done" mark.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, Max, Min, Q, Sum
from django.utils import timezone

from pouls.annotations.models import ThemeMention
from pouls.feedback.models import ChangedDay, Feedback
from pouls.lib.dates import month_start, week_start
from pouls.org.models import Perimeter
from pouls.rollups.models import COUNTERS, FillState, MetricValue, Period

logger = logging.getLogger(__name__)

# Change records deleted per statement (bounded parameter lists on SQLite).
DELETE_BATCH = 500
_INDEX = {name: i for i, name in enumerate(COUNTERS)}


def _next_start(period: str, start: dt.date) -> dt.date:
    if period == Period.DAY:
        return start + dt.timedelta(days=1)
    if period == Period.WEEK:
        return start + dt.timedelta(days=7)
    return (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def mark_pending(days: Iterable[dt.date]) -> int:
    """Mark these days, and the weeks and months holding them, to be rebuilt."""
    days = set(days)
    keys = (
        {(Period.DAY.value, d) for d in days}
        | {(Period.WEEK.value, week_start(d)) for d in days}
        | {(Period.MONTH.value, month_start(d)) for d in days}
    )
    with transaction.atomic():
        existing = set(
            FillState.objects.filter(start__in={start for _, start in keys}).values_list(
                "period", "start"
            )
        )
        FillState.objects.bulk_create(
            [FillState(period=p, start=s) for p, s in keys - existing], batch_size=1000
        )
        for period in Period.values:
            starts = [s for p, s in keys & existing if p == period]
            for i in range(0, len(starts), 500):
                FillState.objects.filter(period=period, start__in=starts[i : i + 500]).update(
                    state=FillState.State.PENDING
                )
    return len(keys)


def _changed_records() -> list[tuple[int, dt.date]]:
    """The change records visible now: (key, day)."""
    return list(ChangedDay.objects.values_list("pk", "day"))


def _forget(records: list[tuple[int, dt.date]]) -> None:
    """Delete exactly the records read: one a concurrent transaction commits meanwhile was
    not read, so it stays for the next run (deleting "all rows" would drop it unread)."""
    ids = [pk for pk, _ in records]
    for i in range(0, len(ids), DELETE_BATCH):
        ChangedDay.objects.filter(pk__in=ids[i : i + DELETE_BATCH]).delete()


def _local_day(value: dt.datetime) -> dt.date:
    return timezone.localdate(value)


def refresh() -> int:
    """Mark what changed since the last run and rebuild every pending period; how many."""
    with transaction.atomic():
        records = _changed_records()
        mark_pending(day for _, day in records)
        _forget(records)
    return fill_pending()


def rebuild_all() -> int:
    """Forget every rollup and rebuild them all (after a reorganisation of the tree)."""
    with transaction.atomic():
        MetricValue.objects.all().delete()
        FillState.objects.all().delete()
        # Taken first: a day recorded meanwhile stays recorded for the next refresh.
        _forget(_changed_records())
        bounds = Feedback.objects.aggregate(first=Min("received_at"), last=Max("received_at"))
        if bounds["first"] is not None:
            first, last = _local_day(bounds["first"]), _local_day(bounds["last"])
            mark_pending(first + dt.timedelta(days=i) for i in range((last - first).days + 1))
    return fill_pending()


def fill_pending() -> int:
    """Rebuild every pending period (days, weeks, months), each in its own transaction."""
    done = 0
    ancestors = _ancestors()
    for period in (Period.DAY, Period.WEEK, Period.MONTH):
        starts = list(
            FillState.objects.filter(period=period, state=FillState.State.PENDING)
            .order_by("start")
            .values_list("start", flat=True)
        )
        for start in starts:
            with transaction.atomic():
                MetricValue.objects.filter(period=period, start=start).delete()
                _insert(_period_rows(period, start, ancestors))
                FillState.objects.filter(period=period, start=start).update(
                    state=FillState.State.DONE, filled_at=timezone.now()
                )
            done += 1
    logger.debug("rollups: %d periods rebuilt", done)
    return done


def _ancestors() -> dict[int, list[int]]:
    """Each perimeter's own id and its ancestors' ids (from the materialized paths)."""
    by_path = dict(Perimeter.objects.values_list("path", "pk"))
    result: dict[int, list[int]] = {}
    for path, pk in by_path.items():
        cuts = [i + 1 for i, char in enumerate(path) if char == "."]
        result[pk] = [by_path[path[:cut]] for cut in cuts if path[:cut] in by_path]
    return result


def _aggregates(prefix: str) -> dict[str, Any]:
    """The counters as SQL aggregates over feedback rows (reached through ``prefix``)."""
    nps, csat = f"{prefix}nps", f"{prefix}csat"
    # Named "c_<counter>": a plain "feedback" would shadow the relation of the same name.
    return {
        "c_feedback": Count(f"{prefix}pk"),
        "c_nps_n": Count(nps),
        "c_promoters": Count(nps, filter=Q(**{f"{nps}__gte": 9})),
        "c_passives": Count(nps, filter=Q(**{f"{nps}__gte": 7, f"{nps}__lte": 8})),
        "c_detractors": Count(nps, filter=Q(**{f"{nps}__lte": 6})),
        "c_csat_n": Count(csat),
        "c_csat_satisfied": Count(csat, filter=Q(**{f"{csat}__gte": 4})),
        "c_csat_sum": Sum(csat),
        "c_sentiment_n": Count(f"{prefix}annotation__sentiment"),
        "c_sentiment_sum": Sum(f"{prefix}annotation__sentiment"),
    }


def _period_rows(
    period: str, start: dt.date, ancestors: dict[int, list[int]]
) -> list[tuple[Any, ...]]:
    """The rows of one period: own-perimeter sums grouped in SQL, then added to every
    ancestor in Python (a few thousand keys, not one step per feedback)."""
    zone = timezone.get_current_timezone()
    end = _next_start(period, start)
    since = dt.datetime.combine(start, dt.time.min, tzinfo=zone)
    until = dt.datetime.combine(end, dt.time.min, tzinfo=zone)
    feedback = Feedback.objects.filter(received_at__gte=since, received_at__lt=until).order_by()
    # Days carry the overall figures only; subgroups are read by week or month.
    groupings: list[tuple[str, Any]] = [("", None)]
    if period != Period.DAY:
        groupings += [("channel", "channel"), ("source_kind", "source_kind")]
    totals: dict[tuple[int, str, str], list[float]] = defaultdict(lambda: [0.0] * len(COUNTERS))
    own_rows: list[tuple[str, dict[str, Any]]] = []
    for dimension, field in groupings:
        fields = ["perimeter_id"] + ([field] if field else [])
        for row in feedback.values(*fields).annotate(**_aggregates("")):
            own_rows.append((dimension, row | {"value": row.get(field, "") if field else ""}))
    if period != Period.DAY:
        mentions = ThemeMention.objects.filter(day__gte=start, day__lt=end).order_by()
        polarity = {
            "c_negative_mentions": Count("pk", filter=Q(polarity="negative")),
            "c_positive_mentions": Count("pk", filter=Q(polarity="positive")),
        }
        # One mention per theme and text (annotations keep one), so feedback counts are exact.
        for row in mentions.values("perimeter_id", "theme").annotate(
            **_aggregates("feedback__"), **polarity
        ):
            own_rows.append(("theme", row | {"value": row["theme"]}))
    for dimension, row in own_rows:
        counts = [row.get(f"c_{name}") or 0 for name in COUNTERS]
        for ancestor in ancestors.get(row["perimeter_id"], [row["perimeter_id"]]):
            total = totals[(ancestor, dimension, row["value"])]
            for i, count in enumerate(counts):
                total[i] += count
    return [
        (perimeter_id, period, start, dimension, value, *_typed(counts))
        for (perimeter_id, dimension, value), counts in totals.items()
    ]


def _typed(counts: list[float]) -> list[float | int]:
    return [
        c if name == "sentiment_sum" else int(c) for name, c in zip(COUNTERS, counts, strict=True)
    ]


_COLUMNS = ("perimeter_id", "period", "start", "dimension", "value", *COUNTERS)


def _insert(rows: list[tuple[Any, ...]]) -> None:
    """One executemany: model instances would cost more than the aggregation itself."""
    if not rows:
        return
    table = connection.ops.quote_name(MetricValue._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in _COLUMNS)
    marks = ", ".join(["%s"] * len(_COLUMNS))
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)
