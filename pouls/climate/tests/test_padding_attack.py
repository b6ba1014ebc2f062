"""Padding attack (issue 16, finding 1): a campaign manager who can read the results gets
answerable links, answers them herself with values she knows, and subtracts her own answers
from the published figures to recover a real respondent's scores; with enough of them the
comment threshold also falls and the real comment is shown.

The attacker here tries every way Pouls offers a manager to obtain links: the printed-links
page, invitations to addresses she types (her own mailboxes), the actions behind both pages,
naming herself or a colleague who reads results as the distributor, reminders, and the
e-mail invitations of the people of the campaign. Whatever links she gets she answers, the
worker writes the answers (and the campaign is closed, so every pending answer counts), and
she reads the CSV export and the comments page. On the code before the distributor
(issue 16), the printed-links page alone gave her nine links: she recovered the real scores
exactly and read the real comment. Now she gets no link, so nothing is published.
"""

from __future__ import annotations

import contextlib
import csv
import io
import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from pouls.climate.actions import (
    do_answer,
    do_close_campaign,
    do_invite_emails,
    do_invite_people,
    do_print_links,
    do_write_answer_batch,
    hash_token,
)
from pouls.climate.models import Campaign, Invitation, ResultGroup
from pouls.climate.tests.builders import answers_for, make_campaign
from pouls.org.models import Perimeter
from pouls.testing import Personas, make_grant, make_person, make_user

TOKEN = re.compile(r"/q/([A-Za-z0-9_-]{20,})/")
SECRET = "le planning du samedi change sans prévenir"


def _links_the_manager_can_get(client: Client, personas: Personas, campaign: Campaign) -> list[str]:
    code = campaign.code
    team = personas.lille_team.pk
    client.force_login(personas.carol)
    tokens: list[str] = []
    # Name herself, then a colleague who reads the results, as distributor.
    for name in ("carol", "bob"):
        client.post(reverse("climate-campaign-distributor", args=[code]), {"distributor": name})
    page = client.post(
        reverse("climate-campaign-print", args=[code]), {"perimeter": team, "count": 9}
    )
    tokens += TOKEN.findall(page.content.decode())
    own = "\n".join(f"carol+{i}@example.test" for i in range(9))
    mail.outbox.clear()
    client.post(
        reverse("climate-campaign-invite-emails", args=[code]), {"perimeter": team, "emails": own}
    )
    client.post(reverse("climate-campaign-remind", args=[code]))
    client.post(reverse("climate-campaign-invite", args=[code]))
    with contextlib.suppress(PermissionDenied):
        tokens += do_print_links(personas.carol, campaign, personas.lille_team, 9, str)
    with contextlib.suppress(PermissionDenied):
        do_invite_emails(
            personas.carol,
            campaign,
            personas.lille_team,
            ["carol+x@example.test"],
            lambda t: f"http://testserver/q/{t}/",
        )
    tokens += [
        t for m in mail.outbox if m.to[0].startswith("carol") for t in TOKEN.findall(str(m.body))
    ]
    return sorted(set(tokens))


def _published_vigour(client: Client, group: ResultGroup) -> tuple[int, float] | None:
    response = client.get(reverse("climate-results-export", args=[group.code]))
    body = response.content.decode("utf-8-sig")
    for row in csv.DictReader(io.StringIO(body), delimiter=";"):
        if row["groupe"] == group.perimeter.name and row["dimension"] == "Vigueur" and row["n"]:
            return int(row["n"]), float(row["moyenne"])
    return None


@pytest.mark.parametrize("own_answers", [4, 9])
def test_a_manager_who_reads_results_cannot_pad_a_team_with_her_own_answers(
    client: Client, personas: Personas, own_answers: int
) -> None:
    campaign = make_campaign(owner=personas.lille)
    make_person(perimeter=personas.lille_team, last_name="Réel", user=make_user("reel"))
    do_invite_people(campaign, lambda t: f"http://testserver/q/{t}/")
    (real_token,) = TOKEN.findall(str(mail.outbox[0].body))
    invitation = Invitation.objects.select_related("campaign", "perimeter").get(
        token_hash=hash_token(real_token)
    )
    do_answer(invitation, answers_for(campaign, 5, spread=0), {}, {"general": SECRET})

    tokens = _links_the_manager_can_get(client, personas, campaign)
    own = answers_for(campaign, 0, spread=0)
    for token in tokens[:own_answers]:
        client.post(
            reverse("climate-answer", args=[token]),
            {f"i_{k}": str(v) for k, v in own.items()} | {"t_general": "rien à signaler"},
        )
    campaign.refresh_from_db()
    do_close_campaign(campaign)
    do_write_answer_batch(campaign.pk, final=True)  # the worker's last batch

    group = ResultGroup.objects.get(campaign=campaign, perimeter=personas.lille)
    published = _published_vigour(client, group)
    recovered = None
    if published is not None:
        n, mean = published
        # Her own answers score 0 on vigour: the rest of the sum is the real respondent's.
        recovered = n * mean - (n - 1) * 0.0
    comments = client.get(reverse("climate-results-comments", args=[group.code]))
    # On the code before the distributor: nine printed links, the real vigour recovered
    # exactly (5.0) with four of them, the real comment shown with nine.
    assert recovered is None
    assert SECRET not in comments.content.decode()
    assert tokens == []


def test_the_distributor_sees_no_result_and_whoever_sees_results_cannot_distribute(
    client: Client, personas: Personas
) -> None:
    campaign = make_campaign(owner=personas.lille)
    distributor = campaign.distributor
    assert distributor is not None
    group = ResultGroup.objects.get(campaign=campaign, perimeter=personas.lille)
    client.force_login(distributor)
    page = client.get(reverse("climate-distribution", args=[campaign.code]))
    assert page.status_code == 200
    assert client.get(reverse("climate-results", args=[group.code])).status_code == 404
    # A grant given later opens the results page but closes the distribution, and the gate
    # still shows the distributor nothing.
    make_grant(distributor, personas.lille, "viewer")
    client.force_login(distributor)
    assert client.get(reverse("climate-distribution", args=[campaign.code])).status_code == 404
    with pytest.raises(PermissionDenied):
        do_print_links(distributor, campaign, personas.lille_team, 1, str)
    results = client.get(reverse("climate-results", args=[group.code]))
    assert results.status_code == 200 and results.context["page"].main.result is None


@pytest.mark.parametrize(
    ("name", "accepted"), [("carol", False), ("bob", False), ("alice", False), ("charlie", True)]
)
def test_only_an_account_that_sees_no_perimeter_of_the_campaign_can_distribute(
    client: Client, personas: Personas, name: str, accepted: bool
) -> None:
    campaign = make_campaign(owner=personas.lille)
    client.force_login(personas.carol)
    url = reverse("climate-campaign-distributor", args=[campaign.code])
    client.post(url, {"distributor": name})
    campaign.refresh_from_db()
    assert campaign.distributor is not None
    assert (campaign.distributor.username == name) is accepted


def test_the_distributor_chooses_among_the_campaign_s_perimeters_only(
    client: Client, personas: Personas
) -> None:
    campaign = make_campaign(owner=personas.lille)
    assert campaign.distributor is not None
    client.force_login(campaign.distributor)
    page = client.get(reverse("climate-distribution", args=[campaign.code])).content.decode()
    names = set(Perimeter.objects.values_list("name", flat=True))
    assert {n for n in names if n in page} == {"Site Lille", "Équipe Lille Vente"}
