from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from pouls.activity.models import ActivityFact, SalesFact
from pouls.activity.results import week_range
from pouls.annotations.models import Annotation, ThemeMention
from pouls.feedback.models import Feedback
from pouls.org.models import Perimeter, Person
from pouls.testing import Personas, make_feedback, make_person
from pouls_analysis.stats.drivers import code_theme_drivers, key_drivers
from pouls_analysis.stats.lagged import lagged_correlations

# (score, mentions) patterns: waiting complaints go with low scores, friendly staff with high.
PATTERN: list[tuple[int, list[tuple[str, str]]]] = [
    (2, [("waiting", "negative")]),
    (9, [("friendliness", "positive")]),
    (10, [("friendliness", "positive"), ("price", "positive")]),
    (4, [("waiting", "negative"), ("price", "negative")]),
    (8, [("price", "positive")]),
    (7, []),
    (9, [("friendliness", "positive")]),
    (5, [("waiting", "negative")]),
    (10, []),
    (6, [("price", "negative")]),
]


def _answer(perimeter: Perimeter, score: int, mentions: list[tuple[str, str]], i: int) -> None:
    received = timezone.now() - dt.timedelta(days=1 + i % 60)
    feedback = make_feedback(perimeter=perimeter, nps=score, received_at=received, text=f"T{i}")
    day = received.date()
    Annotation.objects.create(
        feedback=feedback,
        perimeter=perimeter,
        day=day,
        lang="fr",
        sentiment=0.0,
        sentiment_label="neutral",
        version="test",
    )
    for theme, polarity in mentions:
        ThemeMention.objects.create(
            feedback=feedback,
            perimeter=perimeter,
            day=day,
            theme=theme,
            confidence=1.0,
            polarity=polarity,
            polarity_score=0.0,
            start=0,
            end=1,
        )


Answer = tuple[int, list[tuple[str, str]]]


def _answers(perimeter: Perimeter, repeats: int, offset: int = 0) -> list[Answer]:
    rows = []
    for r in range(repeats):
        for k, (score, mentions) in enumerate(PATTERN):
            _answer(perimeter, score, mentions, offset + r * len(PATTERN) + k)
            rows.append((score, mentions))
    return rows


def test_the_drivers_shown_are_the_library_s(client: Client, personas: Personas) -> None:
    rows = _answers(personas.lille, 4)
    _answers(personas.marseille, 3, offset=100)  # outside bob's scope
    client.force_login(personas.bob)
    response = client.get(reverse("annotations-drivers", args=[personas.lille.code]))
    assert response.status_code == 200
    page = response.context["page"]
    assert not page.fell_back and page.result.n == 40
    X, names = code_theme_drivers([m for _, m in rows], min_support=5, max_drivers=4)
    expected = key_drivers(X, [s for s, _ in rows], names=names, n_bootstrap=200, random_state=0)
    assert page.result == expected
    assert page.rows[0].weight.name == "waiting:negative" and page.rows[0].label == "Attente"
    body = response.content.decode()
    top = expected.weights[0]
    assert f"{100 * top.raw_weight:.1f}".replace(".", ",") in body
    assert "40 réponses" in body and "Attente" in body and "négativement" in body


def test_under_twenty_answers_it_falls_back_to_the_parent_and_says_so(
    client: Client, personas: Personas
) -> None:
    _answers(personas.lille_team, 1)
    _answers(personas.lille, 2, offset=50)
    client.force_login(personas.bob)
    response = client.get(reverse("annotations-drivers", args=[personas.lille_team.code]))
    page = response.context["page"]
    assert page.fell_back and page.analysed == personas.lille and page.n_own == 10
    assert page.result.n == 30
    body = response.content.decode()
    assert "Seulement 10 réponses" in body and "ceux de Site Lille, le périmètre parent" in body


def test_bob_is_not_lifted_above_his_grant(client: Client, personas: Personas) -> None:
    _answers(personas.lille, 1)
    _answers(personas.roubaix, 3, offset=50)  # the region would have enough, bob cannot see it
    client.force_login(personas.bob)
    response = client.get(reverse("annotations-drivers", args=[personas.lille.code]))
    page = response.context["page"]
    assert page.result is None and page.analysed == personas.lille
    assert "Pas assez de réponses analysées (10, il en faut 20)" in response.content.decode()
    client.force_login(personas.carol)
    response = client.get(reverse("annotations-drivers", args=[personas.lille.code]))
    assert response.context["page"].analysed == personas.nord
    assert response.context["page"].result.n == 40


def test_degenerate_answers_give_a_french_message(client: Client, personas: Personas) -> None:
    for i in range(25):
        _answer(personas.lille, 9 if i % 2 else 3, [], i)
    client.force_login(personas.bob)
    url = reverse("annotations-drivers", args=[personas.lille.code])
    response = client.get(url)
    assert response.status_code == 200
    assert "Aucun thème n&#x27;est assez souvent cité" in response.content.decode()
    for i in range(25):  # the same score everywhere: nothing to explain
        _answer(personas.lille_team, 8, [("waiting", "negative")] if i % 2 else [], i)
    response = client.get(reverse("annotations-drivers", args=[personas.lille_team.code]))
    assert response.status_code == 200
    assert "pas assez de variation entre les réponses" in response.content.decode()


WEEKS = 40


def _weekly(
    perimeter: Perimeter,
    person: Person,
    visits: list[int],
    revenue: list[float],
    reports: list[int],
) -> None:
    mondays = week_range(timezone.localdate(), 52)[-WEEKS:]
    for monday, v, r, rep in zip(mondays, visits, revenue, reports, strict=True):
        ActivityFact.objects.create(
            perimeter=perimeter, person=person, date=monday, visits=v, reports_filed=rep
        )
        SalesFact.objects.create(
            perimeter=perimeter,
            person=person,
            date=monday + dt.timedelta(days=1),
            revenue=Decimal(f"{r:.2f}"),
            orders=int(r // 100),
        )


@pytest.fixture
def activity(personas: Personas) -> Personas:
    rng = np.random.RandomState(0)  # fixed seed: the same series on every run
    visits = [int(v) for v in rng.poisson(40, WEEKS)]
    revenue = [30.0 * v + float(e) for v, e in zip(visits, rng.normal(0, 40, WEEKS), strict=True)]
    reports = [3] * (WEEKS - 5) + [0] * 5
    seller = make_person(perimeter=personas.lille_team)
    _weekly(personas.lille_team, seller, visits, revenue, reports)
    other = make_person(perimeter=personas.marseille, first_name="Zoé")
    _weekly(personas.marseille, other, [1000] * WEEKS, [9e5] * WEEKS, [9] * WEEKS)
    return personas


def test_the_activity_links_shown_are_the_library_s(client: Client, activity: Personas) -> None:
    client.force_login(activity.bob)
    response = client.get(reverse("activity-results", args=[activity.lille.code]))
    assert response.status_code == 200
    page = response.context["page"]
    values = page.series.values
    assert sum(values["visits"]) == sum(
        ActivityFact.objects.filter(perimeter=activity.lille_team).values_list("visits", flat=True)
    )
    expected = lagged_correlations(
        {k: values[k] for k in ("visits", "calls", "quotes", "reports_filed")},
        {k: values[k] for k in ("revenue", "orders", "nps")},
        differences=True,
    )
    assert page.report == expected
    pair = next(p for p in page.pairs if (p.leading, p.result) == ("visits", "revenue"))
    assert pair.best.lag == 0 and pair.best.verdict == "lien crédible"
    body = response.content.decode()
    assert 'data-pair="visits>revenue" data-lag="0"' in body
    assert f"{pair.best.r:.2f}".replace(".", ",") in body
    assert "Corrélation n&#x27;est pas causalité" in body
    assert 'data-silent="reports_filed"' in body and "5 semaines" in body
    assert 'id="activity-data"' in body and "plotly.min.js" in body
    assert "Zoé" not in body and page.sellers[0].silent == {"reports_filed": 5}


def test_one_seller_and_an_unknown_one(client: Client, activity: Personas) -> None:
    client.force_login(activity.bob)
    url = reverse("activity-results", args=[activity.lille.code])
    seller = activity.lille_team.people.get()
    response = client.get(url, {"vendeur": str(seller.code)})
    assert response.context["page"].person == seller
    outsider = activity.marseille.people.get()
    for value in (str(outsider.code), "pas-un-code"):
        response = client.get(url, {"vendeur": value})
        assert response.status_code == 200 and response.context["page"].person is None
        assert "Vendeur inconnu dans ce périmètre" in response.content.decode()


def test_the_dashboard_links_to_both_pages(client: Client, personas: Personas) -> None:
    make_feedback(perimeter=personas.lille)
    client.force_login(personas.bob)
    body = client.get(reverse("web-perimeter-dashboard", args=[personas.lille.code])).content
    assert reverse("annotations-drivers", args=[personas.lille.code]).encode() in body
    assert reverse("activity-results", args=[personas.lille.code]).encode() in body
    assert Feedback.objects.count() == 1
