"""Activities at a standstill in « Quoi de neuf ? »: a team that stopped filing reports."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory

from pouls.testing import Personas, make_activity
from pouls.watch.queries import SILENCE_WEEKS, whats_new

WEEK = dt.date(2026, 11, 9)  # a Monday, the last complete week
TODAY = WEEK + dt.timedelta(days=8)


@pytest.mark.django_db
def test_a_team_that_stopped_reporting_is_said_in_its_scope(personas: Personas) -> None:
    start = WEEK - dt.timedelta(weeks=SILENCE_WEEKS - 1)
    for day in range(7 * SILENCE_WEEKS):
        date = start + dt.timedelta(days=day)
        silent = date >= WEEK - dt.timedelta(weeks=3)  # the last 4 weeks
        make_activity(perimeter=personas.lille_team, date=date, reports_filed=0 if silent else 2)
        make_activity(perimeter=personas.marseille, date=date, reports_filed=0 if silent else 2)
        make_activity(perimeter=personas.roubaix, date=date, reports_filed=2)
    silences = whats_new(personas.bob, TODAY).silences
    found = [(s.perimeter.name, s.activity, s.weeks) for s in silences]
    assert found == [("Équipe Lille Vente", "reports_filed", 4)]
    names = {s.perimeter.name for s in whats_new(personas.alice, TODAY).silences}
    assert names == {"Équipe Lille Vente", "Site Marseille"}
    request = RequestFactory().get("/quoi-de-neuf/")
    request.user = personas.bob
    body = render_to_string(
        "watch/feed.html", {"feed": whats_new(personas.bob, TODAY)}, request=request
    )
    section = body.split('id="silences"')[1].split("</section>")[0]
    assert "Équipe Lille Vente" in section and "depuis 4 semaines" in section
    assert "Marseille" not in body
