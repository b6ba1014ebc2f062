"""The respondent's pages: welcome with the frozen rules, French errors, one-time links;
comments shown only above their threshold, shuffled, undated, pseudonymised, analysed."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from pouls.climate.actions import do_close_campaign, do_write_answer_batch
from pouls.climate.models import Campaign, Comment, Response, ResultGroup
from pouls.climate.tests.builders import answer, answers_for, make_campaign, print_links
from pouls.testing import Personas


def _link(personas: Personas, **kwargs: Any) -> tuple[Campaign, str]:
    campaign = make_campaign(owner=personas.lille, **kwargs)
    token = print_links(campaign, personas.lille_team)[0]
    return campaign, reverse("climate-answer", args=[token])


def test_the_welcome_page_states_the_frozen_rules_in_french(
    client: Client, personas: Personas
) -> None:
    _campaign, url = _link(personas, min_scores=7, min_comments=12, demographics=["seniority"])
    body = client.get(url).content.decode()
    assert '<html lang="fr">' in body
    assert "moins de 7 répondants" in body and "au moins 12 dans le groupe" in body
    assert "ni adresse IP" in body and "Je préfère ne pas répondre" in body
    assert 'type="radio"' in body and "<legend>" in body and "<script" not in body
    assert not client.get(url).cookies  # no cookie of ours on the respondent's device


def test_missing_answers_get_french_messages_and_nothing_is_stored(
    client: Client, personas: Personas
) -> None:
    _campaign, url = _link(personas)
    response = client.post(url, {"i_en01": "3", "c_role": "pas une catégorie"})
    body = response.content.decode()
    assert response.status_code == 200 and 'role="alert"' in body
    assert "Répondez à cette question" in body
    assert not Response.objects.exists()


def test_an_answer_is_stored_once_with_its_day_and_the_link_dies(
    client: Client, personas: Personas
) -> None:
    campaign, url = _link(personas, demographics=["role"])
    data = {f"i_{k}": str(v) for k, v in answers_for(campaign, 4).items()}
    data |= {"c_role": "encadrement", "t_general": "Appelez Jean Dupont au 06 12 34 56 78."}
    response = client.post(url, data)
    assert response.status_code == 302 and response["Location"] == reverse("climate-answer-done")
    assert not Response.objects.exists()  # buffered until the worker writes a batch
    do_write_answer_batch(campaign.pk, floor=1)
    stored = Response.objects.get()
    assert stored.categories == {"role": "encadrement"}
    assert stored.answers == answers_for(campaign, 4)
    text = Comment.objects.get().text
    assert "06 12 34 56 78" not in text and "Dupont" not in text
    again = client.post(url, data)
    assert "plus actif" in again.content.decode() and Response.objects.count() == 1


def test_a_closed_campaign_takes_no_answer(client: Client, personas: Personas) -> None:
    campaign, url = _link(personas)
    do_close_campaign(campaign)
    assert "plus actif" in client.get(url).content.decode()
    assert "plus actif" in client.get(reverse("climate-answer", args=["nimporte"])).content.decode()


def test_comments_only_above_their_threshold_and_analysed(
    client: Client, personas: Personas
) -> None:
    campaign = make_campaign(owner=personas.lille)
    group = ResultGroup.objects.get(campaign=campaign, perimeter=personas.lille)
    url = reverse("climate-results-comments", args=[group.code])
    texts = [
        f"Le planning change trop souvent, semaine {i}, on manque de temps." for i in range(10)
    ]
    for i, text in enumerate(texts[:9]):
        answer(campaign, personas.lille_team, i % 6, comments={"general": text})
    client.force_login(personas.bob)
    body = client.get(url).content.decode()
    assert 'id="hidden"' in body and "planning" not in body
    answer(campaign, personas.lille_team, 2, comments={"general": texts[9]})
    response = client.get(url)
    shown = response.context["page"].texts
    assert sorted(shown) == sorted(texts) and shown != texts  # all ten, shuffled
    assert sum(response.context["page"].sentiment.values()) == 10
