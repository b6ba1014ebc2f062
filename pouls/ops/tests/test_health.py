from __future__ import annotations

import json
import logging

import pytest
from django.db import DatabaseError
from django.test import Client
from django.urls import reverse

from pouls.lib.logs import JsonFormatter, RequestIdFilter

pytestmark = pytest.mark.django_db


def test_health_answers_without_login_and_shows_no_data(client: Client) -> None:
    response = client.get(reverse("ops-health"))
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["pending_migrations"] == 0
    assert set(body) == {
        "status",
        "pending_migrations",
        "oldest_queued_task_seconds",
        "daily_jobs_last_success",
    }
    assert response["X-Request-ID"]


def test_health_is_503_with_the_reason_when_migrations_are_pending(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("pouls.ops.health._pending_migrations", lambda: 2)
    response = client.get(reverse("ops-health"))
    assert response.status_code == 503
    assert response.json()["reason"] == "2 migrations not applied"


def test_health_is_503_when_the_database_is_unreachable(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unreachable() -> int:
        raise DatabaseError("connection refused")

    monkeypatch.setattr("pouls.ops.health._pending_migrations", unreachable)
    response = client.get(reverse("ops-health"))
    assert response.status_code == 503
    assert response.json() == {"status": "error", "reason": "database unreachable (DatabaseError)"}


def test_a_json_log_line_carries_the_request_id() -> None:
    from pouls.lib.logs import request_id

    token = request_id.set("abc123")
    try:
        record = logging.LogRecord(
            "pouls.x", logging.INFO, __file__, 1, "import %s done", ("7",), None
        )
        RequestIdFilter().filter(record)
    finally:
        request_id.reset(token)
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "import 7 done" and line["request_id"] == "abc123"
    assert line["level"] == "INFO" and line["logger"] == "pouls.x"


def test_a_proxys_request_id_is_kept_only_when_it_looks_like_an_id(client: Client) -> None:
    kept = client.get(reverse("ops-health"), headers={"X-Request-ID": "0123abcd-ef"})
    assert kept["X-Request-ID"] == "0123abcd-ef"
    replaced = client.get(reverse("ops-health"), headers={"X-Request-ID": "x\nforged log line"})
    assert "\n" not in replaced["X-Request-ID"] and replaced["X-Request-ID"] != "x\nforged log line"
