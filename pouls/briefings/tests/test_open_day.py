"""A daily briefing covers the last day the store was open, not a closed Sunday."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from pouls.briefings.forms import BriefingForm
from pouls.briefings.queries import default_start, last_open_day
from pouls.testing import Personas, make_feedback, make_sales, refresh_rollups

MONDAY = dt.date(2026, 11, 30)


def _answer(personas: Personas, day: dt.date) -> None:
    at = timezone.make_aware(dt.datetime.combine(day, dt.time(15)))
    make_feedback(perimeter=personas.lille_team, nps=9, received_at=at)


def test_monday_covers_saturday_when_sunday_was_closed(personas: Personas) -> None:
    saturday = MONDAY - dt.timedelta(days=2)
    _answer(personas, saturday - dt.timedelta(days=1))
    make_sales(perimeter=personas.lille, date=saturday)
    refresh_rollups()
    assert last_open_day(personas.bob, personas.lille, MONDAY) == saturday
    assert default_start("daily", MONDAY, user=personas.bob, perimeter=personas.lille) == saturday
    # Feedback alone marks a day open too (a store without sales figures).
    _answer(personas, MONDAY - dt.timedelta(days=1))
    refresh_rollups()
    assert last_open_day(personas.bob, personas.lille, MONDAY) == MONDAY - dt.timedelta(days=1)


def test_nothing_recorded_means_yesterday_and_other_stores_do_not_count(
    personas: Personas,
) -> None:
    make_sales(perimeter=personas.marseille, date=MONDAY - dt.timedelta(days=1))
    make_sales(perimeter=personas.lille, date=MONDAY)  # today is not a whole day yet
    refresh_rollups()
    assert last_open_day(personas.alice, personas.lille, MONDAY) == MONDAY - dt.timedelta(days=1)
    make_sales(perimeter=personas.lille, date=MONDAY - dt.timedelta(days=4))
    assert last_open_day(personas.alice, personas.lille, MONDAY) == MONDAY - dt.timedelta(days=4)
    # Weekly briefings still start on last week's Monday.
    assert default_start("weekly", MONDAY, user=personas.bob, perimeter=personas.lille) == (
        MONDAY - dt.timedelta(days=7)
    )


def test_the_form_leaves_the_day_blank_for_the_last_open_day(personas: Personas) -> None:
    friday = timezone.localdate() - dt.timedelta(days=3)
    make_sales(perimeter=personas.lille, date=friday)
    form = BriefingForm(
        {"period": "daily", "sections": ["chiffres"]}, user=personas.carol, perimeter=personas.lille
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["start"] == friday
