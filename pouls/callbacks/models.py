"""The closed loop: customers to call back, and what each call gave."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pouls.feedback.models import Feedback
from pouls.lib.scoping import ScopedQuerySet
from pouls.org.models import Perimeter, Person


class Outcome(models.TextChoices):
    REACHED = "reached", _("Joint")
    RESOLVED = "resolved", _("Résolu")
    CALL_AGAIN = "call_again", _("À rappeler")
    UNREACHABLE = "unreachable", _("Injoignable")


# Outcomes that close a callback; « à rappeler » keeps it in the queue.
CLOSING = frozenset({Outcome.REACHED, Outcome.RESOLVED, Outcome.UNREACHABLE})
_CLOSING_VALUES = sorted(o.value for o in CLOSING)  # sorted: a stable migration
# Outcomes where the customer was actually spoken to ("called back" in the figures).
SPOKEN = frozenset({Outcome.REACHED, Outcome.RESOLVED})


class Callback(models.Model):
    class Reason(models.TextChoices):
        DETRACTOR = "detractor", _("Détracteur (0 à 6)")
        NEGATIVE_PASSIVE = "negative_passive", _("Passif au texte négatif (7 ou 8)")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # One callback per feedback: queueing is idempotent.
    feedback = models.OneToOneField(Feedback, on_delete=models.CASCADE, related_name="callback")
    perimeter = models.ForeignKey(Perimeter, on_delete=models.CASCADE, related_name="callbacks")
    assignee = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="callbacks"
    )
    reason = models.CharField(_("motif"), max_length=20, choices=Reason.choices)
    created_at = models.DateTimeField(_("entré dans la file le"))
    due_at = models.DateTimeField(_("à rappeler avant"))
    outcome = models.CharField(
        _("issue"), max_length=16, choices=Outcome.choices, blank=True, default=""
    )
    closed_at = models.DateTimeField(_("clos le"), null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedQuerySet["Callback"].as_manager()

    class Meta:
        verbose_name = _("rappel client")
        verbose_name_plural = _("rappels clients")
        indexes = [
            # The queue: open callbacks of a set of perimeters by due date.
            models.Index(fields=["perimeter", "closed_at", "due_at"], name="callback_queue"),
            # The figures: callbacks of a set of perimeters entered over a period.
            models.Index(fields=["perimeter", "created_at"], name="callback_perim_created"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True) | Q(outcome__in=_CLOSING_VALUES),
                name="callbacks_callback_closed_has_closing_outcome",
            ),
            models.CheckConstraint(
                condition=Q(due_at__gte=models.F("created_at")),
                name="callbacks_callback_due_after_created",
            ),
        ]

    def __str__(self) -> str:
        return f"rappel {self.feedback_id} ({self.perimeter})"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class CallLog(models.Model):
    """One attempt or update logged on a callback (the journal of the closed loop)."""

    callback = models.ForeignKey(Callback, on_delete=models.CASCADE, related_name="logs")
    perimeter = models.ForeignKey(Perimeter, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    outcome = models.CharField(_("issue"), max_length=16, choices=Outcome.choices)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet["CallLog"].as_manager()

    class Meta:
        verbose_name = _("appel")
        verbose_name_plural = _("appels")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome__in=[o.value for o in Outcome]),
                name="callbacks_calllog_outcome_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} ({self.created_at:%Y-%m-%d})"
