"""The team-screen mode in a real browser (Debian's Chromium): one section per screen, the
arrow keys move one section at a time, Escape goes back to the briefing's page."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from pouls.briefings.actions import do_create_briefing
from pouls.testing import PASSWORD, Personas, make_feedback, refresh_rollups

pytestmark = pytest.mark.browser


def test_the_team_screen_moves_one_section_per_key(
    page: Any,  # noqa: F811
    live_url: str,  # noqa: F811
    personas: Personas,
) -> None:
    make_feedback(perimeter=personas.lille, nps=10, text="Conseils précieux, merci !")
    refresh_rollups()
    briefing = do_create_briefing(personas.carol, personas.lille, "weekly", dt.date(2026, 11, 9))
    page.set_viewport_size({"width": 1280, "height": 720})
    page.goto(live_url + reverse("login"))
    page.fill("#id_username", "bob")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(live_url + reverse("web-home-view"))
    page.goto(live_url + reverse("briefings-briefing-present", args=[briefing.code]))
    sections = page.locator(".bsec")
    assert sections.count() == 8
    for expected in ("s-chiffres", "s-clients"):
        page.keyboard.press("ArrowDown")
        page.wait_for_function(
            "id => Math.abs(document.getElementById(id).getBoundingClientRect().top) < 2",
            arg=expected,
        )
    height = page.evaluate("document.getElementById('s-clients').offsetHeight")
    assert height >= 720  # a full screen per section
    page.keyboard.press("Escape")
    page.wait_for_url(live_url + reverse("briefings-briefing-detail", args=[briefing.code]))
