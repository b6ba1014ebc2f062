"""Spam: 1,000 rapid posts from one address are throttled and never stored twice."""

from __future__ import annotations

import re

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from pouls.feedback.models import Feedback
from pouls.surveys.forms import new_nonce
from pouls.surveys.models import SurveyLink
from pouls.testing import Personas, make_survey

POSTS = 1000


@pytest.fixture
def link(personas: Personas) -> SurveyLink:
    return make_survey(perimeter=personas.lille).links.get(person=None)


def _url(link: SurveyLink) -> str:
    return reverse("surveys-answer-form", args=[link.token])


def test_a_thousand_replayed_posts_are_throttled_and_stored_once(
    client: Client, link: SurveyLink
) -> None:
    body = client.get(_url(link)).content.decode()
    nonce = re.search(r'name="jeton" value="([^"]+)"', body)
    assert nonce is not None
    data = {"jeton": nonce.group(1), "note": "0", "pourquoi": "Nul, nul, nul."}
    statuses = [client.post(_url(link), data).status_code for _ in range(POSTS)]
    assert statuses[0] == 302
    assert statuses.count(429) == POSTS - 10  # POULS_SURVEY_POSTS_PER_IP defaults to 10
    assert set(statuses[10:]) == {429}
    assert Feedback.objects.count() == 1


def test_a_thousand_fresh_forms_from_one_address_store_at_most_the_allowance(
    client: Client, link: SurveyLink
) -> None:
    statuses = [
        client.post(_url(link), {"jeton": new_nonce(), "note": str(i % 11)}).status_code
        for i in range(POSTS)
    ]
    assert statuses.count(302) == 10 and statuses.count(429) == POSTS - 10
    ids = list(Feedback.objects.values_list("source_id", flat=True))
    assert len(ids) == 10 == len(set(ids))


def test_the_429_page_is_french_and_says_when_to_retry(client: Client, link: SurveyLink) -> None:
    for _ in range(10):
        client.post(_url(link), {"jeton": new_nonce(), "note": "5"})
    response = client.post(_url(link), {"jeton": new_nonce(), "note": "5"})
    assert response.status_code == 429 and response["Retry-After"] == "3600"
    body = response.content.decode()
    assert "Trop de réponses envoyées" in body and "réessayer dans une heure" in body


@override_settings(POULS_SURVEY_POSTS_PER_LINK=3, POULS_SURVEY_POSTS_PER_IP=100)
def test_the_link_limit_holds_across_addresses(link: SurveyLink) -> None:
    statuses = [
        Client(REMOTE_ADDR=f"10.0.0.{i}").post(_url(link), {"jeton": new_nonce(), "note": "7"})
        for i in range(5)
    ]
    assert [r.status_code for r in statuses] == [302, 302, 302, 429, 429]


@override_settings(POULS_SURVEY_POSTS_PER_LINK=3, POULS_SURVEY_POSTS_PER_IP=2)
def test_a_throttled_address_does_not_use_up_the_links_allowance(link: SurveyLink) -> None:
    noisy = Client(REMOTE_ADDR="10.0.0.66")
    for _ in range(50):
        noisy.post(_url(link), {"jeton": new_nonce(), "note": "0"})
    customer = Client(REMOTE_ADDR="10.0.0.7")
    assert customer.post(_url(link), {"jeton": new_nonce(), "note": "9"}).status_code == 302
