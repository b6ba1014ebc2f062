"""Team briefings (points d'équipe): what was presented, the commitments taken, who gets
them by e-mail, and the organisation's commission rule shown to sellers in « Mon pouls »."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pouls.lib.scoping import ScopedQuerySet
from pouls.org.models import Perimeter, Person


class Period(models.TextChoices):
    DAILY = "daily", _("Quotidien")
    WEEKLY = "weekly", _("Hebdomadaire")


class Briefing(models.Model):
    """One briefing of a perimeter for a period [start, end), with the snapshot of what was
    shown: pages, PDF, e-mail and the balance meter all read the snapshot, never live data."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    perimeter = models.ForeignKey(Perimeter, on_delete=models.CASCADE, related_name="briefings")
    period = models.CharField(_("rythme"), max_length=8, choices=Period.choices)
    start = models.DateField(_("début"))
    end = models.DateField(_("fin (exclue)"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="briefings_created",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Set when the manager marks it presented to the team; the balance meter counts these.
    presented_at = models.DateTimeField(_("présenté le"), null=True, blank=True)
    presented_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="briefings_presented",
    )
    snapshot = models.JSONField(default=dict)
    # Balance points (docs/briefings.md): counted once from the snapshot, kept for the meter.
    figures_points = models.PositiveSmallIntegerField(default=0)
    customer_points = models.PositiveSmallIntegerField(default=0)

    objects = ScopedQuerySet["Briefing"].as_manager()

    class Meta:
        verbose_name = _("point d'équipe")
        verbose_name_plural = _("points d'équipe")
        ordering = ["-start", "-created_at"]
        indexes = [
            # The list of a perimeter's briefings and "the previous briefing" (section 8).
            models.Index(fields=["perimeter", "start"], name="briefing_perim_start"),
            # The balance meter: one presenter's briefings of the last weeks.
            models.Index(fields=["presented_by", "presented_at"], name="briefing_presenter"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")), name="briefings_briefing_end_after_start"
            ),
            models.CheckConstraint(
                condition=Q(period__in=["daily", "weekly"]), name="briefings_briefing_period_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.perimeter} {self.start:%d/%m/%Y} ({self.get_period_display()})"

    @property
    def figures_share(self) -> float | None:
        total = self.figures_points + self.customer_points
        return None if total == 0 else self.figures_points / total


class Commitment(models.Model):
    """A commitment the team takes during or after a briefing; it comes back in the next."""

    class Status(models.TextChoices):
        OPEN = "open", _("En cours")
        DONE = "done", _("Tenu")
        DROPPED = "dropped", _("Abandonné")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    briefing = models.ForeignKey(Briefing, on_delete=models.CASCADE, related_name="commitments")
    # Copied from the briefing: scoping is one indexed filter.
    perimeter = models.ForeignKey(Perimeter, on_delete=models.CASCADE, related_name="+")
    text = models.CharField(_("engagement"), max_length=300)
    owner = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="commitments", verbose_name=_("porteur")
    )
    due = models.DateField(_("échéance"))
    status = models.CharField(
        _("statut"), max_length=8, choices=Status.choices, default=Status.OPEN
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedQuerySet["Commitment"].as_manager()

    class Meta:
        verbose_name = _("engagement")
        verbose_name_plural = _("engagements")
        ordering = ["due", "created_at"]
        indexes = [
            # Section 8: the open and recent commitments of a perimeter.
            models.Index(fields=["perimeter", "status"], name="commitment_perim_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["open", "done", "dropped"]),
                name="briefings_commitment_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.text


class BriefingSchedule(models.Model):
    """``user`` receives the briefing of ``perimeter`` by e-mail, built within *their* scope."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="briefing_schedules"
    )
    perimeter = models.ForeignKey(Perimeter, on_delete=models.CASCADE, related_name="+")
    period = models.CharField(_("rythme"), max_length=8, choices=Period.choices)
    active = models.BooleanField(_("actif"), default=True)
    last_sent = models.DateField(null=True, blank=True)

    objects = ScopedQuerySet["BriefingSchedule"].as_manager()

    class Meta:
        verbose_name = _("envoi programmé")
        verbose_name_plural = _("envois programmés")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "perimeter", "period"], name="briefings_schedule_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.perimeter} ({self.get_period_display()})"


class CommissionRule(models.Model):
    """The variable-pay rule of the sellers of a perimeter's subtree (nearest rule wins)."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    perimeter = models.OneToOneField(
        Perimeter, on_delete=models.CASCADE, related_name="commission_rule"
    )
    label = models.CharField(_("intitulé"), max_length=200)
    formula = models.CharField(
        _("formule"),
        max_length=300,
        help_text=_(
            "Ex. 0.02 * ca + si(taux_comptes_rendus >= 0.9, 150, 0). Variables : ca, "
            "objectif_ca, commandes, visites, appels, devis, comptes_rendus, "
            "objectif_comptes_rendus, taux_comptes_rendus. Fonctions : min, max, arrondi, si."
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedQuerySet["CommissionRule"].as_manager()

    class Meta:
        verbose_name = _("règle de commission")
        verbose_name_plural = _("règles de commission")

    def __str__(self) -> str:
        return self.label

    def clean(self) -> None:
        from pouls.briefings.formula import FormulaError, parse_formula

        try:
            parse_formula(self.formula)
        except FormulaError as exc:
            raise ValidationError({"formula": str(exc)}) from exc
