"""A perimeter's figures through the API are the dashboard's own, and the trend never draws
the unfinished week."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from pouls.api.tests.conftest import World, client_for
from pouls.lib.dates import week_start
from pouls.lib.forms import Window
from pouls.testing import make_feedback, refresh_rollups
from pouls.web.queries import get_dashboard

pytestmark = pytest.mark.django_db


def test_figures_equal_the_dashboard_and_leave_the_current_week_apart(world: World) -> None:
    lille, today = world.personas.lille, timezone.localdate()
    monday = week_start(today)
    for weeks_ago, score in ((1, 10), (1, 9), (2, 3), (3, 8), (3, 10)):
        day = monday - dt.timedelta(weeks=weeks_ago) + dt.timedelta(days=2)
        make_feedback(
            perimeter=lille,
            nps=score,
            received_at=timezone.make_aware(dt.datetime.combine(day, dt.time(11))),
        )
    make_feedback(perimeter=lille, nps=0, received_at=timezone.now())  # this week: one answer
    refresh_rollups()
    body = (
        client_for(world, "bob")
        .get(reverse("api-perimeter-figures", args=[lille.code]), {"days": 90})
        .json()
    )
    page = get_dashboard(world.personas.bob, lille, Window(today - dt.timedelta(days=89), today))
    assert body["nps"]["n"] == page.nps.n and body["nps"]["nps"] == page.nps.nps
    assert body["nps"]["low"] == page.nps.low and body["nps"]["high"] == page.nps.high
    weeks = [p["week"] for p in body["trend"]]
    assert monday.isoformat() not in weeks and len(weeks) == 3
    assert body["left_out"] == [
        {
            "week": monday.isoformat(),
            "reason": "current_week",
            "result": body["left_out"][0]["result"],
        }
    ]
    assert body["left_out"][0]["result"]["n"] == 1


def test_a_bad_window_is_a_clear_error(world: World) -> None:
    url = reverse("api-perimeter-figures", args=[world.personas.lille.code])
    response = client_for(world, "bob").get(url, {"days": "beaucoup"})
    assert response.status_code == 400
    assert response.json()["field"] == "days"
