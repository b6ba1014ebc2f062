"""The audit trail (who did what, visible to the perimeter's admins, filtered, exported,
purged after the retention) and the login (throttled per account and per address, sessions
that end when idle)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from pouls.lib.audit import do_audit
from pouls.org.models import AuditEvent
from pouls.testing import PASSWORD, Personas, make_feedback


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    cache.clear()


def test_an_export_leaves_a_trace_without_customer_data(client: Client, personas: Personas) -> None:
    make_feedback(perimeter=personas.lille, text="Mme Dupont, 06 12 34 56 78, très déçue.")
    client.force_login(personas.carol)
    assert client.get(reverse("feedback-export-csv", args=[personas.lille.code])).status_code == 200
    event = AuditEvent.objects.get(action="export.downloaded")
    assert event.actor == personas.carol and event.perimeter == personas.lille
    row = repr(AuditEvent.objects.values().get(pk=event.pk))
    assert "Dupont" not in row and "06 12" not in row


def test_detail_keys_outside_the_list_are_refused(personas: Personas) -> None:
    with pytest.raises(ValueError, match="not allowed"):
        do_audit(personas.alice, "erasure", detail={"email": "x@example.test"})


def test_each_admin_reads_the_trail_of_her_perimeters_only(
    client: Client, personas: Personas
) -> None:
    do_audit(personas.alice, "grant.set", perimeter=personas.lille, target="bob")
    do_audit(personas.alice, "grant.set", perimeter=personas.marseille, target="marius")
    from pouls.org.models import Grant

    Grant.objects.create(user=personas.charlie, perimeter=personas.nord, role="admin")
    client.force_login(personas.charlie)
    page = client.get(reverse("org-audit-list")).content.decode()
    assert "bob" in page and "marius" not in page
    client.force_login(personas.alice)
    page = client.get(reverse("org-audit-list"), {"who": "alice"}).content.decode()
    assert "bob" in page and "marius" in page
    filtered = client.get(reverse("org-audit-list"), {"action": "erasure"}).content.decode()
    assert "marius" not in filtered


def test_the_trail_exports_to_csv_and_that_is_traced_too(
    client: Client, personas: Personas
) -> None:
    do_audit(personas.alice, "grant.set", perimeter=personas.lille, target="bob")
    client.force_login(personas.alice)
    response = client.get(reverse("org-audit-export"))
    body = response.content.decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv")
    assert body.splitlines()[0].startswith("date;qui;action") and "bob" in body
    assert AuditEvent.objects.filter(action="export.downloaded", detail__kind="audit").exists()


def test_events_past_the_retention_are_purged(personas: Personas, settings: Any) -> None:
    with time_machine.travel(timezone.now() - dt.timedelta(days=401)):
        do_audit(personas.alice, "grant.set", perimeter=personas.lille, target="old")
    do_audit(personas.alice, "grant.set", perimeter=personas.lille, target="new")
    call_command("purge_audit", stdout=__import__("io").StringIO())
    assert list(AuditEvent.objects.values_list("target", flat=True)) == ["new"]


def _login(client: Client, username: str, password: str, address: str = "10.0.0.1") -> str:
    response = client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )
    return "ok" if response.status_code == 302 else response.content.decode()


def test_an_account_is_locked_after_five_failures_even_with_the_right_password(
    client: Client, personas: Personas
) -> None:
    for _ in range(5):
        assert "incorrect" in _login(client, "bob", "faux")
    page = _login(client, "bob", PASSWORD)
    assert "Trop de tentatives" in page
    # Another account from the same address is not locked by bob's failures.
    assert _login(Client(), "carol", PASSWORD) == "ok"
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=16)):
        cache.clear()  # locmem does not follow the travelled clock: expiry is simulated
        assert _login(Client(), "bob", PASSWORD) == "ok"


def test_one_address_trying_many_accounts_is_locked(
    client: Client, personas: Personas, settings: Any
) -> None:
    settings.POULS_LOGIN_FAILURES_PER_ADDRESS = 3
    for name in ("a", "b", "c"):
        _login(client, name, "faux", "10.9.9.9")
    assert "Trop de tentatives" in _login(client, "alice", PASSWORD, "10.9.9.9")
    assert _login(Client(), "alice", PASSWORD, "10.1.1.1") == "ok"


def test_a_successful_login_clears_the_account_counter(client: Client, personas: Personas) -> None:
    for _ in range(4):
        _login(client, "bob", "faux")
    assert _login(Client(), "bob", PASSWORD) == "ok"
    for _ in range(4):
        _login(client, "bob", "faux")
    assert _login(Client(), "bob", PASSWORD) == "ok"


def test_a_session_ends_after_the_idle_time_and_activity_extends_it(
    client: Client, personas: Personas, settings: Any
) -> None:
    assert "pouls.org.sessions.IdleSessionMiddleware" in settings.MIDDLEWARE
    idle = settings.SESSION_COOKIE_AGE
    assert idle == 120 * 60
    client.force_login(personas.bob)
    start = timezone.now()
    with time_machine.travel(start + dt.timedelta(seconds=idle - 60)):
        assert client.get(reverse("web-home-view")).status_code == 200  # pushes it back
    with time_machine.travel(start + dt.timedelta(seconds=2 * idle - 120)):
        assert client.get(reverse("web-home-view")).status_code == 200
    with time_machine.travel(start + dt.timedelta(seconds=3 * idle)):
        assert client.get(reverse("web-home-view")).status_code == 302
