"""« Mon pouls »: a seller's own customers, NPS over the threshold (else the team's, with the
reason), activity against results, and what complete reporting brings."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from pouls.activity.models import ActivityFact, SalesFact
from pouls.briefings.models import CommissionRule
from pouls.briefings.mypulse import get_my_pulse
from pouls.briefings.tests.conftest import MARSEILLE_SECRET, PRAISES, Team
from pouls.callbacks.models import Callback
from pouls.lib.dates import week_start
from pouls.testing import make_grant, make_user


@pytest.fixture
def ines(team: Team) -> User:
    """The seller's login, with read access to her team (her own Person is in it)."""
    user = make_user("ines")
    team.seller.user = user
    team.seller.save(update_fields=["user"])
    make_grant(user, team.p.lille_team, "viewer")
    return user


def test_a_seller_reads_her_customers_and_her_teams_nps(client: Client, ines: User) -> None:
    client.force_login(ines)
    body = client.get(reverse("briefings-my-pulse")).content.decode()
    assert PRAISES[0][:40] in body and MARSEILLE_SECRET not in body
    # 8 rated answers are hers: under the threshold of 30, the team's NPS and why.
    assert "NPS de mon équipe" in body and "Vos clients ont donné 8 notes" in body


def test_over_the_threshold_her_own_nps_is_shown(ines: User, settings: object) -> None:
    settings.POULS_MIN_SELLER_ANSWERS = 5  # type: ignore[attr-defined]
    pulse = get_my_pulse(ines)
    assert pulse.my_nps is not None and pulse.my_nps.n == 8 and pulse.nps_note is None
    assert pulse.team_nps is not None and pulse.team_nps.n == 40


def test_her_activity_is_hers_and_her_teams_is_the_teams(team: Team, ines: User) -> None:
    SalesFact.objects.create(
        perimeter=team.p.lille_team, person=team.other_seller, date=team.start, revenue=500
    )
    pulse = get_my_pulse(ines)
    mine = {i.key: i.value for i in pulse.mine}
    teams = {i.key: i.value for i in pulse.team}
    assert mine["revenue"] == 7 * 1500 and teams["revenue"] == 7 * 1500 + 500


def test_complete_reporting_weeks_are_compared_with_the_others(team: Team, ines: User) -> None:
    ActivityFact.objects.filter(person=team.seller).delete()
    SalesFact.objects.filter(person=team.seller).delete()
    monday = week_start(timezone.localdate())
    for k in range(1, 5):  # weeks 1-2 complete reporting, weeks 3-4 half
        day = monday - dt.timedelta(weeks=k)
        complete = k <= 2
        ActivityFact.objects.create(
            perimeter=team.p.lille_team,
            person=team.seller,
            date=day,
            reports_filed=10 if complete else 5,
            reports_target=10,
            quotes=8 if complete else 4,
        )
        SalesFact.objects.create(
            perimeter=team.p.lille_team,
            person=team.seller,
            date=day,
            revenue=10000 if complete else 6000,
        )
    CommissionRule.objects.create(
        perimeter=team.p.group,
        label="Variable",
        formula="0.01 * ca + si(taux_comptes_rendus >= 0.9, 50, 0)",
    )
    reporting = get_my_pulse(ines).reporting
    assert reporting is not None
    assert (reporting.complete_weeks, reporting.other_weeks) == (2, 2)
    assert reporting.quotes == (8, 4) and reporting.revenue == (10000, 6000)
    assert reporting.pay == (150, 60)


def test_a_broken_rule_is_reported_not_a_500(client: Client, team: Team, ines: User) -> None:
    CommissionRule.objects.create(perimeter=team.p.group, label="V", formula="ca / 0")
    client.force_login(ines)
    response = client.get(reverse("briefings-my-pulse"))
    assert response.status_code == 200 and "divise par zéro" in response.content.decode()


def test_without_a_seller_record_or_access_the_page_says_why(
    client: Client, team: Team, ines: User
) -> None:
    client.force_login(team.p.charlie)
    assert "aucune fiche de vendeur" in client.get(reverse("briefings-my-pulse")).content.decode()
    ines.pouls_grants.all().delete()
    client.force_login(ines)
    body = client.get(reverse("briefings-my-pulse")).content.decode()
    assert "pas encore accès à votre équipe" in body and PRAISES[0][:40] not in body


def test_activity_is_read_as_results_beside_the_team(team: Team, ines: User) -> None:
    ActivityFact.objects.filter(person=team.seller).update(visits=10, quotes=4)
    SalesFact.objects.filter(person=team.seller).update(orders=2)
    SalesFact.objects.create(
        perimeter=team.p.lille_team,
        person=team.other_seller,
        date=team.start,
        orders=6,
        revenue=600,
    )
    ActivityFact.objects.create(
        perimeter=team.p.lille_team,
        person=team.other_seller,
        date=team.start,
        visits=30,
        quotes=6,
    )
    ratios = {label: (mine, teams) for label, mine, teams in get_my_pulse(ines).ratios}
    # Mine: 14 orders for 70 visits and 28 quotes; team: 20 orders, 100 visits, 34 quotes.
    assert ratios["Commandes pour 100 visites"] == (20.0, 20.0)
    assert ratios["Commandes pour 100 devis"] == pytest.approx((50.0, 100 * 20 / 34))
    assert ratios["Panier moyen (€)"] == pytest.approx((7 * 1500 / 14, (7 * 1500 + 600) / 20))


def test_her_open_callbacks_are_listed_until_she_closes_them(
    client: Client, team: Team, ines: User
) -> None:
    client.force_login(ines)
    pulse = get_my_pulse(ines)
    assert [c.feedback.nps for c in pulse.callbacks] == [2] and pulse.closed_callbacks == 0
    body = client.get(reverse("briefings-my-pulse")).content.decode()
    assert "Mes clients à rappeler" in body and "Note 2/10" in body
    Callback.objects.filter(assignee=team.seller).update(
        closed_at=timezone.now(), outcome="resolved"
    )
    pulse = get_my_pulse(ines)
    assert pulse.callbacks == [] and pulse.closed_callbacks == 1
