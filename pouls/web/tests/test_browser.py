"""A real browser (Debian's Chromium driven by Playwright): bob logs in and stays in his store.

Skipped when /usr/bin/chromium is absent, unless POULS_REQUIRE_BROWSER=1 (CI sets it), in which
case a missing browser fails the run instead of hiding it.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from pouls.testing import PASSWORD, Personas, make_feedback

pytestmark = pytest.mark.browser


def test_bob_logs_in_sees_his_store_and_gets_404_elsewhere(
    page: Any, live_url: str, personas: Personas
) -> None:
    make_feedback(perimeter=personas.lille, nps=10, text="Conseils précieux, merci !")
    make_feedback(perimeter=personas.marseille, nps=1, text="Jamais personne en caisse.")
    page.goto(live_url + reverse("login"))
    page.fill("#id_username", "bob")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(live_url + reverse("web-home-view"))
    assert page.locator("text=Site Lille").count() == 1
    assert page.locator("text=Site Marseille").count() == 0

    page.click("text=Site Lille")
    page.wait_for_selector("#nps")
    assert "Conseils précieux" in page.content()
    page.wait_for_selector("#trend .main-svg")  # Plotly drew the chart from the package's JS

    foreign = reverse("web-perimeter-dashboard", args=[personas.marseille.code])
    response = page.goto(live_url + foreign)
    assert response is not None and response.status == 404
    assert "Jamais personne" not in page.content()
