"""``GET /api/v1/climate/results/``: only what the climate publication gate publishes for the
token's owner, with the same figures as the results page."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from pouls.api.tests.conftest import World, client_for
from pouls.climate.publication import published_for_user
from pouls.climate.queries import group_result
from pouls.climate.tests.builders import answer, make_campaign

pytestmark = pytest.mark.django_db


def _results(world: World, persona: str) -> list[dict[str, Any]]:
    response = client_for(world, persona).get(reverse("api-climate-result-list"))
    assert response.status_code == 200
    return list(response.json()["results"])


def test_only_published_groups_carry_figures(world: World) -> None:
    p = world.personas
    lille = make_campaign(owner=p.lille, name="Climat Lille", targets=[p.lille_team])
    for level in (1, 2, 3, 4, 5):
        answer(lille, p.lille_team, level)
    few = make_campaign(owner=p.lille, name="Climat Lille (peu)", targets=[p.lille_team])
    for level in (2, 4):
        answer(few, p.lille_team, level)
    marseille = make_campaign(owner=p.marseille, name="Climat Marseille")
    for level in (1, 2, 3, 4, 5):
        answer(marseille, p.marseille, level)

    bob = {r["name"]: r for r in _results(world, "bob")}
    assert set(bob) == {"Climat Lille", "Climat Lille (peu)"}  # nothing of Marseille
    published = [g for g in bob["Climat Lille"]["groups"] if g["published"]]
    assert published, "five answers reach the threshold of five"
    gate = published_for_user(p.bob, lille)
    for group in published:
        expected = group_result(gate, group["group"])
        assert group["n"] == expected.n == 5
        page = expected.instruments[0].dimensions[0].mean
        api = group["instruments"][0]["dimensions"][0]["mean"]
        assert (api["mean"], api["low"], api["high"]) == pytest.approx(
            (page.mean, page.low, page.high)
        )
    for group in bob["Climat Lille (peu)"]["groups"]:
        # Two answers: hidden, with a reason that gives no count and no figure at all.
        assert not group["published"] and group["n"] is None and group["instruments"] == []
        assert group["reason"] and "2" not in group["reason"]
    assert _results(world, "charlie") == []
    from pouls.org.models import AuditEvent

    assert AuditEvent.objects.filter(
        actor=p.bob, action="climate.viewed", target=str(lille.code)
    ).exists()
    alice = {r["name"] for r in _results(world, "alice")}
    assert alice == {"Climat Lille", "Climat Lille (peu)", "Climat Marseille"}


def test_the_distributor_of_a_campaign_reads_no_figure(world: World) -> None:
    from pouls.api.tokens import do_create_token
    from pouls.org.models import Grant

    p = world.personas
    campaign = make_campaign(owner=p.lille, targets=[p.lille_team])
    for level in (1, 2, 3, 4, 5):
        answer(campaign, p.lille_team, level)
    assert campaign.distributor is not None
    Grant.objects.create(user=campaign.distributor, perimeter=p.lille, role="viewer")
    world.tokens["distributor"] = do_create_token(campaign.distributor, name="t", read_only=True)[1]
    [result] = _results(world, "distributor")
    assert result["groups"] and all(not g["published"] for g in result["groups"])


def test_a_campaign_filter_and_anonymous(world: World) -> None:
    from rest_framework.test import APIClient

    p = world.personas
    campaign = make_campaign(owner=p.marseille, name="Climat Marseille")
    url = reverse("api-climate-result-list")
    bob = client_for(world, "bob").get(url, {"campaign": str(campaign.code)}).json()
    assert bob["results"] == []
    alice = client_for(world, "alice").get(url, {"campaign": str(campaign.code)}).json()
    assert [r["name"] for r in alice["results"]] == ["Climat Marseille"]
    assert APIClient().get(url).status_code in (401, 403)
