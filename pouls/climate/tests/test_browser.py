"""Must show (d): in Debian's Chromium, an employee answers on a phone-sized window with
JavaScript off, in French; the manager sees the results only once the threshold is reached.

Skipped when /usr/bin/chromium is absent, unless POULS_REQUIRE_BROWSER=1 (CI)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from pouls.climate.actions import do_print_links
from pouls.climate.models import ResultGroup
from pouls.climate.tests.builders import answer, make_campaign
from pouls.testing import PASSWORD, Personas

pytestmark = pytest.mark.browser


def test_an_employee_answers_on_a_phone_and_the_manager_sees_results_at_the_threshold(
    browser: Any, live_url: str, personas: Personas
) -> None:
    campaign = make_campaign(owner=personas.lille, name="Baromètre Lille")
    for level in (1, 2, 4, 5):
        answer(campaign, personas.lille_team, level)
    link = do_print_links(
        campaign, personas.lille_team, 1, lambda t: live_url + reverse("climate-answer", args=[t])
    )[0]
    results = live_url + reverse(
        "climate-results",
        args=[ResultGroup.objects.get(campaign=campaign, perimeter=personas.lille).code],
    )

    manager = browser.new_page()
    manager.goto(live_url + reverse("login"))
    manager.fill("#id_username", "bob")
    manager.fill("#id_password", PASSWORD)
    manager.click("button[type=submit]")
    manager.wait_for_url(live_url + reverse("web-home-view"))
    manager.goto(results)
    assert manager.locator("#hidden").count() == 1
    assert manager.locator("[data-dimension]").count() == 0

    phone = browser.new_context(
        viewport={"width": 375, "height": 740}, java_script_enabled=False, locale="fr-FR"
    ).new_page()
    phone.goto(link)
    assert phone.locator("html").get_attribute("lang") == "fr"
    assert "Vos réponses sont confidentielles" in phone.content()
    assert "moins de 5 répondants" in phone.content()
    # No horizontal scrolling on the phone (Playwright evaluates even with page scripts off).
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    button = phone.get_by_role("button", name="Envoyer mes réponses")
    assert button.bounding_box()["width"] <= 375
    button.click()  # nothing ticked: French errors, nothing stored
    phone.wait_for_selector("#errors")
    assert "Répondez à cette question" in phone.content()
    questions = phone.locator("fieldset.question")
    assert questions.count() == 9
    for i in range(questions.count()):
        choice = questions.nth(i).locator("label").nth(3)
        assert choice.bounding_box()["height"] >= 44  # touch target
        choice.click()
    phone.get_by_role("button", name="Envoyer mes réponses").click()
    phone.wait_for_url(live_url + reverse("climate-answer-done"))
    assert "Merci, vos réponses sont enregistrées" in phone.content()

    manager.goto(results)
    assert manager.locator("#hidden").count() == 0
    assert manager.locator("#group-n").inner_text().startswith("5 répondants")
    assert manager.locator("[data-dimension]").count() == 3


def test_the_climate_radar_is_drawn_from_the_local_plotly(
    browser: Any, live_url: str, personas: Personas
) -> None:
    campaign = make_campaign(owner=personas.lille, instruments=("ethical_climate_fr",))
    for level in (3, 3, 4, 4, 4):
        answer(campaign, personas.lille_team, level, spread=0)
    group = ResultGroup.objects.get(campaign=campaign, perimeter=personas.lille)
    page = browser.new_page()
    page.goto(live_url + reverse("login"))
    page.fill("#id_username", "bob")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(live_url + reverse("web-home-view"))
    page.goto(live_url + reverse("climate-results", args=[group.code]))
    page.wait_for_selector("#climate-radar .main-svg")
    assert "Profil de climat éthique" in page.content()
