"""The transaction-safe record of what the rollups must rebuild.

Every write that changes a rollup counter (stored feedback, its analysis, a deletion) calls
``record_days`` inside the transaction that writes the rows; ``pouls.rollups.fill.refresh``
reads and deletes the records. Lives in the feedback app so that feedback, surveys and
annotations write it without importing the rollups.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils import timezone

from pouls.feedback.models import ChangedDay


def record_days(values: Iterable[dt.date | dt.datetime]) -> int:
    """Record the (French) days of these dates or instants as changed; how many days.
    Call it in the transaction that writes the rows, so both commit or neither does."""
    days = {timezone.localdate(v) if isinstance(v, dt.datetime) else v for v in values}
    ChangedDay.objects.bulk_create([ChangedDay(day=d) for d in sorted(days)])
    return len(days)
