"""Survey lists show each survey's answers (counted within the user's scope) and link to
them in the verbatim explorer."""

from __future__ import annotations

import re

from django.test import Client
from django.urls import reverse

from pouls.org.models import Perimeter
from pouls.surveys.models import Survey, SurveyAnswer
from pouls.testing import Personas, make_survey


def _answer(client: Client, survey: Survey, store: Perimeter, why: str) -> None:
    link = survey.links.get(perimeter=store, person=None)
    url = reverse("surveys-answer-form", args=[link.token])
    nonce = re.search(r'name="jeton" value="([^"]+)"', client.get(url).content.decode())
    assert nonce
    response = client.post(url, {"jeton": nonce.group(1), "note": "4", "pourquoi": why})
    assert response.status_code == 302


def test_answers_are_counted_in_scope_and_open_in_the_explorer(personas: Personas) -> None:
    survey = make_survey(perimeter=personas.nord, title="Visite Nord")
    other = make_survey(perimeter=personas.nord, title="Autre enquête")
    public = Client()
    _answer(public, survey, personas.lille, "Attente trop longue en caisse.")
    _answer(public, survey, personas.roubaix, "Rayon vide à Roubaix.")
    _answer(public, other, personas.lille, "Autre enquête, autre réponse.")
    assert SurveyAnswer.objects.filter(survey=survey).count() == 2

    carol = Client()
    carol.force_login(personas.carol)
    body = carol.get(reverse("surveys-survey-list")).content.decode()
    explorer = reverse("web-verbatim-list", args=[personas.nord.code])
    assert f'{explorer}?enquete={survey.code}">2 réponses</a>' in body
    assert f'{explorer}?enquete={other.code}">1 réponse</a>' in body
    listed = carol.get(explorer, {"enquete": str(survey.code)}).context["rows"]
    assert {row.feedback.text for row in listed} == {
        "Attente trop longue en caisse.",
        "Rayon vide à Roubaix.",
    }

    # Bob (Lille only) counts Lille's answer alone and cannot open the region's explorer.
    bob = Client()
    bob.force_login(personas.bob)
    body = bob.get(reverse("surveys-survey-list")).content.decode()
    row = body[body.index("Visite Nord") :]
    assert "1 réponse" in row[: row.index("</tr>")] and explorer not in body
    mine = reverse("web-verbatim-list", args=[personas.lille.code])
    listed = bob.get(mine, {"enquete": str(survey.code)}).context["rows"]
    assert [row.feedback.text for row in listed] == ["Attente trop longue en caisse."]
