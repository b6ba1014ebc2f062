"""The public answer form: success path, French validation errors, invitations, honeypot."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from pouls.callbacks.models import Callback
from pouls.feedback.models import CallbackContact, Feedback
from pouls.surveys.forms import new_nonce
from pouls.surveys.models import Invitation, Survey, SurveyLink
from pouls.testing import Personas, make_person, make_survey


def _store_link(survey: Survey, personas: Personas) -> SurveyLink:
    return survey.links.get(perimeter=personas.lille, person=None)


def _nonce(client: Client, url: str) -> str:
    body = client.get(url).content.decode()
    found = re.search(r'name="jeton" value="([^"]+)"', body)
    assert found, "the form renders its signed nonce"
    return found.group(1)


def _post(client: Client, link: SurveyLink, **fields: str) -> object:
    url = reverse("surveys-answer-form", args=[link.token])
    data = {"jeton": _nonce(client, url), "note": "3", "pourquoi": "", **fields}
    return client.post(url, data)


@pytest.fixture
def survey(personas: Personas) -> Survey:
    return make_survey(perimeter=personas.nord, ask_csat=True, ask_ces=True)


def test_it_gives_a_link_per_store_and_seller(personas: Personas) -> None:
    seller = make_person(perimeter=personas.lille_team, first_name="Inès", last_name="Roux")
    survey = make_survey(perimeter=personas.nord)
    stores = set(survey.links.filter(person=None).values_list("perimeter__name", flat=True))
    assert stores == {"Site Lille", "Site Roubaix"}
    assert survey.links.get(person=seller).perimeter == personas.lille_team


def test_the_form_is_french_and_accessible(client: Client, survey: Survey) -> None:
    link = survey.links.filter(person=None).first()
    assert link is not None
    body = client.get(reverse("surveys-answer-form", args=[link.token])).content.decode()
    assert '<html lang="fr">' in body and 'name="viewport"' in body
    assert body.count("<fieldset") >= 3 and "<legend>" in body
    for value in range(11):
        assert f'for="id_note_{value}"' in body
    assert "Pourquoi ?" in body and "<script" not in body  # no JavaScript needed


def test_a_detractor_becomes_pseudonymised_feedback_and_a_callback(
    client: Client, survey: Survey, personas: Personas, django_capture_on_commit_callbacks: object
) -> None:
    link = _store_link(survey, personas)
    response = _post(
        client,
        link,
        note="2",
        pourquoi="Personne en caisse. Je suis Jean Dupont, appelez le 06 12 34 56 78.",
        satisfaction="2",
        effort="1",
        rappel="on",
        contact="06 12 34 56 78",
    )
    assert response.status_code == 302  # type: ignore[attr-defined]
    feedback = Feedback.objects.get()
    assert feedback.source_kind == "survey" and feedback.perimeter == personas.lille
    assert (feedback.nps, feedback.csat, feedback.ces, feedback.ces_scale) == (2, 2, 1, 5)
    assert "06 12" not in feedback.text and "[TÉLÉPHONE]" in feedback.text
    assert feedback.callback_consent and feedback.customer_ref
    assert CallbackContact.objects.get(feedback=feedback).contact == "06 12 34 56 78"
    callback = Callback.objects.get(feedback=feedback)
    assert callback.perimeter == personas.lille and callback.reason == "detractor"
    thanks = client.get(response["Location"])  # type: ignore[index]
    assert "Merci pour votre réponse" in thanks.content.decode()


def test_the_analysis_is_queued_after_an_answer(
    client: Client, survey: Survey, personas: Personas, django_capture_on_commit_callbacks: object
) -> None:
    from django_tasks_db.models import DBTaskResult

    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        _post(client, _store_link(survey, personas), note="9", pourquoi="Très bon accueil.")
    assert DBTaskResult.objects.filter(task_path__endswith="analyse_pending_feedback").exists()


def test_a_sellers_link_assigns_the_callback_to_the_seller(
    client: Client, personas: Personas
) -> None:
    seller = make_person(perimeter=personas.lille, first_name="Inès", last_name="Roux")
    survey = make_survey(perimeter=personas.lille)
    _post(client, survey.links.get(person=seller), note="4", rappel="on", contact="a@b.fr")
    assert Callback.objects.get().assignee == seller
    assert Feedback.objects.get().person == seller


def test_the_link_of_a_seller_who_left_reaches_the_store_without_naming_her(
    client: Client, personas: Personas
) -> None:
    seller = make_person(perimeter=personas.lille, first_name="Inès", last_name="Roux")
    survey = make_survey(perimeter=personas.lille)
    link = survey.links.get(person=seller)
    seller.is_active = False
    seller.save(update_fields=["is_active"])
    body = client.get(reverse("surveys-answer-form", args=[link.token])).content.decode()
    assert "Site Lille" in body and "Inès" not in body
    _post(client, link, note="4", rappel="on", contact="a@b.fr")
    assert Feedback.objects.get().person is None
    assert Callback.objects.get().assignee is None


def test_a_promoter_or_a_refusal_does_not_enter_the_queue(
    client: Client, survey: Survey, personas: Personas
) -> None:
    link = _store_link(survey, personas)
    _post(client, link, note="10", rappel="on", contact="a@b.fr")
    _post(client, link, note="1")
    assert Feedback.objects.count() == 2 and not Callback.objects.exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"note": ""}, "Choisissez une note de 0 à 10."),
        ({"note": "11"}, "La note doit être un nombre entier de 0 à 10."),
        ({"satisfaction": "9"}, "La satisfaction se note de 1 à 5."),
        ({"rappel": "on"}, "Indiquez un téléphone ou un e-mail"),
        ({"rappel": "on", "contact": "bonjour"}, "ni un numéro de téléphone"),
        ({"rappel": "on", "contact": "x@"}, "pas une adresse e-mail valide"),
        ({"contact": "0612345678"}, "Cochez cette case"),
        ({"pourquoi": "a" * 4001}, "Au plus 4000 caractères"),
        ({"jeton": "forged"}, "Ce formulaire avait expiré"),
    ],
)
def test_bad_input_gets_a_french_message_and_stores_nothing(
    client: Client, survey: Survey, personas: Personas, fields: dict[str, str], message: str
) -> None:
    response = _post(client, _store_link(survey, personas), **fields)
    assert response.status_code == 400  # type: ignore[attr-defined]
    body = response.content.decode()  # type: ignore[attr-defined]
    assert message in body.replace("&#x27;", "'").replace("&nbsp;", " ")
    assert 'role="alert"' in body
    assert not Feedback.objects.exists()


def test_the_honeypot_thanks_the_robot_and_stores_nothing(
    client: Client, survey: Survey, personas: Personas
) -> None:
    response = _post(client, _store_link(survey, personas), site_web="http://spam.example")
    assert response.status_code == 302  # type: ignore[attr-defined]
    assert not Feedback.objects.exists()


def test_an_unknown_or_closed_link_is_404(client: Client, survey: Survey) -> None:
    assert client.get(reverse("surveys-answer-form", args=["nope"])).status_code == 404
    link = survey.links.first()
    assert link is not None
    Survey.objects.filter(pk=survey.pk).update(is_open=False)
    assert client.get(reverse("surveys-answer-form", args=[link.token])).status_code == 404


def test_an_invitation_allows_one_answer(client: Client, personas: Personas) -> None:
    survey = make_survey(perimeter=personas.lille, use_invitations=True)
    link = survey.links.get(person=None)
    url = reverse("surveys-answer-form", args=[link.token])
    refused = client.get(url)
    assert refused.status_code == 403 and "invitation" in refused.content.decode()
    invitation = Invitation.objects.create(link=link, perimeter=personas.lille)
    form = f"{url}?i={invitation.token}"
    first = client.post(
        url, {"jeton": _nonce(client, form), "note": "8", "invitation": invitation.token}
    )
    assert first.status_code == 302
    again = client.post(url, {"jeton": new_nonce(), "note": "0", "invitation": invitation.token})
    assert again.status_code == 410 and "déjà répondu" in again.content.decode()
    assert client.get(f"{url}?i=inconnue").status_code == 404
    assert Feedback.objects.count() == 1


def test_an_expired_form_can_be_sent_again(
    client: Client, survey: Survey, personas: Personas
) -> None:
    link = _store_link(survey, personas)
    url = reverse("surveys-answer-form", args=[link.token])
    refused = client.post(url, {"jeton": "périmé", "note": "6", "pourquoi": "Lent."})
    assert refused.status_code == 400
    fresh = re.search(r'name="jeton" value="([^"]+)"', refused.content.decode())
    assert fresh is not None and fresh.group(1) != "périmé"
    again = client.post(url, {"jeton": fresh.group(1), "note": "6", "pourquoi": "Lent."})
    assert again.status_code == 302 and Feedback.objects.get().text == "Lent."
