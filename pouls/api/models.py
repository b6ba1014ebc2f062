"""Personal API tokens. STYLE.md keeps models out of ``api``; tokens are the exception because
their whole life (created, used, revoked, expired) belongs to the API and nothing else reads
them."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pouls.lib.scoping import ScopedQuerySet


class ApiToken(models.Model):
    """A bearer token: shown once at creation, stored as a SHA-256 hash of its secret part,
    looked up by its public prefix."""

    class Scope(models.TextChoices):
        READ = "read", _("lecture")
        WRITE = "write", _("lecture et écriture")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("nom"), max_length=100)
    # Lookup key of ``Authorization: Bearer pls_<prefix>_<secret>`` (unique index).
    prefix = models.CharField(max_length=12, unique=True)
    secret_hash = models.CharField(max_length=64)
    scope = models.CharField(_("portée"), max_length=8, choices=Scope.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expire le"))
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix})"

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


class WebhookEndpoint(models.Model):
    """An HTTPS address an admin registered on a perimeter: it receives the chosen events of
    that perimeter and of every perimeter below it, signed with its own secret."""

    class Event(models.TextChoices):
        CALLBACK_CREATED = "callback.created", _("Nouveau client à rappeler")
        SIGNAL_CREATED = "signal.created", _("Nouveau signal faible")
        IMPORT_FINISHED = "import.finished", _("Import terminé")
        CALLBACK_OVERDUE = "callback.overdue", _("Rappel en retard")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    perimeter = models.ForeignKey(
        "org.Perimeter", on_delete=models.CASCADE, related_name="webhook_endpoints"
    )
    url = models.URLField(_("adresse (https)"), max_length=500)
    events = models.JSONField(_("événements"), default=list)
    # Needed in clear to sign every payload; shown once at creation, never displayed again.
    secret = models.CharField(max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    disabled_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedQuerySet["WebhookEndpoint"].as_manager()
    # Endpoints and their log are an administrator's business, not a viewer's.
    view_action = "admin"

    class Meta:
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")

    def __str__(self) -> str:
        return f"{self.url} ({self.perimeter_id})"

    @property
    def is_active(self) -> bool:
        return self.disabled_at is None


class WebhookDelivery(models.Model):
    """One event for one endpoint: its payload (codes and links only) and how sending it
    went. The signature is computed at each attempt and never stored."""

    class Status(models.TextChoices):
        PENDING = "pending", _("en attente")
        DELIVERED = "delivered", _("livré")
        FAILED = "failed", _("abandonné")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    perimeter = models.ForeignKey("org.Perimeter", on_delete=models.CASCADE, related_name="+")
    event = models.CharField(max_length=32, choices=WebhookEndpoint.Event.choices)
    body = models.TextField()
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    # A stable code (``http_500``, ``timeout``, ``connection``), never a response body.
    last_error = models.CharField(max_length=32, blank=True, default="")
    created_at = models.DateTimeField()
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedQuerySet["WebhookDelivery"].as_manager()
    view_action = "admin"

    class Meta:
        verbose_name = _("envoi de webhook")
        verbose_name_plural = _("envois de webhooks")
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="webhook_delivery_due"),
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.endpoint_id} ({self.status})"
