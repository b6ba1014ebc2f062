"""Webhooks: a receiver on 127.0.0.1 gets signed events, failures are retried with backoff,
payloads hold codes and links only, and the page shows an admin only their endpoints."""

from __future__ import annotations

import datetime as dt
import json
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from pouls.api.models import WebhookDelivery, WebhookEndpoint
from pouls.api.webhooks import (
    BACKOFF,
    MAX_ATTEMPTS,
    SIGNATURE_HEADER,
    check_url,
    deliver_due,
    do_create_endpoint,
    do_disable_endpoint,
    verify,
)
from pouls.callbacks.actions import do_remind_overdue
from pouls.callbacks.models import Callback
from pouls.chain import after_import
from pouls.feedback.models import Import
from pouls.testing import Personas, make_callback, make_feedback, make_survey

pytestmark = pytest.mark.django_db


@dataclass
class Receiver:
    """An HTTP server in a thread that records what it gets and fails ``failures`` times."""

    url: str
    failures: int = 0
    received: list[tuple[dict[str, str], bytes]] = field(default_factory=list)
    answered: list[int] = field(default_factory=list)


@pytest.fixture
def receiver(settings: Any) -> Iterator[Receiver]:
    settings.POULS_WEBHOOKS_ALLOW_HTTP_LOCALHOST = True
    settings.POULS_BASE_URL = "https://pouls.example.fr"
    state = Receiver(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's name)
            body = self.rfile.read(int(self.headers["Content-Length"]))
            state.received.append((dict(self.headers.items()), body))
            code = 500 if len(state.received) <= state.failures else 204
            state.answered.append(code)
            self.send_response(code)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_port}/pouls"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


def _answer_as_detractor(client: Client, personas: Personas) -> None:
    cache.clear()  # the public form's rate limits
    survey = make_survey(perimeter=personas.lille)
    link = survey.links.get(perimeter=personas.lille, person=None)
    url = reverse("surveys-answer-form", args=[link.token])
    nonce = re.search(r'name="jeton" value="([^"]+)"', client.get(url).content.decode())
    assert nonce
    data = {
        "jeton": nonce.group(1),
        "note": "2",
        "pourquoi": "Personne en caisse, je suis Jean Dupont.",
        "rappel": "on",
        "contact": "06 12 34 56 78",
    }
    assert client.post(url, data).status_code == 302


def test_a_detractor_answer_reaches_the_receiver_signed(
    client: Client, personas: Personas, receiver: Receiver
) -> None:
    endpoint, secret = do_create_endpoint(
        personas.alice, personas.nord, url=receiver.url, events=["callback.created"]
    )
    _answer_as_detractor(client, personas)
    callback = Callback.objects.get()
    now = timezone.now()
    assert deliver_due(now) == 1
    [(headers, body)] = receiver.received
    assert verify(secret, headers[SIGNATURE_HEADER], body, now=int(now.timestamp()))
    assert not verify("whsec_other", headers[SIGNATURE_HEADER], body, now=int(now.timestamp()))
    assert not verify(secret, headers[SIGNATURE_HEADER], body + b" ", now=int(now.timestamp()))
    # An old signature is refused (a replay).
    assert not verify(secret, headers[SIGNATURE_HEADER], body, now=int(now.timestamp()) + 3600)
    payload = json.loads(body)
    assert payload["event"] == "callback.created"
    assert payload["perimeter"] == str(personas.lille.code)
    assert payload["data"]["callback"] == str(callback.code)
    assert payload["data"]["url"] == (
        "https://pouls.example.fr" + reverse("callbacks-callback-detail", args=[callback.code])
    )
    # Codes and links only: no contact, name, text nor score of the customer.
    text = body.decode()
    for personal in ("06 12", "Dupont", "caisse", '"nps"', "contact"):
        assert personal not in text
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.endpoint) == ("delivered", 1, endpoint)
    assert secret not in delivery.body


def test_a_receiver_that_fails_twice_gets_the_event_on_the_third_try(
    client: Client, personas: Personas, receiver: Receiver
) -> None:
    receiver.failures = 2
    _endpoint, secret = do_create_endpoint(
        personas.alice, personas.lille, url=receiver.url, events=["callback.created"]
    )
    _answer_as_detractor(client, personas)
    start = timezone.now()
    assert deliver_due(start) == 0
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("pending", 1, "http_500")
    assert delivery.next_attempt_at == start + BACKOFF[0]
    # Not due yet: nothing is sent before the backoff.
    assert deliver_due(start + BACKOFF[0] - dt.timedelta(seconds=1)) == 0
    assert len(receiver.received) == 1
    second = start + BACKOFF[0]
    assert deliver_due(second) == 0
    delivery.refresh_from_db()
    assert delivery.attempts == 2 and delivery.next_attempt_at == second + BACKOFF[1]
    third = second + BACKOFF[1]
    assert deliver_due(third) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("delivered", 3, "")
    assert receiver.answered == [500, 500, 204]
    # The same event each time, signed at the time of each attempt.
    bodies = {body for _h, body in receiver.received}
    assert len(bodies) == 1
    headers, body = receiver.received[-1]
    assert verify(secret, headers[SIGNATURE_HEADER], body, now=int(third.timestamp()))


def test_a_delivery_is_given_up_after_the_last_attempt(
    personas: Personas, receiver: Receiver
) -> None:
    receiver.failures = 99
    do_create_endpoint(personas.alice, personas.lille, url=receiver.url, events=["import.finished"])
    batch = Import.objects.create(
        perimeter=personas.lille, file_name="ventes.csv", file_sha256="0" * 64, read=3, accepted=3
    )
    assert after_import(batch) == 1
    now = timezone.now()
    for wait in (dt.timedelta(0), *BACKOFF):
        now += wait
        deliver_due(now)
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("failed", MAX_ATTEMPTS)
    assert deliver_due(now + dt.timedelta(days=1)) == 0
    assert len(receiver.received) == MAX_ATTEMPTS
    assert "ventes.csv" not in receiver.received[0][1].decode()  # a file name may be personal


def test_a_refused_connection_is_logged_with_a_code(personas: Personas, settings: Any) -> None:
    settings.POULS_WEBHOOKS_ALLOW_HTTP_LOCALHOST = True
    do_create_endpoint(
        personas.alice, personas.lille, url="http://127.0.0.1:9/", events=["callback.overdue"]
    )
    feedback = make_feedback(perimeter=personas.lille, nps=1, text="Rien.")
    callback = make_callback(feedback=feedback, created_at=timezone.now() - dt.timedelta(days=5))
    do_remind_overdue()
    delivery = WebhookDelivery.objects.get(event="callback.overdue")
    assert json.loads(delivery.body)["data"]["callback"] == str(callback.code)
    deliver_due()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.last_error) == ("pending", "connection")


def test_events_go_only_to_endpoints_above_and_asking_for_them(personas: Personas) -> None:
    lille, _s = do_create_endpoint(
        personas.alice, personas.lille, url="https://a.example/", events=["callback.created"]
    )
    do_create_endpoint(
        personas.alice, personas.marseille, url="https://b.example/", events=["callback.created"]
    )
    do_create_endpoint(
        personas.alice, personas.group, url="https://c.example/", events=["import.finished"]
    )
    disabled, _s = do_create_endpoint(
        personas.alice, personas.nord, url="https://d.example/", events=["callback.created"]
    )
    do_disable_endpoint(personas.alice, disabled)
    from pouls.chain import after_answer

    feedback = make_feedback(perimeter=personas.lille_team, nps=0, text="")
    feedback.callback_consent = True
    feedback.save(update_fields=["callback_consent"])
    assert after_answer(feedback.pk) == 1
    assert list(WebhookDelivery.objects.values_list("endpoint", flat=True)) == [lille.pk]


def test_the_actions_check_the_admin_right(personas: Personas) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        do_create_endpoint(
            personas.carol, personas.lille, url="https://a.example/", events=["signal.created"]
        )
    endpoint, _s = do_create_endpoint(
        personas.alice, personas.lille, url="https://a.example/", events=["signal.created"]
    )
    with pytest.raises(PermissionDenied):
        do_disable_endpoint(personas.bob, endpoint)
    endpoint.refresh_from_db()
    assert endpoint.is_active


def test_only_https_unless_localhost_is_allowed(settings: Any) -> None:
    assert check_url("https://crm.example.fr/hook") == "https://crm.example.fr/hook"
    settings.POULS_WEBHOOKS_ALLOW_HTTP_LOCALHOST = False
    for url in ("http://crm.example.fr/hook", "http://127.0.0.1:8000/", "ftp://x.example/"):
        with pytest.raises(ValidationError):
            check_url(url)
    settings.POULS_WEBHOOKS_ALLOW_HTTP_LOCALHOST = True
    assert check_url("http://localhost:8000/h") == "http://localhost:8000/h"
    with pytest.raises(ValidationError):
        check_url("http://crm.example.fr/hook")


def test_the_page_registers_shows_the_secret_once_and_disables(
    client: Client, personas: Personas
) -> None:
    client.force_login(personas.alice)
    url = reverse("api-webhook-list")
    response = client.post(
        url,
        {
            "perimeter": personas.lille.pk,
            "url": "https://crm.example.fr/h",
            "events": ["signal.created"],
        },
    )
    assert response.status_code == 200
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.secret in response.content.decode()
    assert endpoint.secret not in client.get(url).content.decode()
    refused = client.post(
        url,
        {
            "perimeter": personas.lille.pk,
            "url": "http://crm.example.fr/h",
            "events": ["signal.created"],
        },
    )
    assert refused.status_code == 400 and "https://" in refused.content.decode()
    detail = client.get(reverse("api-webhook-detail", args=[endpoint.code]))
    assert detail.status_code == 200 and "Aucun envoi" in detail.content.decode()
    client.post(reverse("api-webhook-disable", args=[endpoint.code]))
    endpoint.refresh_from_db()
    assert endpoint.disabled_at is not None


@pytest.fixture
def endpoints(personas: Personas) -> dict[str, WebhookEndpoint]:
    return {
        name: do_create_endpoint(
            personas.alice, perimeter, url=f"https://{name}.example/", events=["callback.created"]
        )[0]
        for name, perimeter in (("lille", personas.lille), ("marseille", personas.marseille))
    }


# The webhook pages: who reaches what (they are outside pouls.web's registry: listed here).
WEBHOOK_PAGES = {"api-webhook-list", "api-webhook-detail", "api-webhook-disable"}


def test_every_webhook_page_is_in_this_registry() -> None:
    from pouls.urls import urlpatterns

    names = {getattr(p, "name", None) for p in urlpatterns}
    assert {n for n in names if n and n.startswith("api-webhook")} == WEBHOOK_PAGES


@pytest.mark.parametrize("persona", ["bob", "carol", "charlie"])
def test_non_admins_see_no_endpoint_and_get_404(
    client: Client, personas: Personas, endpoints: dict[str, WebhookEndpoint], persona: str
) -> None:
    # bob views Lille, carol analyses Nord: neither administers, so neither sees a webhook.
    client.force_login(getattr(personas, persona))
    body = client.get(reverse("api-webhook-list")).content.decode()
    assert "example/" not in body and "Site Lille" not in body
    for endpoint in endpoints.values():
        assert client.get(reverse("api-webhook-detail", args=[endpoint.code])).status_code == 404
        response = client.post(reverse("api-webhook-disable", args=[endpoint.code]))
        assert response.status_code == 404
    assert not WebhookEndpoint.objects.filter(disabled_at__isnull=False).exists()
    refused = client.post(
        reverse("api-webhook-list"),
        {"perimeter": personas.lille.pk, "url": "https://x.example/", "events": ["signal.created"]},
    )
    assert refused.status_code == 400 and WebhookEndpoint.objects.count() == 2


def test_an_admin_of_a_store_sees_only_its_endpoints(
    client: Client, personas: Personas, endpoints: dict[str, WebhookEndpoint]
) -> None:
    from pouls.testing import make_grant, make_user

    erin = make_user("erin")
    make_grant(erin, personas.lille, "admin")
    client.force_login(erin)
    body = client.get(reverse("api-webhook-list")).content.decode()
    assert "lille.example" in body and "marseille.example" not in body
    assert "Site Marseille" not in body  # not offered in the form either
    lille, marseille = endpoints["lille"], endpoints["marseille"]
    assert client.get(reverse("api-webhook-detail", args=[lille.code])).status_code == 200
    assert client.get(reverse("api-webhook-detail", args=[marseille.code])).status_code == 404


def test_anonymous_is_sent_to_login(client: Client, endpoints: dict[str, WebhookEndpoint]) -> None:
    code = endpoints["lille"].code
    for url in (
        reverse("api-webhook-list"),
        reverse("api-webhook-detail", args=[code]),
        reverse("api-webhook-disable", args=[code]),
    ):
        response = client.post(url) if "desactiver" in url else client.get(url)
        assert response.status_code == 302 and "/connexion/" in response["Location"]


def test_the_worker_task_delivers_and_plans_the_next_retry(
    personas: Personas, receiver: Receiver
) -> None:
    from django_tasks_db.models import DBTaskResult

    from pouls.api.webhooks import deliver_webhooks

    receiver.failures = 1
    do_create_endpoint(personas.alice, personas.lille, url=receiver.url, events=["import.finished"])
    batch = Import.objects.create(perimeter=personas.lille, file_name="f.csv", file_sha256="0" * 64)
    after_import(batch)
    assert deliver_webhooks.call() == 0
    planned = DBTaskResult.objects.get(task_path__endswith="deliver_webhooks")
    assert planned.run_after is not None and planned.run_after > timezone.now()


def test_the_import_task_announces_its_end(personas: Personas, tmp_path: Any) -> None:
    from pouls.feedback.tasks import import_feedback_file

    do_create_endpoint(
        personas.alice, personas.nord, url="https://crm.example/", events=["import.finished"]
    )
    path = tmp_path / "retours.csv"
    path.write_text(
        "Magasin;Date;Note;Commentaire\nSite Lille;01/12/2026;9;Très bien, merci Jean Dupont.\n",
        encoding="utf-8",
    )
    batch = Import.objects.create(
        perimeter=personas.nord,
        created_by=personas.carol,
        file_name="retours.csv",
        file_sha256="0" * 64,
    )
    import_feedback_file.call(str(batch.code), str(path))
    delivery = WebhookDelivery.objects.get(event="import.finished")
    data = json.loads(delivery.body)["data"]
    assert data["import"] == str(batch.code)
    assert (data["status"], data["read"], data["accepted"]) == ("done", "1", "1")
    assert "Dupont" not in delivery.body and "retours.csv" not in delivery.body


def test_an_analysis_pass_announces_new_signals_only(
    personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The detection itself is tested in pouls/watch; here a stand-in finds one new signal
    while an older one exists, and only the new one is announced."""
    from pouls.chain import after_analysis
    from pouls.watch import detection
    from pouls.watch.models import ThemeSignal

    week = timezone.localdate() - dt.timedelta(days=timezone.localdate().weekday() + 7)

    def signal(theme: str) -> ThemeSignal:
        return ThemeSignal.objects.create(
            perimeter=personas.lille,
            theme=theme,
            kind="surge",
            first_seen=week,
            last_seen=week,
            count=9,
            expected=2.0,
        )

    old = signal("delivery")
    found: list[ThemeSignal] = []

    def detect_recent(today: object = None) -> int:
        found.append(signal("checkout_payment"))
        return 1

    monkeypatch.setattr(detection, "detect_recent", detect_recent)
    do_create_endpoint(
        personas.alice, personas.group, url="https://crm.example/", events=["signal.created"]
    )
    assert after_analysis().signals_found == 1
    [delivery] = WebhookDelivery.objects.filter(event="signal.created")
    data = json.loads(delivery.body)["data"]
    assert data["signal"] == str(found[0].code) != str(old.code)
    assert data["theme"] == "checkout_payment"
