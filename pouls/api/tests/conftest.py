from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from pouls.api.tokens import do_create_token
from pouls.org.models import Perimeter
from pouls.testing import (
    Personas,
    make_callback,
    make_feedback,
    make_person,
    make_survey,
    refresh_rollups,
)
from pouls.watch.models import ThemeSignal


@dataclass
class World:
    personas: Personas
    tokens: dict[str, str]


def _signal(perimeter: Perimeter) -> ThemeSignal:
    monday = timezone.localdate() - dt.timedelta(days=timezone.localdate().weekday() + 7)
    return ThemeSignal.objects.create(
        perimeter=perimeter,
        theme="checkout_payment",
        kind="surge",
        first_seen=monday,
        last_seen=monday,
        count=9,
        expected=2.0,
        q_value=0.01,
    )


@pytest.fixture
def world(personas: Personas) -> World:
    """One feedback, callback, signal, seller and survey (with its links) in Lille (bob's
    store) and in Marseille (outside bob's and carol's scope); a token per persona, bob's
    read-only."""
    for store in (personas.lille, personas.marseille):
        feedback = make_feedback(perimeter=store, nps=2, text="Attente trop longue en caisse.")
        make_callback(feedback=feedback)
        _signal(store)
        make_person(perimeter=store, first_name="Inès", last_name=f"Vendeuse {store.name}")
        make_survey(perimeter=store, title=f"Enquête {store.name}")
    refresh_rollups()
    tokens = {
        name: do_create_token(getattr(personas, name), name="test", read_only=name == "bob")[1]
        for name in ("alice", "bob", "carol", "charlie")
    }
    return World(personas, tokens)


def client_for(world: World, name: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {world.tokens[name]}")
    return client
