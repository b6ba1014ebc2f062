"""Scripts typed into every field are stored as text and shown escaped everywhere."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from pouls.callbacks.models import Callback, CallLog
from pouls.feedback.models import CallbackContact, Feedback
from pouls.surveys.models import Survey, SurveyLink
from pouls.testing import Personas, make_survey, refresh_rollups

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
PAYLOAD = f"{SCRIPT} {IMG}"
RAW = ("<script>alert", "<img src=x")  # neither may reach a page unescaped


def _assert_inert(body: str) -> None:
    for raw in RAW:
        assert raw not in body


@pytest.fixture
def survey(personas: Personas) -> Survey:
    return make_survey(perimeter=personas.lille, title=f"Avis {PAYLOAD}", ask_csat=True)


def _link(survey: Survey) -> SurveyLink:
    return survey.links.get()


def _nonce(client: Client, url: str) -> str:
    found = re.search(r'name="jeton" value="([^"]+)"', client.get(url).content.decode())
    assert found is not None
    return found.group(1)


def test_a_script_in_every_field_is_refused_and_echoed_escaped(
    client: Client, survey: Survey
) -> None:
    url = reverse("surveys-answer-form", args=[_link(survey).token])
    page = client.get(url).content.decode()
    _assert_inert(page)
    assert "Avis &lt;script&gt;alert(1)&lt;/script&gt;" in page
    fields = ("note", "pourquoi", "satisfaction", "rappel", "contact", "jeton")
    response = client.post(url, {name: PAYLOAD for name in fields})
    body = response.content.decode()
    assert response.status_code == 400
    _assert_inert(body)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body  # the "pourquoi" text, escaped
    assert not Feedback.objects.exists()
    unknown = client.post(url, {"invitation": PAYLOAD, "note": "1"})
    assert unknown.status_code == 404
    _assert_inert(unknown.content.decode())


def test_a_stored_script_is_shown_inert_on_every_page(
    client: Client, survey: Survey, personas: Personas
) -> None:
    url = reverse("surveys-answer-form", args=[_link(survey).token])
    data = {
        "jeton": _nonce(client, url),
        "note": "1",
        "pourquoi": PAYLOAD,
        "rappel": "on",
        "contact": "client@example.fr",
    }
    assert client.post(url, data).status_code == 302
    feedback = Feedback.objects.get()
    assert feedback.text == PAYLOAD  # stored as the customer typed it: text, not markup
    assert CallbackContact.objects.get().contact == "client@example.fr"
    callback = Callback.objects.get()
    client.force_login(personas.carol)
    detail = reverse("callbacks-callback-detail", args=[callback.code])
    client.post(detail, {"issue": "reached", "note": PAYLOAD})
    assert CallLog.objects.get().note == PAYLOAD
    refresh_rollups()
    pages = [
        detail,
        reverse("callbacks-callback-queue", args=[personas.lille.code]),
        reverse("callbacks-callback-figures", args=[personas.lille.code]),
        reverse("web-verbatim-list", args=[personas.lille.code]),
        reverse("web-feedback-detail", args=[feedback.code]),
        reverse("web-perimeter-dashboard", args=[personas.lille.code]),
        reverse("surveys-survey-list"),
        reverse("surveys-survey-detail", args=[survey.code]),
        reverse("surveys-answer-thanks", args=[_link(survey).token]),
    ]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        _assert_inert(response.content.decode())
    body = client.get(detail).content.decode()
    assert body.count("&lt;script&gt;alert(1)&lt;/script&gt;") == 2  # verbatim and note
    assert "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" in body
    svg = client.get(reverse("surveys-link-qr-svg", args=[_link(survey).code])).content
    _assert_inert(svg.decode())
