"""Sales up while the NPS falls: found with the library's tests, within the reader's scope."""

from __future__ import annotations

import datetime as dt

import pytest

from pouls.org.models import Perimeter
from pouls.rollups.models import MetricValue
from pouls.testing import Personas, make_sales
from pouls.watch.divergence import WEEKS, sales_up_nps_down
from pouls_analysis import compare_nps, nps_from_counts

WEEK = dt.date(2026, 11, 9)  # a Monday, the last week looked at


def _store(perimeter: Perimeter, *, diverging: bool) -> None:
    """26 weeks of daily revenue and NPS answers; the last 13 weeks sell 30 % more and
    recommend less when ``diverging``."""
    start = WEEK - dt.timedelta(weeks=2 * WEEKS - 1)
    for day in range(7 * 2 * WEEKS):
        date = start + dt.timedelta(days=day)
        recent = day >= 7 * WEEKS
        revenue = 1000 + 37 * (day % 5) + (300 if recent and diverging else 0)
        make_sales(perimeter=perimeter, date=date, revenue=f"{revenue}.00")
        promoters, detractors = (2, 3) if recent and diverging else (4, 1)
        MetricValue.objects.create(
            perimeter=perimeter,
            period="day",
            start=date,
            nps_n=6,
            promoters=promoters,
            passives=6 - promoters - detractors,
            detractors=detractors,
        )


@pytest.mark.django_db
def test_a_store_selling_more_and_recommended_less_is_found_in_scope(
    personas: Personas,
) -> None:
    _store(personas.lille, diverging=True)
    _store(personas.marseille, diverging=True)
    _store(personas.roubaix, diverging=False)
    found = sales_up_nps_down(personas.bob, WEEK)
    assert [d.perimeter.name for d in found] == ["Site Lille"]
    lille = found[0]
    assert lille.revenue.verdict == "hausse crédible" and lille.revenue.relative is not None
    assert lille.revenue.relative == pytest.approx(300 / (1000 + 37 * 2), rel=0.05)
    expected = compare_nps(
        nps_from_counts(4 * 7 * WEEKS, 7 * WEEKS, 7 * WEEKS),
        nps_from_counts(2 * 7 * WEEKS, 7 * WEEKS, 3 * 7 * WEEKS),
    )
    assert lille.nps.difference == pytest.approx(expected.difference)
    assert lille.nps.low == pytest.approx(expected.low)
    names = {d.perimeter.name for d in sales_up_nps_down(personas.alice, WEEK)}
    assert {"Site Lille", "Site Marseille"} <= names and "Site Roubaix" not in names
    assert sales_up_nps_down(personas.charlie, WEEK) == []


@pytest.mark.django_db
def test_the_feed_page_and_the_digest_say_it(personas: Personas) -> None:
    from django.core import mail
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    from pouls.watch.digest import send_digests
    from pouls.watch.models import DigestSubscription
    from pouls.watch.queries import whats_new

    _store(personas.lille, diverging=True)
    today = WEEK + dt.timedelta(days=8)
    request = RequestFactory().get("/quoi-de-neuf/")
    request.user = personas.bob
    feed = whats_new(personas.bob, today)
    body = render_to_string("watch/feed.html", {"feed": feed}, request=request)
    section = body.split('id="divergences"')[1].split("</section>")[0]
    assert "Site Lille" in section and "+28 %" in section and "points" in section
    DigestSubscription.objects.create(user=personas.bob, daily=True)
    assert send_digests(today) == 1
    assert "LES VENTES MONTENT" in mail.outbox[0].body and "Site Lille" in mail.outbox[0].body
