"""The demo's planted payment incident (docs/demo.md, scenario 1) is found as a weak signal
through the whole chain: analysis of the texts, rollups, detection."""

from __future__ import annotations

import datetime as dt

import pytest

from pouls.annotations.services import annotate_pending
from pouls.demo.build import SCENARIOS, do_build_demo
from pouls.rollups.fill import refresh
from pouls.watch.detection import detect_recent
from pouls.watch.models import ThemeSignal

END = dt.date(2026, 11, 15)


@pytest.mark.django_db
def test_the_payment_incident_is_signalled_in_its_two_stores_within_two_weeks() -> None:
    do_build_demo(seed=42, end=END)  # full size: a smaller demo has too few complaints
    annotate_pending()
    refresh()
    detect_recent(weeks=10, today=END + dt.timedelta(days=1))
    payment = ThemeSignal.objects.filter(theme="checkout_payment").select_related("perimeter")
    stores = {s.perimeter.name.removeprefix("Magasin ") for s in payment}
    assert stores == set(SCENARIOS.payment_stores)
    onset = END - dt.timedelta(weeks=SCENARIOS.payment_weeks_before_end)
    for signal in payment:
        delay = (signal.first_seen + dt.timedelta(days=6) - onset).days
        assert 0 <= delay <= 14, (signal, delay)
    # Few alarms elsewhere: at most one per 100 store-theme-weeks scanned.
    others = ThemeSignal.objects.exclude(theme="checkout_payment").count()
    assert others <= 18 * 22 * 10 / 100
