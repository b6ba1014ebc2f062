"""Pre-aggregated feedback figures per perimeter subtree x period x subgroup.

A ``MetricValue`` row holds the counts of every feedback received in a perimeter *or any of
its descendants* during one day, ISO week or calendar month, for everything (dimension "")
or one subgroup (a theme, a channel, a source kind). Counts, not ratios, so that any period
or subgroup sum is exact and intervals are computed from them by ``pouls_analysis``.
Subtree rows are safe to show: a grant on a perimeter covers all its descendants.

``FillState`` is the to-do list of the filler: a period is marked pending before its rows
are rebuilt, rebuilt in one transaction, then marked done. A crash rolls the transaction
back and leaves the period pending, so the next run redoes it.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from pouls.lib.scoping import ScopedQuerySet
from pouls.org.models import Perimeter


class Period(models.TextChoices):
    DAY = "day", _("jour")
    WEEK = "week", _("semaine")
    MONTH = "month", _("mois")


class Dimension(models.TextChoices):
    ALL = "", _("tout")
    THEME = "theme", _("thème")
    CHANNEL = "channel", _("canal")
    SOURCE_KIND = "source_kind", _("source")


# The counters of a row, in the order the filler accumulates them.
COUNTERS = (
    "feedback",
    "nps_n",
    "promoters",
    "passives",
    "detractors",
    "csat_n",
    "csat_satisfied",
    "csat_sum",
    "sentiment_n",
    "sentiment_sum",
    "negative_mentions",
    "positive_mentions",
)


class MetricValue(models.Model):
    perimeter = models.ForeignKey(Perimeter, on_delete=models.CASCADE, related_name="+")
    period = models.CharField(max_length=5, choices=Period.choices)
    start = models.DateField()
    dimension = models.CharField(max_length=16, choices=Dimension.choices, blank=True)
    value = models.CharField(max_length=64, blank=True)
    feedback = models.PositiveIntegerField(default=0)
    nps_n = models.PositiveIntegerField(default=0)
    promoters = models.PositiveIntegerField(default=0)
    passives = models.PositiveIntegerField(default=0)
    detractors = models.PositiveIntegerField(default=0)
    csat_n = models.PositiveIntegerField(default=0)
    csat_satisfied = models.PositiveIntegerField(default=0)
    csat_sum = models.PositiveIntegerField(default=0)
    sentiment_n = models.PositiveIntegerField(default=0)
    sentiment_sum = models.FloatField(default=0.0)
    negative_mentions = models.PositiveIntegerField(default=0)
    positive_mentions = models.PositiveIntegerField(default=0)

    objects = ScopedQuerySet["MetricValue"].as_manager()

    class Meta:
        verbose_name = _("agrégat")
        verbose_name_plural = _("agrégats")
        constraints = [
            models.UniqueConstraint(
                fields=["period", "start", "perimeter", "dimension", "value"],
                name="rollups_metricvalue_unique",
            )
        ]
        indexes = [
            # Dashboards: one perimeter, one period kind, a range of starts.
            models.Index(fields=["perimeter", "period", "dimension", "start"], name="rollup_read"),
        ]

    def __str__(self) -> str:
        return f"{self.perimeter_id} {self.period} {self.start} {self.dimension}={self.value}"


class FillState(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("à recalculer")
        DONE = "done", _("à jour")

    period = models.CharField(max_length=5, choices=Period.choices)
    start = models.DateField()
    state = models.CharField(max_length=8, choices=State.choices, default=State.PENDING)
    filled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["period", "start"], name="rollups_fillstate_unique")
        ]
        indexes = [models.Index(fields=["state", "period", "start"], name="fillstate_todo")]

    def __str__(self) -> str:
        return f"{self.period} {self.start}: {self.state}"
