"""Survey pages for signed-in people: create, links and QR codes, invitations."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
import segno
from django.test import Client
from django.urls import reverse

from pouls.surveys.models import Invitation, Survey, SurveyLink
from pouls.testing import Personas, make_person, make_survey

NEW = {
    "perimeter": "",
    "title": "Après votre visite",
    "question": "Recommanderiez-vous notre magasin ?",
    "ask_callback": "on",
}


def test_an_admin_creates_a_survey_with_links(client: Client, personas: Personas) -> None:
    make_person(perimeter=personas.roubaix, first_name="Léa", last_name="Petit")
    client.force_login(personas.alice)
    response = client.post(
        reverse("surveys-survey-new"), {**NEW, "perimeter": personas.nord.pk, "ask_csat": "on"}
    )
    survey = Survey.objects.get()
    assert response.status_code == 302 and survey.created_by == personas.alice
    assert survey.ask_csat and not survey.ask_ces
    assert survey.links.count() == 3  # Lille, Roubaix, Léa
    page = client.get(response["Location"]).content.decode()
    for link in survey.links.all():
        assert reverse("surveys-answer-form", args=[link.token]) in page
        assert reverse("surveys-link-qr-svg", args=[link.code]) in page


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"title": ""}, "Donnez un titre à l’enquête."),
        ({"perimeter": "999999"}, "Choisissez un périmètre que vous administrez."),
        ({"question": ""}, "Écrivez la question de recommandation."),
    ],
)
def test_survey_form_errors_are_french(
    client: Client, personas: Personas, fields: dict[str, str], message: str
) -> None:
    client.force_login(personas.alice)
    data = {**NEW, "perimeter": str(personas.lille.pk), **fields}
    response = client.post(reverse("surveys-survey-new"), data)
    assert response.status_code == 200 and message in response.content.decode()
    assert not Survey.objects.exists()


def test_only_perimeters_one_administers_are_offered(client: Client, personas: Personas) -> None:
    client.force_login(personas.carol)  # analyst, not admin
    response = client.post(reverse("surveys-survey-new"), {**NEW, "perimeter": personas.nord.pk})
    assert "Choisissez un périmètre que vous administrez." in response.content.decode()
    assert not Survey.objects.exists()
    body = client.get(reverse("surveys-survey-list")).content.decode()
    assert "Nouvelle enquête" not in body


def test_the_qr_codes_encode_the_public_link(client: Client, personas: Personas) -> None:
    link = make_survey(perimeter=personas.lille).links.get()
    client.force_login(personas.bob)
    png = client.get(reverse("surveys-link-qr-png", args=[link.code]))
    assert png.status_code == 200 and png["Content-Type"] == "image/png"
    assert png.content.startswith(b"\x89PNG")
    svg = client.get(reverse("surveys-link-qr-svg", args=[link.code]))
    assert svg["Content-Type"] == "image/svg+xml" and b"<svg" in svg.content
    expected = segno.make(
        "http://testserver" + reverse("surveys-answer-form", args=[link.token]), error="m"
    )
    out = io.BytesIO()
    expected.save(out, kind="png", scale=10, border=4)
    assert png.content == out.getvalue()


def test_invitations_download_as_csv(client: Client, personas: Personas) -> None:
    link = make_survey(perimeter=personas.lille, use_invitations=True).links.get()
    client.force_login(personas.alice)
    url = reverse("surveys-link-invitations", args=[link.code])
    response = client.post(url, {"nombre": "3"})
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["lien"] and len(rows) == 4
    tokens = set(Invitation.objects.values_list("token", flat=True))
    assert {row[0].rsplit("?i=", 1)[1] for row in rows[1:]} == tokens
    bad = client.post(url, {"nombre": "0"})
    assert bad.status_code == 400 and "Créez au moins une invitation." in bad.content.decode()


def test_bob_reads_links_but_cannot_create(client: Client, personas: Personas) -> None:
    link = make_survey(perimeter=personas.lille, use_invitations=True).links.get()
    client.force_login(personas.bob)
    url = reverse("surveys-link-invitations", args=[link.code])
    assert client.post(url, {"nombre": "3"}).status_code == 403
    response = client.post(reverse("surveys-survey-new"), {**NEW, "perimeter": personas.lille.pk})
    assert response.status_code == 200 and not Survey.objects.exclude(pk=link.survey_id).exists()


def test_charlie_gets_404(client: Client, personas: Personas) -> None:
    survey = make_survey(perimeter=personas.lille)
    link = survey.links.get()
    client.force_login(personas.charlie)
    for url in (
        reverse("surveys-survey-detail", args=[survey.code]),
        reverse("surveys-link-qr-png", args=[link.code]),
    ):
        assert client.get(url).status_code == 404
    url = reverse("surveys-link-invitations", args=[link.code])
    assert client.post(url, {"nombre": "1"}).status_code == 404


def test_the_survey_list_costs_the_same_queries_for_more_rows(
    client: Client, personas: Personas, django_assert_max_num_queries: Any
) -> None:
    client.force_login(personas.carol)
    make_survey(perimeter=personas.lille)
    client.get(reverse("surveys-survey-list"))
    for i in range(5):
        make_survey(perimeter=personas.roubaix, title=f"Enquête {i}")
    with django_assert_max_num_queries(6):
        assert client.get(reverse("surveys-survey-list")).status_code == 200
    survey = Survey.objects.first()
    assert survey is not None
    with django_assert_max_num_queries(8):
        client.get(reverse("surveys-survey-detail", args=[survey.code]))
    assert SurveyLink.objects.count() == 6


def test_an_admin_closes_reopens_and_adds_links(client: Client, personas: Personas) -> None:
    survey = make_survey(perimeter=personas.lille)
    url = reverse("surveys-survey-manage", args=[survey.code])
    client.force_login(personas.alice)
    assert client.post(url, {"action": "fermer"}).status_code == 302
    public = reverse("surveys-answer-form", args=[survey.links.get().token])
    assert Client().get(public).status_code == 404
    client.post(url, {"action": "rouvrir"})
    assert Client().get(public).status_code == 200
    make_person(perimeter=personas.lille, first_name="Noé", last_name="Blanc")
    response = client.post(url, {"action": "liens"}, follow=True)
    assert "Liens créés : 1." in response.content.decode() and survey.links.count() == 2
    bad = client.post(url, {"action": "effacer"})
    assert bad.status_code == 400 and "n’est pas une action connue" in bad.content.decode()
    assert bad["Content-Type"].startswith("text/plain")  # echoes the input: never as HTML


def test_bob_cannot_manage_a_survey(client: Client, personas: Personas) -> None:
    survey = make_survey(perimeter=personas.lille)
    client.force_login(personas.bob)
    url = reverse("surveys-survey-manage", args=[survey.code])
    assert client.post(url, {"action": "fermer"}).status_code == 403
    survey.refresh_from_db()
    assert survey.is_open


def test_a_store_viewer_reaches_his_stores_links_of_a_group_survey(
    client: Client, personas: Personas
) -> None:
    survey = make_survey(perimeter=personas.group, title="Enquête groupe")
    client.force_login(personas.bob)
    assert "Enquête groupe" in client.get(reverse("surveys-survey-list")).content.decode()
    body = client.get(reverse("surveys-survey-detail", args=[survey.code])).content.decode()
    shown = {link.perimeter.name for link in survey.links.all() if str(link.code) in body}
    assert shown == {"Site Lille"}
    assert "Fermer l’enquête" not in body
    client.force_login(personas.charlie)
    assert client.get(reverse("surveys-survey-detail", args=[survey.code])).status_code == 404


def test_a_store_viewer_counts_only_the_links_he_may_see(personas: Personas) -> None:
    from pouls.surveys.queries import list_surveys

    make_person(perimeter=personas.lille, first_name="Inès", last_name="Martin")
    make_person(perimeter=personas.marseille, first_name="Hugo", last_name="Petit")
    survey = make_survey(perimeter=personas.group, title="Enquête du groupe")
    seen = SurveyLink.objects.for_user(personas.bob).filter(survey=survey).count()
    assert 0 < seen < SurveyLink.objects.filter(survey=survey).count()
    # link_count is an annotation of list_surveys, unknown to the model's type.
    assert [s.link_count for s in list_surveys(personas.bob)] == [seen]  # type: ignore[attr-defined]
    everything = SurveyLink.objects.filter(survey=survey).count()
    assert [s.link_count for s in list_surveys(personas.alice)] == [everything]  # type: ignore[attr-defined]
