"""Results for the people who read them (issue 17, item 7): plain words first, statistics
behind « détails », negative alphas explained and not shown, labelled distributions (and
none when one point holds all or all but one respondent: issue 16, finding 4), intervals on
sub-group scores, and a preview of the questionnaire before launch."""

from __future__ import annotations

import re

from django.test import Client
from django.urls import reverse

from pouls.climate.actions import do_answer, do_write_answer_batch, hash_token
from pouls.climate.models import Campaign, Invitation, ResultGroup
from pouls.climate.tests.builders import answer, make_campaign, print_links
from pouls.testing import Personas

# Recoded values per respondent (en03 and en06 are reversed: raw = 5 - value).
VIGOUR = [(0, 5, 2), (5, 0, 3), (0, 5, 2), (5, 0, 3), (1, 4, 2)]  # en01 against en02
DEDICATION = [(4, 4, 4)] * 5  # everyone alike: one bin, full agreement
ABSORPTION = [(1, 1, 1), (2, 2, 2), (3, 3, 3), (4, 4, 4), (5, 5, 5)]  # consistent, divergent


def _answer_all(campaign: Campaign, personas: Personas) -> None:
    for v, d, a in zip(VIGOUR, DEDICATION, ABSORPTION, strict=True):
        raw = {"en01": v[0], "en02": v[1], "en03": 5 - v[2], "en04": d[0], "en05": d[1]}
        raw |= {"en06": 5 - d[2], "en07": a[0], "en08": a[1], "en09": a[2]}
        (token,) = print_links(campaign, personas.lille_team)
        invitation = Invitation.objects.select_related("campaign", "perimeter").get(
            token_hash=hash_token(token)
        )
        do_answer(invitation, raw, {}, {})
    assert do_write_answer_batch(campaign.pk) == 5


def _block(body: str, dimension: str) -> str:
    start = body.index(f'data-dimension="{dimension}"')
    end = body.find("data-dimension=", start + 20)
    return body[start : end if end > 0 else len(body)]


def test_words_first_statistics_behind_details_and_no_raw_negative_alpha(
    client: Client, personas: Personas
) -> None:
    campaign = make_campaign(owner=personas.lille)
    _answer_all(campaign, personas)
    group = ResultGroup.objects.get(campaign=campaign, perimeter=personas.lille)
    client.force_login(personas.bob)
    body = client.get(reverse("climate-results", args=[group.code])).content.decode()

    vigour = _block(body, "vigour")
    assert "réponses contradictoires" in vigour and "négatif" in vigour
    assert not re.search(r"-\s?0[,.]\d", vigour)  # the negative alpha is not printed
    absorption = _block(body, "absorption")
    assert absorption.index("réponses cohérentes") < absorption.index("<details")
    assert absorption.index("avis divergents dans l’équipe") < absorption.index("<details")
    details = absorption[absorption.index("<details") :]
    assert "Alpha de Cronbach 1,00" in details and "rwg(J) 0,33" in details
    assert "Cronbach" not in absorption[: absorption.index("<details")]
    assert "1 · plutôt faux" in absorption and "<progress" in absorption
    dedication = _block(body, "dedication")
    assert "avis partagés dans l’équipe" in dedication
    # Five respondents on one point: the distribution would give each one's answer away.
    assert "Répartition non montrée" in dedication and "<progress" not in dedication
    assert "Répartition non montrée" not in vigour  # 3 and 2: shown


def test_sub_group_scores_carry_their_interval(client: Client, personas: Personas) -> None:
    campaign = make_campaign(owner=personas.nord, targets=[personas.lille, personas.roubaix])
    for team in (personas.lille, personas.roubaix):
        for level in (1, 2, 3, 4, 5):
            answer(campaign, team, level)
    group = ResultGroup.objects.get(campaign=campaign, perimeter=personas.nord)
    client.force_login(personas.carol)
    body = client.get(reverse("climate-results", args=[group.code])).content.decode()
    rows = re.findall(r'<tr data-group="p:[^"]+" data-n="5">.*?</tr>', body, re.S)
    assert len(rows) == 2
    assert all(
        re.search(r"<strong>\d,\d</strong> <span[^>]*>entre \d,\d et \d,\d", r) for r in rows
    )


def test_a_draft_can_be_previewed_as_respondents_will_see_it(
    client: Client, personas: Personas
) -> None:
    campaign = make_campaign(owner=personas.lille, launch=False, demographics=["role"])
    client.force_login(personas.carol)
    detail = client.get(reverse("climate-campaign-detail", args=[campaign.code])).content.decode()
    url = reverse("climate-campaign-preview", args=[campaign.code])
    assert url in detail
    body = client.get(url).content.decode()
    assert "Aperçu" in body and "Le lundi matin, j&#x27;ai envie de m&#x27;y mettre." in body
    assert "Fonction" in body and "moins de 5 répondants" in body
    assert re.search(r'<button type="submit" class="primary" disabled>', body)
    assert "<form novalidate>" in body  # no POST: the preview sends nothing
    assert not Invitation.objects.exists()
