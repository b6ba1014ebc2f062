"""In a real browser (Debian's Chromium, see pouls/web/tests/test_browser.py): bob opens his
store's signal and its emergence map, and Plotly draws both charts from the package's JS."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from pouls.testing import PASSWORD, Personas
from pouls.watch.detection import last_complete_week
from pouls.watch.models import ThemeSignal
from pouls.watch.tests.test_evidence import _map_rows

pytestmark = pytest.mark.browser


def test_bob_sees_his_signal_s_trend_and_his_store_s_map(
    page: Any,  # noqa: F811
    live_url: str,  # noqa: F811
    personas: Personas,
) -> None:
    _map_rows(personas)
    week = last_complete_week()
    signal = ThemeSignal.objects.create(
        perimeter=personas.lille,
        theme="delivery",
        kind="surge",
        first_seen=week - dt.timedelta(weeks=1),
        last_seen=week,
        count=25,
        expected=8.0,
    )
    page.goto(live_url + reverse("login"))
    page.fill("#id_username", "bob")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(live_url + reverse("web-home-view"))
    page.goto(live_url + reverse("watch-signal-detail", args=[signal.code]))
    page.wait_for_selector("#signal-chart .main-svg")
    assert "Nulle part ailleurs" in page.content()
    page.goto(live_url + reverse("watch-perimeter-signals", args=[personas.lille.code]))
    page.wait_for_selector("#emergence-chart .main-svg")
    assert page.locator("#emergence-table tbody tr").count() == 3
