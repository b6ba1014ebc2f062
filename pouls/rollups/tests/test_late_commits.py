"""A transaction that commits after a refresh has started is counted by the next refresh
(PostgreSQL: concurrent writers; SQLite serialises writers, so there is no such race)."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from django.db import connection, connections, transaction

from pouls.feedback.models import ChangedDay, Feedback
from pouls.rollups import fill
from pouls.rollups.fill import refresh
from pouls.rollups.models import MetricValue
from pouls.testing import Personas, make_feedback

PARIS = dt.timezone(dt.timedelta(hours=1))
EARLY_DAY = dt.date(2026, 11, 3)
OTHER_DAY = dt.date(2026, 11, 4)


def _day_total(perimeter: Any, day: dt.date) -> int:
    row = MetricValue.objects.filter(
        perimeter=perimeter, period="day", start=day, dimension=""
    ).first()
    return row.feedback if row else 0


@pytest.mark.django_db(transaction=True)
def test_a_late_commit_with_lower_keys_shows_up_after_the_next_refresh(
    personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("concurrent write transactions need PostgreSQL")
    written, release = threading.Event(), threading.Event()
    failures: list[BaseException] = []

    def slow_import() -> None:
        # Takes its keys first, commits last: the case a key watermark missed for good.
        try:
            with transaction.atomic():
                for hour in range(5):
                    make_feedback(
                        perimeter=personas.roubaix,
                        nps=2,
                        received_at=dt.datetime(2026, 11, 3, 9 + hour, tzinfo=PARIS),
                    )
                written.set()
                release.wait(30)
        except BaseException as exc:  # reported to the test thread
            failures.append(exc)
            written.set()
        finally:
            connections.close_all()

    worker = threading.Thread(target=slow_import)
    worker.start()
    assert written.wait(30)
    late_top = Feedback.objects.order_by("-pk").values_list("pk", flat=True).first()
    fresh = make_feedback(
        perimeter=personas.lille, received_at=dt.datetime(2026, 11, 4, 12, tzinfo=PARIS)
    )
    assert late_top is None or fresh.pk > late_top  # the late rows have the lower keys

    real_mark = fill.mark_pending

    def commit_during_refresh(days: Any) -> int:
        # The slow import commits between refresh's read of the records and its delete.
        marked = real_mark(days)
        release.set()
        worker.join(30)
        return marked

    monkeypatch.setattr(fill, "mark_pending", commit_during_refresh)
    refresh()
    monkeypatch.setattr(fill, "mark_pending", real_mark)
    assert not failures, failures
    assert _day_total(personas.lille, OTHER_DAY) == 1
    assert _day_total(personas.roubaix, EARLY_DAY) == 0  # not visible when refresh read
    assert ChangedDay.objects.filter(day=EARLY_DAY).exists()
    refresh()
    assert _day_total(personas.roubaix, EARLY_DAY) == 5
    assert _day_total(personas.group, EARLY_DAY) == 5
    assert not ChangedDay.objects.exists()
