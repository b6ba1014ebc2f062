"""Webhooks: events of a perimeter pushed, signed, to the HTTPS endpoints its admins
registered, by the worker, with retries and a delivery log.

A payload carries codes and links, never a customer's personal data nor a verbatim: the
receiver follows the link (with an API token) to read what its rights allow.

Signature: header ``Pouls-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<body>">``
with the endpoint's secret; the receiver recomputes it and refuses an old ``t`` (replays).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
import secrets
import urllib.error
import urllib.request
from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from pouls.api.models import WebhookDelivery, WebhookEndpoint
from pouls.lib.scoping import may_act
from pouls.org.models import Perimeter

logger = logging.getLogger(__name__)

Event = WebhookEndpoint.Event
# Wait before the 2nd, 3rd, 4th and 5th attempts; after the last one the delivery is given up.
BACKOFF = (
    dt.timedelta(minutes=1),
    dt.timedelta(minutes=5),
    dt.timedelta(minutes=30),
    dt.timedelta(hours=2),
)
MAX_ATTEMPTS = len(BACKOFF) + 1
TIMEOUT_SECONDS = 10.0
SIGNATURE_HEADER = "Pouls-Signature"
_LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The ``Pouls-Signature`` header value of ``body`` sent at ``timestamp``."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={digest.hexdigest()}"


def verify(secret: str, header: str, body: bytes, *, now: int, tolerance: int = 300) -> bool:
    """What a receiver does (documented in docs/api.md, used by the tests)."""
    try:
        parts = dict(item.split("=", 1) for item in header.split(","))
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    if abs(now - timestamp) > tolerance:
        return False
    return hmac.compare_digest(sign(secret, timestamp, body), header)


def check_url(url: str) -> str:
    """HTTPS only; plain http only to this machine when
    ``POULS_WEBHOOKS_ALLOW_HTTP_LOCALHOST`` is on (a receiver in a test)."""
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return url
    local = parts.scheme == "http" and parts.hostname in _LOCAL_HOSTS
    if local and settings.POULS_WEBHOOKS_ALLOW_HTTP_LOCALHOST:
        return url
    raise ValidationError(_("L'adresse doit commencer par https://."), code="https_required")


def do_create_endpoint(
    user: Any, perimeter: Perimeter, *, url: str, events: Sequence[str]
) -> tuple[WebhookEndpoint, str]:
    """Register an endpoint on a perimeter the user administers (403 otherwise); returns it
    and its secret, which the page shows once."""
    if not may_act(user, "admin", perimeter.pk):
        raise PermissionDenied
    unknown = set(events) - set(Event.values)
    if unknown or not events:
        raise ValidationError(_("Choisissez au moins un événement connu."), code="events")
    secret = "whsec_" + secrets.token_hex(24)
    endpoint = WebhookEndpoint.objects.create(
        perimeter=perimeter,
        url=check_url(url),
        events=sorted(set(events)),
        secret=secret,
        created_by=user,
    )
    logger.info("webhook endpoint %s created on perimeter %s", endpoint.code, perimeter.code)
    return endpoint, secret


def do_disable_endpoint(user: Any, endpoint: WebhookEndpoint) -> None:
    """Stop sending to it (admins of its perimeter only); pending deliveries are given up."""
    if not may_act(user, "admin", endpoint.perimeter_id):
        raise PermissionDenied
    now = timezone.now()
    with transaction.atomic():
        WebhookEndpoint.objects.filter(pk=endpoint.pk).update(disabled_at=now)
        endpoint.deliveries.filter(status=WebhookDelivery.Status.PENDING).update(
            status=WebhookDelivery.Status.FAILED, last_error="disabled", next_attempt_at=None
        )


def link(path: str) -> str:
    return f"{settings.POULS_BASE_URL}{path}"


def emit(event: str, perimeter_id: int, data: dict[str, str]) -> int:
    """Queue ``event`` of a perimeter for every active endpoint on it or above it that asked
    for it; returns how many deliveries were queued. ``data`` holds codes and links only."""
    perimeter = Perimeter.objects.only("path", "code").get(pk=perimeter_id)
    endpoints = [
        e
        for e in WebhookEndpoint.objects.filter(disabled_at__isnull=True).select_related(
            "perimeter"
        )
        if event in e.events and perimeter.path.startswith(e.perimeter.path)
    ]
    if not endpoints:
        return 0
    now = timezone.now()
    rows = []
    for endpoint in endpoints:
        delivery = WebhookDelivery(
            endpoint=endpoint, perimeter_id=perimeter_id, event=event, created_at=now
        )
        payload = {
            "id": str(delivery.code),
            "event": event,
            "created_at": now.isoformat(),
            "perimeter": str(perimeter.code),
            "data": data,
        }
        delivery.body = json.dumps(payload, sort_keys=True, separators=(",", ":"))
        delivery.next_attempt_at = now
        rows.append(delivery)
    WebhookDelivery.objects.bulk_create(rows)
    transaction.on_commit(lambda: deliver_webhooks.enqueue())
    return len(rows)


def _listening() -> bool:
    """Whether any endpoint is active: most installations have none, and an analysis pass
    may create thousands of callbacks, so the per-event work is skipped at once."""
    return WebhookEndpoint.objects.filter(disabled_at__isnull=True).exists()


def emit_callbacks_created(callbacks: Iterable[Any]) -> int:
    if not _listening():
        return 0
    return sum(
        emit(
            Event.CALLBACK_CREATED,
            c.perimeter_id,
            {
                "callback": str(c.code),
                "reason": c.reason,
                "due_at": c.due_at.isoformat(),
                "url": link(reverse("callbacks-callback-detail", args=[c.code])),
                "api_url": link(reverse("api-callback-detail", args=[c.code])),
            },
        )
        for c in callbacks
    )


def emit_callbacks_overdue(callbacks: Iterable[Any]) -> int:
    if not _listening():
        return 0
    return sum(
        emit(
            Event.CALLBACK_OVERDUE,
            c.perimeter_id,
            {
                "callback": str(c.code),
                "due_at": c.due_at.isoformat(),
                "url": link(reverse("callbacks-callback-detail", args=[c.code])),
                "api_url": link(reverse("api-callback-detail", args=[c.code])),
            },
        )
        for c in callbacks
    )


def emit_signals_created(signals: Iterable[Any]) -> int:
    if not _listening():
        return 0
    return sum(
        emit(
            Event.SIGNAL_CREATED,
            s.perimeter_id,
            {
                "signal": str(s.code),
                "theme": s.theme,
                "kind": s.kind,
                "week": s.first_seen.isoformat(),
                "url": link(reverse("watch-signal-detail", args=[s.code])),
                "api_url": link(reverse("api-signal-detail", args=[s.code])),
            },
        )
        for s in signals
    )


def emit_import_finished(batch: Any) -> int:
    return emit(
        Event.IMPORT_FINISHED,
        batch.perimeter_id,
        {
            "import": str(batch.code),
            "status": str(batch.status),
            "read": str(batch.read),
            "accepted": str(batch.accepted),
            "quarantined": str(batch.quarantined),
            "duplicates": str(batch.duplicates),
            "url": link(reverse("feedback-import-detail", args=[batch.code])),
        },
    )


def _post(endpoint: WebhookEndpoint, body: bytes, now: dt.datetime) -> str:
    """Send once; '' on a 2xx answer, else a short error code."""
    request = urllib.request.Request(
        endpoint.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": "Pouls-Webhooks/1",
            SIGNATURE_HEADER: sign(endpoint.secret, int(now.timestamp()), body),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310 (scheme checked)
            return "" if 200 <= response.status < 300 else f"http_{response.status}"
    except urllib.error.HTTPError as exc:
        return f"http_{exc.code}"
    except TimeoutError:
        return "timeout"
    except (urllib.error.URLError, OSError):
        return "connection"


def deliver_due(now: dt.datetime | None = None) -> int:
    """Attempt every pending delivery whose time has come; returns how many succeeded.

    A failure is retried after ``BACKOFF[attempts - 1]``; after ``MAX_ATTEMPTS`` it is
    given up (status failed). ``now`` lets the tests (and the task) drive the clock."""
    now = now or timezone.now()
    due = list(
        WebhookDelivery.objects.filter(
            status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=now
        )
        .select_related("endpoint")
        .order_by("next_attempt_at", "pk")
    )
    delivered = 0
    for delivery in due:
        # Another worker may have taken it since the list was read: claim it first.
        claimed = WebhookDelivery.objects.filter(
            pk=delivery.pk, status=WebhookDelivery.Status.PENDING, attempts=delivery.attempts
        ).update(attempts=delivery.attempts + 1)
        if not claimed:
            continue
        delivery.attempts += 1
        if not delivery.endpoint.is_active:
            error = "disabled"
        else:
            error = _post(delivery.endpoint, delivery.body.encode(), now)
        delivery.last_error = error
        if not error:
            delivery.status, delivery.delivered_at, delivery.next_attempt_at = (
                WebhookDelivery.Status.DELIVERED,
                now,
                None,
            )
            delivered += 1
        elif delivery.attempts >= MAX_ATTEMPTS or error == "disabled":
            delivery.status, delivery.next_attempt_at = WebhookDelivery.Status.FAILED, None
        else:
            delivery.next_attempt_at = now + BACKOFF[delivery.attempts - 1]
        delivery.save(update_fields=["status", "last_error", "delivered_at", "next_attempt_at"])
        logger.info(
            "webhook %s %s attempt %d: %s",
            delivery.event,
            delivery.code,
            delivery.attempts,
            error or "delivered",
        )
    return delivered


def next_due() -> dt.datetime | None:
    first = (
        WebhookDelivery.objects.filter(status=WebhookDelivery.Status.PENDING)
        .order_by("next_attempt_at")
        .values_list("next_attempt_at", flat=True)
        .first()
    )
    return first


@task()
def deliver_webhooks() -> int:
    """The worker's delivery pass; queues the next pass at the next retry time, so retries
    need no polling."""
    delivered = deliver_due()
    following = next_due()
    if following is not None:
        deliver_webhooks.using(run_after=max(following, timezone.now())).enqueue()
    return delivered
