"""One signal's page (trend, spread, evidence) and Yoon's emergence map, within the reader's
scope, with the library's figures."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from django.test import Client
from django.urls import reverse

from pouls.annotations.models import ThemeMention
from pouls.feedback.models import Feedback
from pouls.org.models import Perimeter
from pouls.rollups.models import MetricValue
from pouls.testing import Personas, make_feedback
from pouls.watch.detection import detect, last_complete_week
from pouls.watch.evidence import MAP_BLOCKS, get_emergence_map, get_signal_page
from pouls.watch.models import ThemeSignal
from pouls.watch.tests.test_watch import CALM, LAST, TODAY, _weekly
from pouls_analysis.signals.yoon import emergence_map

PAYMENT_TEXTS = [
    "Le terminal de paiement refusait ma carte, j'ai dû revenir le lendemain.",
    "Impossible de payer par carte, la caisse était en panne depuis le matin.",
    "Paiement refusé trois fois au terminal, personne ne savait quoi faire.",
    "Encore un problème de terminal de carte bancaire, queue énorme en caisse.",
]


def _complaint(perimeter: Perimeter, text: str, when: dt.datetime) -> Feedback:
    feedback = make_feedback(perimeter=perimeter, nps=2, text=text, received_at=when)
    ThemeMention.objects.create(
        feedback=feedback,
        perimeter=perimeter,
        day=when.date(),
        theme="checkout_payment",
        confidence=0.9,
        polarity="negative",
        polarity_score=-0.6,
        start=0,
        end=5,
    )
    return feedback


@pytest.fixture
def surges(personas: Personas) -> Personas:
    """Payment complaints jump in Lille and in Marseille the same week, with texts."""
    for perimeter in (personas.lille, personas.roubaix, personas.marseille):
        _weekly(perimeter, "delivery", [*CALM, 4])
    _weekly(personas.lille, "checkout_payment", [*CALM, 21])
    _weekly(personas.marseille, "checkout_payment", [*CALM, 24])
    detect(LAST)
    when = dt.datetime.combine(LAST + dt.timedelta(days=2), dt.time(11), dt.UTC)
    for text in PAYMENT_TEXTS:
        _complaint(personas.lille, text, when)
    _complaint(personas.marseille, "Secret de Marseille : le terminal de paiement a brûlé.", when)
    # Outside the signal's weeks: not evidence.
    _complaint(
        personas.lille,
        "Vieille plainte de paiement, bien avant le signal.",
        when - dt.timedelta(weeks=5),
    )
    return personas


def test_the_signal_page_shows_trend_spread_and_evidence(surges: Personas) -> None:
    signal = ThemeSignal.objects.get(perimeter=surges.lille)
    page = get_signal_page(surges.alice, signal, TODAY)
    assert page.weeks[-1] == LAST and page.complaints[-len(CALM) - 1 :] == [*CALM, 21]
    assert [s.perimeter.name for s in page.spread] == ["Site Marseille"]
    assert page.first_anywhere == LAST and page.min_support == 5
    assert page.evidence_pool == 4
    assert {e.quote for e in page.evidence} <= set(PAYMENT_TEXTS) and page.evidence
    chart = page.chart()
    assert chart["complaints"][-1] == 21 and chart["first_seen"] == LAST.isoformat()


def test_bob_sees_no_spread_nor_evidence_outside_his_store(
    client: Client, surges: Personas
) -> None:
    signal = ThemeSignal.objects.get(perimeter=surges.lille)
    page = get_signal_page(surges.bob, signal, TODAY)
    assert page.spread == [] and page.evidence
    assert all(e.feedback.perimeter_id == surges.lille.pk for e in page.evidence)
    client.force_login(surges.bob)
    body = client.get(reverse("watch-signal-detail", args=[signal.code])).content.decode()
    assert "Marseille" not in body and "signal-data" in body and "plotly.min.js" in body
    assert "Nulle part ailleurs" in body
    other = ThemeSignal.objects.get(perimeter=surges.marseille)
    assert client.get(reverse("watch-signal-detail", args=[other.code])).status_code == 404
    client.force_login(surges.alice)
    body = client.get(reverse("watch-signal-detail", args=[signal.code])).content.decode()
    assert "Site Marseille" in body


def test_the_feed_links_each_signal_to_its_page(client: Client, surges: Personas) -> None:
    client.force_login(surges.bob)
    signal = ThemeSignal.objects.get(perimeter=surges.lille)
    signal.last_seen = last_complete_week()  # the page reads today's feed
    signal.save()
    body = client.get(reverse("watch-feed")).content.decode()
    assert reverse("watch-signal-detail", args=[signal.code]) in body


def _map_rows(personas: Personas) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """24 weeks: 'waiting' steady everywhere; 'delivery' growing and spreading store by
    store; 'price' rare and flat. Returns the group's mentions, stores and texts per block."""
    start = LAST - dt.timedelta(weeks=MAP_BLOCKS * 4 - 1)
    stores = [personas.lille, personas.roubaix, personas.marseille]
    mentions = np.zeros((MAP_BLOCKS, 3))
    spread = np.zeros((MAP_BLOCKS, 3))
    texts = np.zeros(MAP_BLOCKS)
    rows = []
    totals: dict[tuple[dt.date, str], list[int]] = {}
    for week in range(MAP_BLOCKS * 4):
        start_week = start + dt.timedelta(weeks=week)
        block = week // 4
        for i, store in enumerate(stores):
            counts = {"waiting": 6, "delivery": 2 + week if i <= block // 2 else 0, "price": 1}
            for j, (theme, count) in enumerate(counts.items()):
                rows.append(
                    MetricValue(
                        perimeter=store,
                        period="week",
                        start=start_week,
                        dimension="theme",
                        value=theme,
                        feedback=count,
                        negative_mentions=count,
                    )
                )
                totals.setdefault((start_week, theme), [0])[0] += count
                mentions[block, j] += count
            texts[block] += 50
            rows.append(
                MetricValue(perimeter=store, period="week", start=start_week, sentiment_n=50)
            )
        rows.append(
            MetricValue(perimeter=personas.group, period="week", start=start_week, sentiment_n=150)
        )
    for (start_week, theme), (count,) in totals.items():
        rows.append(
            MetricValue(
                perimeter=personas.group,
                period="week",
                start=start_week,
                dimension="theme",
                value=theme,
                feedback=count,
                negative_mentions=count,
            )
        )
    MetricValue.objects.bulk_create(rows)
    for block in range(MAP_BLOCKS):
        for j, theme in enumerate(("waiting", "delivery", "price")):
            for i in range(3):
                weeks = range(block * 4, block * 4 + 4)
                if theme != "delivery" or any(i <= w // 4 // 2 for w in weeks):
                    spread[block, j] += 1
    return mentions, spread, texts


def test_the_emergence_map_is_the_library_s(client: Client, personas: Personas) -> None:
    mentions, spread, texts = _map_rows(personas)
    result = get_emergence_map(personas.alice, personas.group, TODAY)
    # Themes in alphabetical order: delivery, price, waiting.
    order = [1, 2, 0]
    expected = emergence_map(
        mentions[:, order], spread[:, order], texts, diffusion_base=np.full(MAP_BLOCKS, 3)
    )
    assert [r.theme for r in result.rows] == ["delivery", "price", "waiting"]
    assert result.units == 3 and result.has_diffusion
    for row, point in zip(result.rows, expected, strict=True):
        assert row.point.visibility == pytest.approx(point.visibility)
        assert row.point.diffusion_growth == pytest.approx(point.diffusion_growth)
        assert (row.point.on_visibility, row.point.on_diffusion) == (
            point.on_visibility,
            point.on_diffusion,
        )
    delivery = result.rows[0].point
    assert delivery.diffusion_growth > 0 and delivery.on_visibility == "signal fort"
    client.force_login(personas.alice)
    body = client.get(reverse("watch-perimeter-signals", args=[personas.group.code])).content
    assert b"emergence-data" in body and b"signal fort" in body


def test_a_store_viewer_s_map_counts_only_his_store(personas: Personas) -> None:
    _map_rows(personas)
    result = get_emergence_map(personas.bob, personas.lille, TODAY)
    assert result.units == 1 and not result.has_diffusion
    assert {r.theme for r in result.rows} == {"delivery", "price", "waiting"}
    waiting = next(r for r in result.rows if r.theme == "waiting")
    assert waiting.complaints == 6 * MAP_BLOCKS * 4  # Lille's own, not the group's


def test_the_quote_is_the_sentence_that_mentions_the_theme() -> None:
    from pouls.watch import evidence

    text = "Très bon accueil. Le terminal de paiement était en panne ! Merci quand même."
    start = text.index("terminal")
    assert evidence.sentence_around(text, start, start + 8) == (
        "Le terminal de paiement était en panne !"
    )
    assert evidence.sentence_around("Sans point final", 0, 4) == "Sans point final"
    assert evidence.sentence_around("Texte", 3, 99) == "Texte"  # offsets out of range
