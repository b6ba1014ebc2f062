"""The NPS trend in a real browser: whole weeks only on the line, the unfinished week apart,
French months on the axis, and the figures as a table behind a toggle (text alternative)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from pouls.testing import Personas, make_feedback, refresh_rollups
from pouls.web.tests.test_phone import _login

pytestmark = pytest.mark.browser
ENGLISH = re.compile(r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b")
FRENCH = re.compile(r"(janv|févr|mars|avr|mai|juin|juil|août|sept|oct|nov|déc)")


def test_the_trend_draws_whole_weeks_in_french_with_its_table(
    page: Any, live_url: str, personas: Personas
) -> None:
    today = timezone.localdate()
    monday = today - dt.timedelta(days=today.weekday())
    for week in range(1, 6):
        day = monday - dt.timedelta(weeks=week) + dt.timedelta(days=2)
        for score in (9, 10, 3, 8):
            make_feedback(
                perimeter=personas.lille,
                nps=score,
                received_at=timezone.make_aware(dt.datetime.combine(day, dt.time(12))),
            )
    make_feedback(
        perimeter=personas.lille,
        nps=0,
        received_at=timezone.make_aware(dt.datetime.combine(today, dt.time(0, 1))),
    )
    refresh_rollups()
    _login(page, live_url, personas.bob)
    page.goto(live_url + reverse("web-perimeter-dashboard", args=[personas.lille.code]))
    page.wait_for_selector("#trend .main-svg")
    line_x = page.evaluate("document.getElementById('trend').data[1].x")
    assert monday.isoformat() not in line_x and len(line_x) == 5
    apart = page.evaluate("document.getElementById('trend').data[2].x")
    assert apart == [monday.isoformat()]
    assert "1 réponse" in page.inner_text("#trend-left-out")
    ticks = page.evaluate(
        "Array.from(document.querySelectorAll('#trend .xtick text'))"
        ".map(t => t.textContent).join(' ')"
    )
    assert FRENCH.search(ticks) and not ENGLISH.search(ticks), ticks
    assert page.locator("#trend-data tbody tr").count() == 6
    page.click("#trend-data summary")
    assert page.locator("#trend-data table").is_visible()
