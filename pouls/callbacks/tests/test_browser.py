"""The closed loop in a real browser (Debian's Chromium through Playwright): a customer answers
through the QR link on a phone-sized window, the detractor lands in the store's callback
queue, the seller logs the call, and the closure shows in the figures."""

from __future__ import annotations

import io
from typing import Any

import pytest
import segno
from django.urls import reverse

from pouls.callbacks.models import Callback
from pouls.testing import PASSWORD, Personas, make_grant, make_person, make_survey, make_user

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def _login(tab: Any, base: str, username: str) -> None:
    tab.goto(base + reverse("login"))
    tab.fill("#id_username", username)
    tab.fill("#id_password", PASSWORD)
    tab.click("button[type=submit]")
    tab.wait_for_url(base + reverse("web-home-view"))


def _qr_link(tab: Any, base: str, survey_code: str, link_code: str) -> str:
    """The public URL shown beside the seller's QR code, checked against the PNG served."""
    tab.goto(base + reverse("surveys-survey-detail", args=[survey_code]))
    card = tab.locator(f'[data-link="{link_code}"]')
    url = str(card.locator("a.public-url").get_attribute("href"))
    assert card.locator("img").evaluate("img => img.complete && img.naturalWidth > 0")
    png = tab.request.get(base + reverse("surveys-link-qr-png", args=[link_code]))
    assert png.ok and png.headers["content-type"] == "image/png"
    expected = io.BytesIO()
    segno.make(url, error="m").save(expected, kind="png", scale=10, border=4)
    assert png.body() == expected.getvalue(), "the QR code encodes the link shown"
    return url


def _answer_on_a_phone(chromium: Any, url: str) -> None:
    context = chromium.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    phone = context.new_page()
    phone.set_default_timeout(60_000)  # the first answer loads the pseudonymiser
    phone.goto(url)
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    # Keyboard only: focus the scale, move to 2 with the arrow keys.
    phone.focus("#id_note_0")
    phone.keyboard.press("ArrowRight")
    phone.keyboard.press("ArrowRight")
    assert phone.is_checked("#id_note_2")
    phone.fill("#id_pourquoi", "Vingt minutes d'attente en caisse, personne pour m'aider.")
    phone.check("#id_rappel")
    phone.fill("#id_contact", "06 12 34 56 78")
    phone.click("button[type=submit]")
    phone.wait_for_selector("text=Merci pour votre réponse")
    context.close()


def test_a_qr_answer_reaches_the_queue_and_its_closure_the_figures(
    page: Any,  # noqa: F811
    live_url: str,  # noqa: F811
    personas: Personas,
) -> None:
    sam = make_user("sam")
    make_grant(sam, personas.lille, "viewer")
    seller = make_person(perimeter=personas.lille, first_name="Sam", last_name="Leroy", user=sam)
    survey = make_survey(perimeter=personas.lille)
    link = survey.links.get(person=seller)

    _login(page, live_url, "alice")
    url = _qr_link(page, live_url, str(survey.code), str(link.code))
    _answer_on_a_phone(page.context.browser, url)

    callback = Callback.objects.get()
    assert callback.assignee == seller
    seller_page = page.context.browser.new_context(viewport=PHONE).new_page()
    _login(seller_page, live_url, "sam")
    seller_page.goto(live_url + reverse("callbacks-callback-queue", args=[personas.lille.code]))
    row = seller_page.locator("#queue tr.callback")
    assert row.count() == 1 and "Vingt minutes" in row.inner_text()
    row.locator("text=Ouvrir").click()
    seller_page.check("input[name=issue][value=resolved]")
    seller_page.fill("#id_note", "Cliente rappelée, excuses et bon d'achat.")
    seller_page.click("button:has-text('Enregistrer')")
    seller_page.wait_for_selector("text=Appel enregistré")
    assert "Résolu" in seller_page.inner_text("#state")

    seller_page.goto(live_url + reverse("callbacks-callback-queue", args=[personas.lille.code]))
    assert seller_page.locator("#queue tr.callback").count() == 0
    seller_page.goto(live_url + reverse("callbacks-callback-figures", args=[personas.lille.code]))
    sla = seller_page.inner_text("#sla")
    assert "100 %" in sla and "1 sur 1" in sla
    assert "n = 1" in seller_page.inner_text("#median")
