"""Candidate themes: a surging group of uncovered texts in a store, kept per store and shown
only to those who may see that store."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from pouls.annotations.models import Annotation
from pouls.org.models import Perimeter
from pouls.testing import Personas, make_feedback
from pouls.watch.candidates import CANDIDATE_WEEKS, scan_candidates
from pouls.watch.detection import last_complete_week
from pouls.watch.models import CandidateTheme
from pouls.watch.queries import whats_new

KINDS = {
    "parking": ["Le parking est trop petit", "Aucune place de parking libre", "Parking plein"],
    "musique": ["Musique trop forte", "La musique est assourdissante", "Musique pénible"],
    "toilettes": ["Les toilettes sont sales", "Toilettes fermées", "Pas de toilettes"],
}


def _uncovered(perimeter: Perimeter, text: str, day: dt.date) -> None:
    when = dt.datetime.combine(day, dt.time(12), dt.UTC)
    feedback = make_feedback(perimeter=perimeter, nps=5, text=text, received_at=when)
    Annotation.objects.create(
        feedback=feedback,
        perimeter=perimeter,
        day=day,
        lang="fr",
        is_french=True,
        sentiment=-0.4,
        sentiment_label="negative",
        uncovered=True,
        version="test",
    )


def _weeks(perimeter: Perimeter, week: dt.date, surge: str | None) -> None:
    for k in range(CANDIDATE_WEEKS):
        monday = week - dt.timedelta(weeks=CANDIDATE_WEEKS - 1 - k)
        for kind, variants in KINDS.items():
            n = 16 if kind == surge and k == CANDIDATE_WEEKS - 1 else 3
            for i in range(n):
                _uncovered(perimeter, f"{variants[(k + i) % 3]}.", monday + dt.timedelta(i % 6))


@pytest.mark.django_db
def test_a_surging_uncovered_group_is_a_candidate_of_its_store_only(
    client: Client, personas: Personas
) -> None:
    week = last_complete_week()
    _weeks(personas.lille_team, week, surge="parking")  # a team's texts count for its store
    _weeks(personas.marseille, week, surge="musique")
    found = scan_candidates(week)
    # The discoverer may split a group by wording (9 clusters for 157 short texts): every
    # candidate of Lille is about parking, every one of Marseille about music, none else.
    lille = CandidateTheme.objects.filter(perimeter=personas.lille)
    marseille = CandidateTheme.objects.filter(perimeter=personas.marseille)
    assert lille and marseille and found == lille.count() + marseille.count()
    assert all("parking" in c.keywords for c in lille)
    assert all("musique" in c.keywords for c in marseille)
    assert sum(c.count for c in lille) == 16
    assert sum(sum(c.counts[:-1]) for c in lille) == 3 * (CANDIDATE_WEEKS - 1)
    assert scan_candidates(week) == found == CandidateTheme.objects.count()  # a re-run replaces
    assert {c.perimeter.name for c in whats_new(personas.bob).candidates} == {"Site Lille"}
    assert {c.perimeter.name for c in whats_new(personas.alice).candidates} == {
        "Site Lille",
        "Site Marseille",
    }
    client.force_login(personas.bob)
    body = client.get(reverse("watch-perimeter-signals", args=[personas.lille.code])).content
    text = body.decode()
    assert "parking" in text and "arking" in text.split('id="candidates"')[1]
    assert "usique" not in text
    feed = client.get(reverse("watch-feed")).content.decode()
    assert "parking" in feed.split('id="candidates"')[1] and "usique" not in feed
    client.force_login(personas.alice)
    group = client.get(reverse("watch-perimeter-signals", args=[personas.group.code])).content
    assert b"musique" in group and b"parking" in group


@pytest.mark.django_db
def test_the_command_refuses_a_bad_date_in_french() -> None:
    with pytest.raises(CommandError, match="Date illisible"):
        call_command("detect_candidate_themes", "--week", "hier")
    call_command("detect_candidate_themes", "--week", "2026-11-18")
