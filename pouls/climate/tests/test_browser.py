"""Must show (d): in Debian's Chromium, an employee answers on a phone-sized window with
JavaScript off, in French; the manager sees the results only once the threshold is reached.

Skipped when /usr/bin/chromium is absent, unless POULS_REQUIRE_BROWSER=1 (CI)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from pouls.climate.actions import do_write_answer_batch
from pouls.climate.models import ResultGroup
from pouls.climate.tests.builders import ALL, answer, distributor_of, make_campaign, print_links
from pouls.testing import PASSWORD, Personas

pytestmark = pytest.mark.browser
SHOTS = Path(os.environ.get("POULS_SCREENSHOTS", tempfile.gettempdir()))


def test_an_employee_answers_on_a_phone_and_the_manager_sees_results_at_the_threshold(
    browser: Any, live_url: str, personas: Personas
) -> None:
    campaign = make_campaign(owner=personas.lille, name="Baromètre Lille")
    for level in (1, 2, 4, 5):
        answer(campaign, personas.lille_team, level)
    link = print_links(
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
    assert manager.locator("#hidden").count() == 1  # pending until the worker's batch
    do_write_answer_batch(campaign.pk, floor=1)
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


def _log_in(page: Any, live_url: str, username: str) -> None:
    page.goto(live_url + reverse("login"))
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(live_url + reverse("web-home-view"))


def _assert_no_sideways_scroll(page: Any, url: str) -> None:
    # The comments page loads the text analysis once per process: slow on a shared machine.
    page.goto(url, timeout=180_000)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, (url, width)


def test_climate_pages_do_not_scroll_sideways_on_a_390_px_phone(
    browser: Any, live_url: str, personas: Personas
) -> None:
    campaign = make_campaign(
        owner=personas.nord,
        targets=[personas.lille, personas.roubaix],
        instruments=ALL,
        demographics=["role", "seniority"],
        name="Baromètre climat et reporting — Région Nord, vague d’automne",
    )
    for team in (personas.lille_team, personas.roubaix):
        for level in (1, 2, 3, 4, 5, 3):
            answer(campaign, team, level, comments={"general": "Le planning change trop souvent."})
    draft = make_campaign(owner=personas.nord, instruments=ALL, launch=False, name="Brouillon")
    groups = ResultGroup.objects.filter(campaign=campaign).order_by("perimeter__path")
    phone = {"viewport": {"width": 390, "height": 844}, "locale": "fr-FR"}

    manager = browser.new_context(**phone).new_page()
    _log_in(manager, live_url, "carol")
    pages = [
        reverse("climate-campaign-list"),
        reverse("climate-campaign-detail", args=[campaign.code]),
        reverse("climate-campaign-detail", args=[draft.code]),
        reverse("climate-campaign-preview", args=[draft.code]),
        reverse("climate-campaign-new"),
    ]
    for group in groups:
        pages += [
            reverse(name, args=[group.code])
            for name in ("climate-results", "climate-results-comments", "climate-results-customers")
        ]
    for url in pages:
        _assert_no_sideways_scroll(manager, live_url + url)
    manager.goto(live_url + reverse("climate-results", args=[groups[0].code]))
    assert manager.locator("details.stats").count() > 0
    manager.screenshot(path=str(SHOTS / "climate-results-390.png"), full_page=True)

    distributor = browser.new_context(**phone).new_page()
    _log_in(distributor, live_url, distributor_of(campaign).username)
    _assert_no_sideways_scroll(
        distributor, live_url + reverse("climate-distribution", args=[campaign.code])
    )
    distributor.select_option("#id_perimeter", label="Site Roubaix")
    distributor.fill("#id_count", "2")
    distributor.get_by_role("button", name="Créer les liens").click()
    distributor.wait_for_selector("li.slip svg")
    assert distributor.locator("li.slip svg").count() == 2
    assert distributor.evaluate("document.documentElement.scrollWidth") <= 390
