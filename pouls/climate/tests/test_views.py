"""Campaign and results views: success paths, French validation errors, scoping (charlie
404, bob read-only 403 on writes), thresholds on results, query counts."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from pouls.climate.instruments import shipped_text
from pouls.climate.models import Campaign, Invitation, ResultGroup
from pouls.climate.tests.builders import answer, distributor_of, make_campaign
from pouls.testing import Personas, make_feedback, make_person, make_user, refresh_rollups


def _new(client: Client, personas: Personas, **overrides: Any) -> Any:
    data = {
        "name": "Baromètre Nord",
        "perimeter": personas.nord.pk,
        "targets": [personas.lille.pk, personas.roubaix.pk],
        "instruments": ["engagement_fr", "ethical_climate_fr"],
        "demographics": ["role"],
        "min_scores": "5",
        "min_comments": "10",
    } | overrides
    return client.post(reverse("climate-campaign-new"), data)


def test_carol_creates_a_draft_then_launches_it(client: Client, personas: Personas) -> None:
    client.force_login(personas.carol)
    response = _new(client, personas)
    campaign = Campaign.objects.get(name="Baromètre Nord")
    assert response.status_code == 302 and campaign.status == "draft"
    assert list(campaign.instruments) == ["engagement_fr", "ethical_climate_fr"]
    client.post(reverse("climate-campaign-launch", args=[campaign.code]))
    campaign.refresh_from_db()
    assert campaign.status == "launched" and campaign.launched_on is not None
    groups = set(
        ResultGroup.objects.filter(campaign=campaign).values_list("perimeter__name", flat=True)
    )
    assert groups == {"Région Nord", "Site Lille", "Équipe Lille Vente", "Site Roubaix"}


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"min_scores": "2"}, "supérieure ou égale à 3"),
        ({"min_comments": "1"}, "supérieure ou égale à 3"),
        ({"instruments": []}, "Choisissez au moins un questionnaire."),
        ({"targets": []}, "Ce champ est obligatoire."),
        ({"perimeter": ""}, "Ce champ est obligatoire."),
    ],
)
def test_bad_input_gets_a_french_message(
    client: Client, personas: Personas, overrides: dict[str, Any], message: str
) -> None:
    client.force_login(personas.carol)
    response = _new(client, personas, **overrides)
    assert response.status_code == 200 and message in response.content.decode()
    assert not Campaign.objects.exists()


def test_targets_must_be_inside_the_owner(client: Client, personas: Personas) -> None:
    client.force_login(personas.alice)
    response = _new(client, personas, perimeter=personas.lille.pk, targets=[personas.marseille.pk])
    assert "La population doit être dans le périmètre porteur." in response.content.decode()


def test_perimeters_out_of_scope_are_not_offered(client: Client, personas: Personas) -> None:
    client.force_login(personas.carol)
    response = _new(
        client, personas, perimeter=personas.marseille.pk, targets=[personas.marseille.pk]
    )
    assert "Sélectionnez un choix valide" in response.content.decode()
    assert "Site Marseille" not in client.get(reverse("climate-campaign-new")).content.decode()


def test_a_licensed_instrument_file_is_validated_by_the_loader(
    client: Client, personas: Personas
) -> None:
    client.force_login(personas.carol)
    good = shipped_text("who5_fr").replace("id: who5_fr", "id: licence_maison")
    upload = SimpleUploadedFile("maison.yaml", good.encode(), content_type="text/yaml")
    response = _new(client, personas, instruments=[], licensed_file=upload)
    assert response.status_code == 302
    assert list(Campaign.objects.get().instruments) == ["licence_maison"]
    bad = good.replace("dimension: wellbeing", "dimension: inconnue", 1)
    upload = SimpleUploadedFile("casse.yaml", bad.encode(), content_type="text/yaml")
    response = _new(client, personas, name="Autre", instruments=[], licensed_file=upload)
    body = response.content.decode()
    assert "Questionnaire invalide" in body and "casse.yaml" in body and "inconnue" in body


def test_bob_cannot_write(client: Client, personas: Personas) -> None:
    campaign = make_campaign(owner=personas.lille, launch=False)
    client.force_login(personas.bob)
    assert client.get(reverse("climate-campaign-new")).status_code == 403
    for name in ("launch", "invite", "remind", "close", "distributor"):
        url = reverse(f"climate-campaign-{name}", args=[campaign.code])
        assert client.post(url).status_code == 403, name
    for name in ("invite-emails", "print"):  # the distributor's, not a grant's
        url = reverse(f"climate-campaign-{name}", args=[campaign.code])
        assert client.post(url).status_code == 404, name
    detail = client.get(reverse("climate-campaign-detail", args=[campaign.code]))
    assert detail.status_code == 200 and "Lecture seule" in detail.content.decode()
    assert "Lancer la campagne" not in detail.content.decode()
    campaign.refresh_from_db()
    assert campaign.status == "draft"


def test_charlie_gets_404(client: Client, personas: Personas) -> None:
    campaign = make_campaign(owner=personas.lille)
    group = ResultGroup.objects.get(campaign=campaign, perimeter=personas.lille)
    client.force_login(personas.charlie)
    assert client.get(reverse("climate-campaign-detail", args=[campaign.code])).status_code == 404
    assert client.get(reverse("climate-results", args=[group.code])).status_code == 404
    assert (
        "Climat"
        not in client.get(reverse("climate-campaign-list")).content.decode().split("<main>")[1]
    )


def test_the_database_refuses_a_threshold_below_3(personas: Personas) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        make_campaign(owner=personas.lille, min_scores=2, launch=False)


def test_invitations_and_reminders_go_by_mail_only_to_those_who_have_not_answered(
    client: Client, personas: Personas
) -> None:
    campaign = make_campaign(owner=personas.lille)
    for i in range(3):
        make_person(perimeter=personas.lille_team, last_name=f"N{i}", user=make_user(f"u{i}"))
    make_person(perimeter=personas.marseille, last_name="Ailleurs", user=make_user("loin"))
    client.force_login(personas.carol)
    client.post(reverse("climate-campaign-invite", args=[campaign.code]))
    assert sorted(m.to[0] for m in mail.outbox) == [
        "u0@example.test",
        "u1@example.test",
        "u2@example.test",
    ]
    assert "5 répondants" in mail.outbox[0].body
    client.post(reverse("climate-campaign-invite", args=[campaign.code]))
    assert len(mail.outbox) == 3  # nobody invited twice
    first = Invitation.objects.filter(campaign=campaign).order_by("email").first()
    assert first is not None
    Invitation.objects.filter(pk=first.pk).update(answered=True)
    mail.outbox.clear()
    client.post(reverse("climate-campaign-remind", args=[campaign.code]))
    assert sorted(m.to[0] for m in mail.outbox) == ["u1@example.test", "u2@example.test"]


def test_printed_links_are_shown_once_and_work(client: Client, personas: Personas) -> None:
    campaign = make_campaign(owner=personas.lille)
    client.force_login(distributor_of(campaign))
    url = reverse("climate-campaign-print", args=[campaign.code])
    response = client.post(url, {"perimeter": personas.lille_team.pk, "count": "3"})
    links = [slip.url for slip in response.context["slips"]]
    assert response.content.decode().count("<svg") == 3  # one QR code per slip
    assert len(links) == 3 and Invitation.objects.filter(channel="print").count() == 3
    assert all(link.split("/")[-2] not in str(list(Invitation.objects.values())) for link in links)
    page = client.get(links[0].replace("http://testserver", ""))
    assert page.status_code == 200 and "Vos réponses sont confidentielles" in page.content.decode()


def test_results_appear_only_once_the_threshold_is_reached(
    client: Client, personas: Personas
) -> None:
    campaign = make_campaign(owner=personas.lille)
    group = ResultGroup.objects.get(campaign=campaign, perimeter=personas.lille)
    url = reverse("climate-results", args=[group.code])
    client.force_login(personas.bob)
    for level in (1, 2, 3, 4):
        answer(campaign, personas.lille_team, level)
    body = client.get(url).content.decode()
    assert 'id="hidden"' in body and "data-mean" not in body
    answer(campaign, personas.lille_team, 5)
    body = client.get(url).content.decode()
    assert 'id="group-n"' in body and 'data-n="5"' in body and "Engagement au travail" in body


def test_bob_sees_his_store_in_a_group_wide_campaign_and_nothing_else(
    client: Client, personas: Personas
) -> None:
    campaign = make_campaign(owner=personas.group, targets=[personas.lille, personas.marseille])
    for level in range(5):
        answer(campaign, personas.lille, level)
        answer(campaign, personas.marseille, level)
    client.force_login(personas.bob)
    body = client.get(reverse("climate-campaign-list")).content.decode()
    assert "Site Lille" in body and "Site Marseille" not in body
    marseille = ResultGroup.objects.get(campaign=campaign, perimeter=personas.marseille)
    assert client.get(reverse("climate-results", args=[marseille.code])).status_code == 404
    assert client.get(reverse("climate-campaign-detail", args=[campaign.code])).status_code == 404


def test_campaign_list_query_count(
    client: Client, personas: Personas, django_assert_num_queries: Any
) -> None:
    for i in range(4):
        make_campaign(owner=personas.lille, name=f"C{i}")
    client.force_login(personas.bob)
    client.get(reverse("climate-campaign-list"))  # warm the session
    # Six for the campaigns and their result pages, one for the campaigns bob distributes.
    with django_assert_num_queries(7):
        response = client.get(reverse("climate-campaign-list"))
    assert response.content.decode().count("climat/resultats/") == 4


def test_the_customer_page_puts_nps_beside_the_climate(client: Client, personas: Personas) -> None:
    campaign = make_campaign(owner=personas.nord, targets=[personas.lille, personas.roubaix])
    for level in range(5):
        answer(campaign, personas.lille, level)
    for nps in (10, 9, 3):
        make_feedback(perimeter=personas.lille, nps=nps)
    refresh_rollups()
    group = ResultGroup.objects.get(campaign=campaign, perimeter=personas.nord)
    client.force_login(personas.carol)
    response = client.get(reverse("climate-results-customers", args=[group.code]))
    lines = {line.perimeter.name: line for line in response.context["lines"]}
    assert lines["Site Lille"].nps.n == 3 and lines["Site Lille"].result is not None
    assert lines["Site Roubaix"].result is None  # no answers there: hidden
    assert "peu d’avis" in response.content.decode()


def _results_queries(client: Client, personas: Personas, stores: int) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from pouls.testing import make_perimeter

    region = make_perimeter(name=f"Région {stores}", kind="region", parent=personas.group)
    shops = [
        make_perimeter(name=f"Mag {stores}-{i}", kind="store", parent=region) for i in range(stores)
    ]
    campaign = make_campaign(owner=region, name=f"Q{stores}")
    for shop in shops:
        for level in range(5):
            answer(campaign, shop, level)
    group = ResultGroup.objects.get(campaign=campaign, perimeter=region)
    url = reverse("climate-results", args=[group.code])
    client.get(url)  # the first view records the publication
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_results_page_queries_do_not_grow_with_sub_groups(
    client: Client, personas: Personas
) -> None:
    client.force_login(personas.alice)
    assert _results_queries(client, personas, 2) == _results_queries(client, personas, 5)


def test_a_viewer_cannot_export(client: Client, personas: Personas) -> None:
    campaign = make_campaign(owner=personas.lille)
    group = ResultGroup.objects.get(campaign=campaign, perimeter=personas.lille)
    client.force_login(personas.bob)
    assert client.get(reverse("climate-results-export", args=[group.code])).status_code == 403


def test_pasted_addresses_are_invited_once_and_bad_ones_get_a_french_message(
    client: Client, personas: Personas
) -> None:
    campaign = make_campaign(owner=personas.lille)
    client.force_login(distributor_of(campaign))
    url = reverse("climate-campaign-invite-emails", args=[campaign.code])
    data = {
        "perimeter": personas.lille_team.pk,
        "emails": "a@exemple.fr; B@exemple.fr\na@exemple.fr",
    }
    client.post(url, data)
    assert sorted(m.to[0] for m in mail.outbox) == ["a@exemple.fr", "b@exemple.fr"]
    client.post(url, data)
    assert len(mail.outbox) == 2  # nobody invited twice
    response = client.post(
        url, {"perimeter": personas.lille_team.pk, "emails": "pas-une-adresse"}, follow=True
    )
    assert "Adresse(s) invalide(s) : pas-une-adresse" in response.content.decode()
    assert Invitation.objects.filter(campaign=campaign).count() == 2


def test_closing_forgets_the_addresses(client: Client, personas: Personas) -> None:
    campaign = make_campaign(owner=personas.lille)
    client.force_login(distributor_of(campaign))
    url = reverse("climate-campaign-invite-emails", args=[campaign.code])
    client.post(url, {"perimeter": personas.lille_team.pk, "emails": "a@exemple.fr"})
    client.force_login(personas.carol)
    client.post(reverse("climate-campaign-close", args=[campaign.code]))
    assert list(Invitation.objects.values_list("email", flat=True)) == [""]


def test_the_distributor_is_chosen_at_creation_among_accounts_that_see_no_result(
    client: Client, personas: Personas
) -> None:
    client.force_login(personas.carol)
    refused = _new(client, personas, name="Refusé", distributor="bob")
    assert refused.status_code == 200 and "ne peut pas distribuer" in refused.content.decode()
    assert not Campaign.objects.filter(name="Refusé").exists()
    for name in ("inconnu", "carol"):  # same message: the form tells nothing of accounts
        body = _new(client, personas, name="Refusé", distributor=name).content.decode()
        assert "ne peut pas distribuer" in body
    _new(client, personas, distributor="charlie")
    campaign = Campaign.objects.get(name="Baromètre Nord")
    assert campaign.distributor == personas.charlie


def test_managers_see_how_many_answers_wait_for_their_batch(
    client: Client, personas: Personas
) -> None:
    from pouls.climate.actions import do_answer, hash_token
    from pouls.climate.models import Invitation
    from pouls.climate.tests.builders import answers_for, print_links

    campaign = make_campaign(owner=personas.lille)
    for token in print_links(campaign, personas.lille_team, 2):
        invitation = Invitation.objects.select_related("campaign", "perimeter").get(
            token_hash=hash_token(token)
        )
        do_answer(invitation, answers_for(campaign, 3), {}, {})
    client.force_login(personas.carol)
    body = client.get(reverse("climate-campaign-detail", args=[campaign.code])).content.decode()
    assert "2 réponse(s) sur 2 invitation(s)" in body
    assert "dont 2 en attente" in body and "au moins 5" in body
    client.force_login(personas.bob)  # a reader sees neither counts nor the distributor
    body = client.get(reverse("climate-campaign-detail", args=[campaign.code])).content.decode()
    assert "en attente" not in body and distributor_of(campaign).username not in body
