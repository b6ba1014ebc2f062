"""Weak signals found in the weekly theme rollups, and who wants the daily digest."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pouls.lib.scoping import ScopedQuerySet
from pouls.org.models import Perimeter


class ThemeSignal(models.Model):
    class Kind(models.TextChoices):
        SURGE = "surge", _("hausse soudaine")
        DRIFT = "drift", _("dérive lente")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    perimeter = models.ForeignKey(Perimeter, on_delete=models.CASCADE, related_name="+")
    theme = models.CharField(_("thème"), max_length=64)
    kind = models.CharField(max_length=8, choices=Kind.choices)
    # Monday of the week it was first and last seen.
    first_seen = models.DateField(_("vu pour la première fois"))
    last_seen = models.DateField(_("vu pour la dernière fois"))
    count = models.PositiveIntegerField(_("retours cette semaine"))
    expected = models.FloatField(_("attendu"))
    q_value = models.FloatField(null=True)

    objects = ScopedQuerySet["ThemeSignal"].as_manager()

    class Meta:
        verbose_name = _("signal")
        verbose_name_plural = _("signaux")
        constraints = [
            models.UniqueConstraint(
                fields=["perimeter", "theme", "first_seen"], name="watch_signal_unique"
            )
        ]
        indexes = [models.Index(fields=["perimeter", "last_seen"], name="signal_perim_last")]

    def __str__(self) -> str:
        return f"{self.theme} @ {self.perimeter_id} ({self.first_seen})"


class DigestSubscription(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest"
    )
    daily = models.BooleanField(_("recevoir « Quoi de neuf ? » chaque matin"), default=False)
    last_sent = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("abonnement au résumé")

    def __str__(self) -> str:
        return f"{self.user} daily={self.daily}"


class CandidateTheme(models.Model):
    """A group of texts that no theme covers and whose weekly count surges in a store or
    department (``pouls_analysis.signals.clusters.scan_clusters``): a theme to name or dismiss."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    perimeter = models.ForeignKey(Perimeter, on_delete=models.CASCADE, related_name="+")
    week = models.DateField(_("semaine testée"))  # its Monday
    keywords = models.JSONField(_("mots-clés"), default=list)
    counts = models.JSONField(_("textes par semaine"), default=list)  # oldest first
    count = models.PositiveIntegerField(_("textes cette semaine"))
    expected = models.FloatField(_("attendu"))
    q_value = models.FloatField()
    # Feedback ids of representative texts; always re-read through Feedback.objects.for_user.
    evidence = models.JSONField(default=list)

    objects = ScopedQuerySet["CandidateTheme"].as_manager()

    class Meta:
        verbose_name = _("thème candidat")
        verbose_name_plural = _("thèmes candidats")
        indexes = [models.Index(fields=["perimeter", "week"], name="candidate_perim_week")]

    def __str__(self) -> str:
        return f"{' '.join(self.keywords[:3])} @ {self.perimeter_id} ({self.week})"
