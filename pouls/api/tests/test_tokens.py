from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from pouls.api.models import ApiToken
from pouls.api.tokens import do_create_token
from pouls.testing import Personas

pytestmark = pytest.mark.django_db


def _get(value: str) -> int:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {value}")
    return client.get(reverse("api-perimeter-list")).status_code


def test_a_token_is_stored_hashed_and_works_until_revoked_or_expired(personas: Personas) -> None:
    token, value = do_create_token(personas.bob, name="caisse", read_only=True)
    assert value.split("_")[2] not in token.secret_hash and len(token.secret_hash) == 64
    assert _get(value) == 200
    assert _get(value[:-1] + ("a" if value[-1] != "a" else "b")) == 401
    with time_machine.travel(timezone.now() + dt.timedelta(days=366)):
        assert _get(value) == 401
    token.revoked_at = timezone.now()
    token.save()
    assert _get(value) == 401


def test_an_operator_prints_a_token_once(personas: Personas) -> None:
    out = io.StringIO()
    call_command("create_api_token", "carol", "--read-only", stdout=out)
    value = out.getvalue().strip()
    assert value.startswith("pls_") and _get(value) == 200
    assert ApiToken.objects.get(user=personas.carol).scope == "read"


def test_people_create_and_revoke_only_their_own_tokens(client: Client, personas: Personas) -> None:
    client.force_login(personas.bob)
    page = client.post(
        reverse("api-token-list"), {"name": "tableur", "read_only": "on", "days": 30}
    )
    assert page.status_code == 200
    value = page.context["created"]
    assert value.startswith("pls_") and value in page.content.decode()
    assert value not in client.get(reverse("api-token-list")).content.decode()  # shown once
    alices, _ = do_create_token(personas.alice, name="bi", read_only=False)
    assert client.post(reverse("api-token-revoke", args=[alices.code])).status_code == 404
    assert ApiToken.objects.get(pk=alices.pk).revoked_at is None
    own = ApiToken.objects.get(user=personas.bob)
    client.post(reverse("api-token-revoke", args=[own.code]))
    assert _get(value) == 401


def test_tokens_are_throttled_per_token(personas: Personas, settings: object) -> None:
    from django.core.cache import cache
    from rest_framework.throttling import SimpleRateThrottle

    cache.clear()
    _, value = do_create_token(personas.bob, name="x", read_only=True)
    rates = SimpleRateThrottle.THROTTLE_RATES
    SimpleRateThrottle.THROTTLE_RATES = {**rates, "token": "3/min"}
    try:
        codes = [_get(value) for _ in range(4)]
    finally:
        SimpleRateThrottle.THROTTLE_RATES = rates
        cache.clear()
    assert codes == [200, 200, 200, 429]
