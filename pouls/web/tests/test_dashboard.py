from __future__ import annotations

import datetime as dt
import math

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from pouls.feedback.models import Feedback
from pouls.testing import Personas, make_activity, make_feedback, make_sales, refresh_rollups


def _recompute(perimeter_ids: list[int]) -> tuple[float, float, float, int]:
    """The adjusted-Wald NPS interval recomputed straight from the database rows."""
    rows = Feedback.objects.filter(perimeter_id__in=perimeter_ids, nps__isnull=False)
    scores = [s for s in rows.values_list("nps", flat=True) if s is not None]
    n = len(scores)
    p = sum(s >= 9 for s in scores)
    d = sum(s <= 6 for s in scores)
    na = n + 3
    pa, da = (p + 0.75) / na, (d + 0.75) / na
    margin = 1.96 * math.sqrt((pa + da - (pa - da) ** 2) / na)
    return 100 * (p - d) / n, 100 * (pa - da - margin), 100 * (pa - da + margin), n


@pytest.fixture
def scored(personas: Personas) -> Personas:
    now = timezone.now()
    scores = [10, 9, 9, 8, 7, 6, 3, 10, 9, 0, 5, 10, 9, 9, 8, 10, 2, 9, 9, 10] * 2
    for i, score in enumerate(scores):
        make_feedback(
            perimeter=personas.lille if i % 3 else personas.lille_team,
            nps=score,
            received_at=now - dt.timedelta(days=i),
            text=f"Verbatim numéro {i}",
        )
    make_feedback(perimeter=personas.marseille, nps=0, received_at=now)
    make_feedback(
        perimeter=personas.lille, nps=None, text="Courrier sans note", source_kind="letter"
    )
    refresh_rollups()
    return personas


def test_the_nps_shown_equals_the_formula_on_the_database(client: Client, scored: Personas) -> None:
    client.force_login(scored.bob)
    response = client.get(reverse("web-perimeter-dashboard", args=[scored.lille.code]))
    result = response.context["d"].nps
    nps, low, high, n = _recompute([scored.lille.pk, scored.lille_team.pk])
    assert result.n == n == 40
    assert result.nps == pytest.approx(nps)
    assert result.low == pytest.approx(low, abs=0.01)
    assert result.high == pytest.approx(high, abs=0.01)
    body = response.content.decode()
    assert f"n = {n}" in body
    assert f"[{round(low)} ; {round(high)}]" in body


def test_volume_counts_feedback_without_a_score(client: Client, scored: Personas) -> None:
    client.force_login(scored.bob)
    response = client.get(reverse("web-perimeter-dashboard", args=[scored.lille.code]))
    assert response.context["d"].volume == 41


def test_a_small_sample_is_flagged_with_words(client: Client, personas: Personas) -> None:
    for score in (10, 9, 3):
        make_feedback(perimeter=personas.lille, nps=score)
    refresh_rollups()
    client.force_login(personas.bob)
    response = client.get(reverse("web-perimeter-dashboard", args=[personas.lille.code]))
    body = response.content.decode()
    assert "3 réponses seulement" in body
    assert "marge d&#x27;erreur" in body or "marge d'erreur" in body


def test_a_large_consistent_sample_is_not_flagged(client: Client, personas: Personas) -> None:
    for i in range(200):
        make_feedback(perimeter=personas.lille, nps=10 if i % 10 else 8)
    refresh_rollups()
    client.force_login(personas.bob)
    response = client.get(reverse("web-perimeter-dashboard", args=[personas.lille.code]))
    assert response.context["d"].caveats == []
    assert "Peu fiable :" not in response.content.decode()


def test_children_are_listed_for_drill_down(client: Client, scored: Personas) -> None:
    client.force_login(scored.carol)
    response = client.get(reverse("web-perimeter-dashboard", args=[scored.nord.code]))
    children = {c.perimeter.name: c.result.n for c in response.context["d"].children}
    assert children == {"Site Lille": 40, "Site Roubaix": 0}


def test_the_breadcrumb_stops_at_the_users_scope(client: Client, scored: Personas) -> None:
    client.force_login(scored.bob)
    response = client.get(reverse("web-perimeter-dashboard", args=[scored.lille_team.code]))
    assert [p.name for p in response.context["d"].breadcrumb] == [
        "Site Lille",
        "Équipe Lille Vente",
    ]


def test_the_period_filter_narrows_the_answers(client: Client, scored: Personas) -> None:
    client.force_login(scored.bob)
    url = reverse("web-perimeter-dashboard", args=[scored.lille.code])
    assert client.get(url, {"periode": "30"}).context["d"].nps.n == 30
    assert client.get(url, {"periode": "nimporte"}).context["d"].nps.n == 40  # default: 90 days


def test_the_trend_data_carries_the_interval_per_week(client: Client, scored: Personas) -> None:
    client.force_login(scored.bob)
    data = client.get(reverse("web-perimeter-trend", args=[scored.lille.code])).json()
    apart = sum(w["n"] for w in data["left_out"])
    assert sum(data["n"]) + apart == 40
    for nps, low, high in zip(data["nps"], data["low"], data["high"], strict=True):
        assert -100 <= low <= high <= 100
        assert nps is not None


def test_the_current_week_with_one_answer_is_not_on_the_line(
    client: Client, personas: Personas
) -> None:
    today = timezone.localdate()
    monday = today - dt.timedelta(days=today.weekday())
    noon = dt.time(12)
    for i in range(30):  # three whole weeks before, ten answers each
        day = monday - dt.timedelta(days=7 * (1 + i % 3) - 2)
        make_feedback(
            perimeter=personas.lille,
            nps=9,
            received_at=timezone.make_aware(dt.datetime.combine(day, noon)),
        )
    make_feedback(
        perimeter=personas.lille,
        nps=3,
        received_at=timezone.make_aware(dt.datetime.combine(today, dt.time(0, 5))),
    )
    refresh_rollups()
    client.force_login(personas.bob)
    data = client.get(reverse("web-perimeter-trend", args=[personas.lille.code])).json()
    assert monday.isoformat() not in data["week"]
    assert data["n"] == [10, 10, 10] and data["nps"] == [100, 100, 100]
    (current,) = data["left_out"]
    assert current["week"] == monday.isoformat() and current["n"] == 1
    assert current["reason"] == "current_week"
    assert "1 réponse" in current["explanation"] and "en cours" in current["explanation"]


def test_the_trend_follows_the_page_window(client: Client, scored: Personas) -> None:
    client.force_login(scored.bob)
    url = reverse("web-perimeter-trend", args=[scored.lille.code])
    first = dt.date(2020, 1, 6)  # a Monday; three whole weeks, nothing in them
    data = client.get(url, {"periode": "dates", "du": first.isoformat(), "au": "2020-01-26"}).json()
    assert data["week"] == [] and data["left_out"] == []
    assert data["window"] == {"first": "2020-01-06", "last": "2020-01-26", "label": ANY_STR}
    recent = client.get(url, {"periode": "30"}).json()
    assert sum(recent["n"]) + sum(w["n"] for w in recent["left_out"]) <= 30 + 10


class _AnyStr(str):
    def __eq__(self, other: object) -> bool:
        return isinstance(other, str)

    __hash__ = str.__hash__


ANY_STR = _AnyStr()


def test_every_section_reads_the_same_custom_window(client: Client, personas: Personas) -> None:
    today = timezone.localdate()
    first, last = today - dt.timedelta(days=60), today - dt.timedelta(days=20)
    noon = dt.time(12)
    for days, score in ((70, 0), (40, 10), (30, 9), (10, 0)):
        make_feedback(
            perimeter=personas.lille,
            nps=score,
            received_at=timezone.make_aware(
                dt.datetime.combine(today - dt.timedelta(days=days), noon)
            ),
        )
    for days in (70, 40, 10):
        make_sales(perimeter=personas.lille, date=today - dt.timedelta(days=days))
    refresh_rollups()
    client.force_login(personas.bob)
    response = client.get(
        reverse("web-perimeter-dashboard", args=[personas.lille.code]),
        {"periode": "dates", "du": first.isoformat(), "au": last.isoformat()},
    )
    d = response.context["d"]
    assert (d.window.first, d.window.last) == (first, last)
    assert d.nps.n == 2 and d.nps.nps == 100
    revenue = next(i for i in d.indicators if i.key == "revenue")
    assert float(revenue.value) == 1000.0
    assert d.previous.last == first - dt.timedelta(days=1)
    assert d.previous.first == first - dt.timedelta(days=41)
    assert d.theme_weeks.first is not None and d.theme_weeks.first >= first
    assert d.theme_weeks.last <= last and d.theme_weeks.weeks == 5
    body = response.content.decode()
    assert str(d.window) in body and str(d.previous) in body


def test_a_custom_range_upside_down_falls_back_to_the_default(
    client: Client, scored: Personas
) -> None:
    client.force_login(scored.bob)
    url = reverse("web-perimeter-dashboard", args=[scored.lille.code])
    response = client.get(url, {"periode": "dates", "du": "2026-05-01", "au": "2026-04-01"})
    assert response.context["d"].window.days == 90
    assert "La date de fin précède la date de début." in response.content.decode()


def test_sales_and_activity_against_target(client: Client, personas: Personas) -> None:
    today = timezone.localdate()
    for days in range(3):
        make_sales(perimeter=personas.lille, date=today - dt.timedelta(days=days))
        make_activity(perimeter=personas.lille, date=today - dt.timedelta(days=days))
    make_sales(perimeter=personas.marseille, date=today, revenue="99999.00")
    client.force_login(personas.bob)
    response = client.get(reverse("web-perimeter-dashboard", args=[personas.lille.code]))
    indicators = {i.key: i for i in response.context["d"].indicators}
    assert float(indicators["revenue"].value) == 3000.0
    assert indicators["revenue"].attainment == pytest.approx(3000 / 3600)
    assert indicators["visits"].attainment == pytest.approx(15 / 18)
    assert indicators["calls"].attainment is None


def test_latest_verbatims_are_newest_first(client: Client, scored: Personas) -> None:
    client.force_login(scored.bob)
    response = client.get(reverse("web-perimeter-dashboard", args=[scored.lille.code]))
    dates = [f.received_at for f in response.context["d"].verbatims]
    assert dates == sorted(dates, reverse=True) and len(dates) == 6


def test_the_dashboard_query_count_does_not_grow_with_children(
    client: Client, scored: Personas, django_assert_max_num_queries: object
) -> None:
    client.force_login(scored.alice)
    with django_assert_max_num_queries(16):  # type: ignore[operator]
        client.get(reverse("web-perimeter-dashboard", args=[scored.group.code]))


def test_plotly_is_served_from_the_installed_package(client: Client, db: None) -> None:
    from django.contrib.staticfiles import finders

    assert finders.find("plotly/plotly.min.js")


def test_the_change_against_the_previous_period_is_the_librarys(
    client: Client, personas: Personas
) -> None:
    from pouls_analysis import compare_nps, nps_from_scores

    now = timezone.now()
    before = [3, 5, 6, 6, 7, 8, 9, 2, 4, 6] * 3
    recent = [10, 9, 9, 10, 8, 9, 10, 7, 9, 10] * 3
    for i, score in enumerate(before):
        make_feedback(
            perimeter=personas.lille, nps=score, received_at=now - dt.timedelta(days=40 + i % 20)
        )
    for i, score in enumerate(recent):
        make_feedback(
            perimeter=personas.lille, nps=score, received_at=now - dt.timedelta(days=1 + i % 20)
        )
    refresh_rollups()
    client.force_login(personas.bob)
    response = client.get(
        reverse("web-perimeter-dashboard", args=[personas.lille.code]), {"periode": "30"}
    )
    change = response.context["d"].change
    expected = compare_nps(nps_from_scores(before), nps_from_scores(recent))
    assert change == expected and change.verdict == "hausse crédible"
    body = response.content.decode()
    assert expected.difference is not None
    assert f"+{round(expected.difference)} points" in body and "hausse crédible" in body


def test_theme_shares_come_from_the_rollups_with_their_interval(
    client: Client, personas: Personas
) -> None:
    from pouls.annotations.services import annotate_pending
    from pouls_analysis.stats.compare import proportion_interval

    monday = timezone.localdate() - dt.timedelta(days=timezone.localdate().weekday())
    texts = ["Livraison en retard, colis abîmé.", "Accueil souriant et efficace."]
    for i in range(20):
        make_feedback(
            perimeter=personas.lille,
            nps=3 if i % 2 == 0 else 9,
            text=texts[i % 2],
            received_at=timezone.make_aware(
                dt.datetime.combine(monday - dt.timedelta(days=3 + i % 10), dt.time(12))
            ),
        )
    annotate_pending()
    refresh_rollups()
    client.force_login(personas.bob)
    themes = (
        client.get(reverse("web-perimeter-dashboard", args=[personas.lille.code]))
        .context["d"]
        .themes
    )
    delivery = next(t for t in themes if t.theme == "delivery")
    assert delivery.now == proportion_interval(10, 20)
    assert delivery.negative.share == 1.0
    assert delivery.change.verdict == "pas assez de réponses"  # nothing the 8 weeks before


def test_children_show_the_library_s_smoothed_nps_labelled(
    client: Client, scored: Personas
) -> None:
    from pouls_analysis import nps_from_scores, smooth_nps

    client.force_login(scored.alice)
    response = client.get(reverse("web-perimeter-dashboard", args=[scored.nord.code]))
    d = response.context["d"]
    lille = next(c for c in d.children if c.perimeter == scored.lille)
    scores = [
        s
        for s in Feedback.objects.filter(
            perimeter__in=[scored.lille, scored.lille_team]
        ).values_list("nps", flat=True)
        if s is not None
    ]
    expected = smooth_nps(nps_from_scores(scores), d.nps, [c.result for c in d.children])
    assert lille.smoothed.smoothed == pytest.approx(expected.smoothed)
    assert lille.smoothed.weight == pytest.approx(expected.weight)
    body = response.content.decode()
    assert "NPS lissé vers" in body and "bayésien empirique" in body


def test_a_unit_without_answers_shows_no_nps_smoothed_or_not(
    client: Client, scored: Personas
) -> None:
    client.force_login(scored.alice)
    response = client.get(reverse("web-perimeter-dashboard", args=[scored.nord.code]))
    roubaix = next(c for c in response.context["d"].children if c.perimeter == scored.roubaix)
    assert roubaix.result.n == 0 and roubaix.result.nps is None
    assert roubaix.smoothed is None
    body = response.content.decode()
    row = body[body.index("Site Roubaix") :]
    row = row[: row.index("</tr>")]
    assert "aucune note" in row and "aucune réponse" in row
    assert 'data-smoothed=""' in row
    assert not any(ch.isdigit() for ch in row.split("</a>", 1)[1])
