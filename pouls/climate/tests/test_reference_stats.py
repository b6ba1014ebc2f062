"""Must show (c): Cronbach's alpha and rwg on the real stored answers, as the results
pages and the export compute them, equal a reference: ``pingouin.cronbach_alpha`` for
alpha (on the answers read back from the database, reversed items recoded by the test
itself) and a hand-worked rwg example."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest
from django.test import Client
from django.urls import reverse

from pouls.climate.actions import do_answer, do_write_answer_batch, hash_token
from pouls.climate.models import Invitation, Response, ResultGroup
from pouls.climate.publication import published_for_user
from pouls.climate.queries import group_result
from pouls.climate.tests.builders import answer, make_campaign, print_links
from pouls.testing import Personas

pingouin = pytest.importorskip("pingouin")

ITEMS = ["en01", "en02", "en03", "en04", "en05", "en06", "en07", "en08", "en09"]
REVERSED = {"en03", "en06"}
# Seven respondents, raw answers as ticked (0-5), written by hand.
RAW = [
    [4, 5, 1, 4, 4, 2, 3, 4, 4],
    [2, 2, 3, 3, 2, 3, 2, 3, 1],
    [5, 4, 0, 5, 5, 1, 4, 5, 5],
    [1, 2, 4, 1, 2, 4, 2, 1, 2],
    [3, 3, 2, 4, 3, 2, 3, 3, 3],
    [4, 3, 2, 2, 3, 3, 5, 4, 4],
    [0, 1, 5, 2, 1, 5, 1, 0, 2],
]
DIMENSIONS = {
    "vigour": ["en01", "en02", "en03"],
    "dedication": ["en04", "en05", "en06"],
    "absorption": ["en07", "en08", "en09"],
}


def test_alpha_of_each_scale_equals_pingouin_on_the_stored_answers(personas: Personas) -> None:
    campaign = make_campaign(owner=personas.lille)
    for row in RAW:
        token = print_links(campaign, personas.lille)[0]
        invitation = Invitation.objects.get(token_hash=hash_token(token))
        do_answer(invitation, dict(zip(ITEMS, row, strict=True)), {}, {})
    do_write_answer_batch(campaign.pk)  # seven answers: one batch above the floor of five
    published = published_for_user(personas.alice, campaign)
    gid = f"p:{personas.lille.code}"
    result = group_result(published, gid)
    stored = pd.DataFrame(
        list(Response.objects.filter(campaign=campaign).values_list("answers", flat=True))
    )
    for item in REVERSED:
        stored[item] = 5 - stored[item]
    (figures,) = result.instruments
    for dimension in figures.dimensions:
        reference, _ci = pingouin.cronbach_alpha(data=stored[DIMENSIONS[dimension.id]])
        assert dimension.alpha is not None
        assert dimension.alpha.alpha == pytest.approx(reference, abs=1e-9)
        assert dimension.alpha.n == len(RAW)


def test_rwg_equals_a_hand_worked_example_in_the_page_and_the_export(
    client: Client, personas: Personas
) -> None:
    """Five people answer 3, 4, 4, 4, 5 on every item of a 0-5 scale (A = 6 options).
    s² = (1 + 0 + 0 + 0 + 1) / 4 = 0.5; σ²_EU = (6² − 1) / 12 = 35/12; s²/σ²_EU = 6/35.
    Single item: rwg = 1 − 6/35 = 29/35. Three items: rwg(J) = 3·(29/35) / (3·(29/35) + 6/35)
    = 87/93 = 0.935483..."""
    campaign = make_campaign(owner=personas.lille)
    for level in (3, 4, 4, 4, 5):
        answer(campaign, personas.lille, level, spread=0)
    result = group_result(published_for_user(personas.alice, campaign), f"p:{personas.lille.code}")
    (figures,) = result.instruments
    assert [d.rwg for d in figures.dimensions] == pytest.approx([87 / 93] * 3, abs=1e-12)
    from pouls_analysis.climate.stats import rwg

    assert rwg([3, 4, 4, 4, 5], 6) == pytest.approx(29 / 35, abs=1e-12)
    client.force_login(personas.carol)
    group = ResultGroup.objects.get(campaign=campaign, perimeter=personas.lille)
    body = client.get(reverse("climate-results-export", args=[group.code])).content.decode(
        "utf-8-sig"
    )
    rows = list(csv.DictReader(io.StringIO(body), delimiter=";"))
    assert {r["rwg"] for r in rows if r["groupe"] == "Site Lille"} == {"0.935"}
