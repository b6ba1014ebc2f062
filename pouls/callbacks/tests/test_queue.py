"""The queue one works: filters, order, pages, SLA in words, bulk « prise en charge »."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from pouls.callbacks.actions import do_queue_callbacks
from pouls.callbacks.models import Callback
from pouls.callbacks.queries import time_left
from pouls.feedback.models import Feedback
from pouls.testing import Personas, make_callback, make_feedback, make_person, make_user

HOUR = dt.timedelta(hours=1)


def _cb(perimeter: Any, nps: int, age: dt.timedelta, text: str, **kw: Any) -> Callback:
    feedback = make_feedback(perimeter=perimeter, nps=nps, text=text, **kw)
    return make_callback(feedback=feedback, created_at=timezone.now() - age)


@pytest.fixture
def queue(personas: Personas) -> dict[str, Callback]:
    seller = make_person(perimeter=personas.lille_team, last_name="Martin")
    rows = {
        "late": _cb(personas.lille, 1, 60 * HOUR, "En retard depuis longtemps."),
        "soon": _cb(personas.lille, 5, 40 * HOUR, "Bientôt dû."),
        "fresh": _cb(personas.lille_team, 8, 1 * HOUR, "Tout frais.", person=seller),
        "other": _cb(personas.marseille, 0, 1 * HOUR, "Marseille."),
    }
    Callback.objects.filter(pk=rows["fresh"].pk).update(assignee=seller)
    done = _cb(personas.lille, 3, 10 * HOUR, "Déjà rappelé.")
    Callback.objects.filter(pk=done.pk).update(closed_at=timezone.now(), outcome="resolved")
    return rows


def _texts(client: Client, personas: Personas, **params: str) -> list[str]:
    url = reverse("callbacks-callback-queue", args=[personas.lille.code])
    response = client.get(url, params)
    assert response.status_code == 200
    return [c.feedback.text for c, _ in response.context["rows"]]


def test_filters_and_orders(client: Client, personas: Personas, queue: Any) -> None:
    client.force_login(personas.bob)
    assert _texts(client, personas) == [
        "En retard depuis longtemps.",
        "Bientôt dû.",
        "Tout frais.",
    ]
    assert _texts(client, personas, retard="on") == ["En retard depuis longtemps."]
    assert _texts(client, personas, statut="closed") == ["Déjà rappelé."]
    assert len(_texts(client, personas, statut="all")) == 4
    assert _texts(client, personas, nps="7-8") == ["Tout frais."]
    assert _texts(client, personas, nps="0-3") == ["En retard depuis longtemps."]
    assert _texts(client, personas, perimetre=str(personas.lille_team.code)) == ["Tout frais."]
    seller = queue["fresh"].assignee
    assert _texts(client, personas, personne=str(seller.code)) == ["Tout frais."]
    assert _texts(client, personas, tri="recent")[0] == "Tout frais."
    # Outside the page's subtree: not a choice, so nothing of Marseille shows.
    assert "Marseille." not in _texts(client, personas, perimetre=str(personas.marseille.code))


def test_the_sla_is_time_left_in_words(client: Client, personas: Personas, queue: Any) -> None:
    now = timezone.now()
    assert time_left(now + 5 * HOUR + dt.timedelta(minutes=3), now) == "reste 5 heures"
    assert time_left(now - 12 * HOUR, now) == "en retard de 12 heures"
    assert time_left(now + 72 * HOUR, now) == "reste 3 jours"
    assert time_left(now + dt.timedelta(seconds=20), now) == "reste 1 minute"
    client.force_login(personas.bob)
    body = client.get(reverse("callbacks-callback-queue", args=[personas.lille.code])).content
    assert "en retard de 12 heures" in body.decode() and "reste 7 heures" in body.decode()


def test_pages_of_25(client: Client, personas: Personas) -> None:
    for i in range(30):
        _cb(personas.lille, 2, i * HOUR, f"Client {i}.")
    client.force_login(personas.bob)
    url = reverse("callbacks-callback-queue", args=[personas.lille.code])
    first = client.get(url, {"tri": "due"})
    assert len(first.context["rows"]) == 25
    second = client.get(url, {"tri": "due", "page": "2"})
    assert len(second.context["rows"]) == 5
    assert "tri=due&amp;page=2" in first.content.decode()


def test_bulk_taking_over_and_assigning(client: Client, personas: Personas, queue: Any) -> None:
    url = reverse("callbacks-callback-assign", args=[personas.lille.code])
    codes = [str(queue["late"].code), str(queue["soon"].code)]
    # Carol (analyst of the region) has no person record: she assigns to someone.
    client.force_login(personas.carol)
    response = client.post(url, {"rappels": codes, "action": "prendre"})
    assert response.status_code == 302
    assert Callback.objects.filter(assignee__isnull=False).count() == 1  # unchanged
    helper = make_person(perimeter=personas.lille, first_name="Inès", last_name="Roy")
    response = client.post(
        url,
        {"rappels": codes, "action": "attribuer", "personne": str(helper.code), "query": "tri=nps"},
    )
    assert response.status_code == 302 and response["Location"].endswith("?tri=nps")
    assert set(Callback.objects.filter(assignee=helper)) == {queue["late"], queue["soon"]}
    # With a person record of her own, « je les prends en charge ».
    make_person(perimeter=personas.nord, first_name="Carol", last_name="Nord", user=personas.carol)
    client.post(url, {"rappels": codes[:1], "action": "prendre"})
    queue["late"].refresh_from_db()
    assert queue["late"].assignee is not None and queue["late"].assignee.user == personas.carol


def test_bulk_assignment_stays_in_scope(client: Client, personas: Personas, queue: Any) -> None:
    url = reverse("callbacks-callback-assign", args=[personas.lille.code])
    stranger = make_person(perimeter=personas.marseille, last_name="Sud")
    client.force_login(personas.carol)
    # A callback of Marseille and a person of Marseille are not valid choices.
    client.post(
        url,
        {
            "rappels": [str(queue["other"].code)],
            "action": "attribuer",
            "personne": str(stranger.code),
        },
    )
    client.post(
        url,
        {
            "rappels": [str(queue["late"].code)],
            "action": "attribuer",
            "personne": str(stranger.code),
        },
    )
    assert not Callback.objects.filter(assignee=stranger).exists()
    # A viewer cannot assign (no change right), and sees no checkboxes.
    client.force_login(personas.bob)
    helper = make_person(perimeter=personas.lille, last_name="Aide")
    client.post(
        url,
        {"rappels": [str(queue["late"].code)], "action": "attribuer", "personne": str(helper.code)},
    )
    assert not Callback.objects.filter(assignee=helper).exists()
    page = client.get(reverse("callbacks-callback-queue", args=[personas.lille.code]))
    assert b'name="rappels"' not in page.content
    outsider = make_user("dan")
    client.force_login(outsider)
    assert client.post(url, {"rappels": [], "action": "prendre"}).status_code == 404


def test_the_list_query_count_is_bounded(
    client: Client, personas: Personas, queue: Any, django_assert_max_num_queries: Any
) -> None:
    for i in range(30):
        _cb(personas.lille, 2, i * HOUR, f"Client {i}.")
    client.force_login(personas.carol)
    with django_assert_max_num_queries(14):
        client.get(reverse("callbacks-callback-queue", args=[personas.nord.code]))


def test_deadlines_follow_each_answers_own_time(personas: Personas) -> None:
    now = timezone.now()
    ids = []
    for hours in (1, 30, 100):
        f = make_feedback(perimeter=personas.lille, nps=2, received_at=now - hours * HOUR)
        Feedback.objects.filter(pk=f.pk).update(callback_consent=True)
        ids.append(f.pk)
    assert do_queue_callbacks(ids) == 3
    for callback in Callback.objects.select_related("feedback"):
        assert callback.created_at == callback.feedback.received_at
        assert callback.due_at - callback.created_at == dt.timedelta(hours=48)
    assert len(set(Callback.objects.values_list("due_at", flat=True))) == 3
