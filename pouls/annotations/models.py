"""What the analysis core says about each feedback text, stored for dashboards and rollups.

One ``Annotation`` per analysed feedback, plus one row per theme mention and per service
behaviour found. Perimeter and day are copied from the feedback so that rollups and signal
detection group these tables without joining the (large) feedback table.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pouls.feedback.models import Feedback
from pouls.lib.scoping import ScopedQuerySet
from pouls.org.models import Perimeter


class Polarity(models.TextChoices):
    NEGATIVE = "negative", _("négatif")
    NEUTRAL = "neutral", _("neutre")
    POSITIVE = "positive", _("positif")


class Annotation(models.Model):
    feedback = models.OneToOneField(Feedback, on_delete=models.CASCADE, related_name="annotation")
    perimeter = models.ForeignKey(Perimeter, on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("jour"))
    lang = models.CharField(_("langue détectée"), max_length=8)
    is_french = models.BooleanField(default=True)
    sentiment = models.FloatField(_("sentiment (-1 à 1)"))
    sentiment_label = models.CharField(max_length=8, choices=Polarity.choices)
    # No theme found in a French text: the text goes to discovery.
    uncovered = models.BooleanField(default=False)
    # The analysis version (package version + taxonomy digest): older rows are re-analysed.
    version = models.CharField(max_length=64)
    analysed_at = models.DateTimeField(auto_now=True)

    objects = ScopedQuerySet["Annotation"].as_manager()

    class Meta:
        verbose_name = _("analyse d'un texte")
        verbose_name_plural = _("analyses des textes")
        indexes = [
            models.Index(fields=["perimeter", "day"], name="annotation_perim_day"),
            # The rollup filler reads one day across all perimeters.
            models.Index(fields=["day"], name="annotation_day"),
        ]

    def __str__(self) -> str:
        return f"{self.sentiment_label} ({self.lang})"


class ThemeMention(models.Model):
    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="themes")
    perimeter = models.ForeignKey(Perimeter, on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("jour"))
    theme = models.CharField(_("thème"), max_length=64)
    confidence = models.FloatField()
    polarity = models.CharField(max_length=8, choices=Polarity.choices)
    polarity_score = models.FloatField()
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()

    objects = ScopedQuerySet["ThemeMention"].as_manager()

    class Meta:
        verbose_name = _("mention d'un thème")
        verbose_name_plural = _("mentions de thèmes")
        indexes = [
            # Theme counts per perimeter and period (rollups, weak signals).
            models.Index(fields=["perimeter", "day", "theme"], name="theme_perim_day_theme"),
            models.Index(fields=["day"], name="theme_day"),
        ]

    def __str__(self) -> str:
        return f"{self.theme} ({self.polarity})"


class BehaviourMatch(models.Model):
    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="behaviours")
    perimeter = models.ForeignKey(Perimeter, on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("jour"))
    behaviour = models.CharField(_("comportement"), max_length=32)
    confidence = models.FloatField()
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()

    objects = ScopedQuerySet["BehaviourMatch"].as_manager()

    class Meta:
        verbose_name = _("comportement de service observé")
        verbose_name_plural = _("comportements de service observés")
        indexes = [
            models.Index(fields=["perimeter", "day", "behaviour"], name="behaviour_perim_day"),
        ]

    def __str__(self) -> str:
        return self.behaviour


class ThemeCorrection(models.Model):
    """An analyst's word on one theme of one text: the theme is there or not.

    One row per text and theme: a later correction replaces the earlier one (the last word
    wins). ``pouls.annotations.learning`` learns the theme model from these rows; the
    machine's own mentions (``ThemeMention``) are kept as the analysis wrote them.
    """

    feedback = models.ForeignKey(
        Feedback, on_delete=models.CASCADE, related_name="theme_corrections"
    )
    perimeter = models.ForeignKey(Perimeter, on_delete=models.CASCADE, related_name="+")
    theme = models.CharField(_("thème"), max_length=64)
    present = models.BooleanField(_("le thème convient"))
    # Who gave the last word; kept when the account is deleted (the teaching stays).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # When the last word was given.
    created_at = models.DateTimeField(_("corrigé le"), default=timezone.now)

    objects = ScopedQuerySet["ThemeCorrection"].as_manager()

    class Meta:
        verbose_name = _("correction d'un thème")
        verbose_name_plural = _("corrections de thèmes")
        constraints = [
            models.UniqueConstraint(fields=["feedback", "theme"], name="theme_correction_once")
        ]

    def __str__(self) -> str:
        return f"{self.theme} {'+' if self.present else '-'}"
