"""Daily sales results and commercial activity (leading indicators), with targets."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pouls.lib.scoping import ScopedQuerySet
from pouls.org.models import Perimeter, Person


class SalesFact(models.Model):
    """Results of one day for a perimeter, or for one person in it."""

    perimeter = models.ForeignKey(Perimeter, on_delete=models.PROTECT, related_name="sales")
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="sales"
    )
    date = models.DateField(_("jour"))
    revenue = models.DecimalField(_("chiffre d'affaires"), max_digits=14, decimal_places=2)
    revenue_target = models.DecimalField(
        _("objectif de CA"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    orders = models.PositiveIntegerField(_("commandes"), default=0)
    orders_target = models.PositiveIntegerField(_("objectif de commandes"), null=True, blank=True)

    objects = ScopedQuerySet["SalesFact"].as_manager()

    class Meta:
        verbose_name = _("résultat commercial du jour")
        verbose_name_plural = _("résultats commerciaux")
        indexes = [
            # Dashboards sum a set of perimeters over a date range.
            models.Index(fields=["perimeter", "date"], name="activity_sales_perim_date"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["perimeter", "person", "date"],
                condition=Q(person__isnull=False),
                name="activity_salesfact_one_per_person_day",
            ),
            models.UniqueConstraint(
                fields=["perimeter", "date"],
                condition=Q(person__isnull=True),
                name="activity_salesfact_one_per_perimeter_day",
            ),
            models.CheckConstraint(
                condition=Q(revenue__gte=0), name="activity_salesfact_revenue_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.perimeter} {self.revenue}"


class ActivityFact(models.Model):
    """Commercial activity of one day: visits, calls, quotes, field reports filed."""

    perimeter = models.ForeignKey(Perimeter, on_delete=models.PROTECT, related_name="activity")
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="activity"
    )
    date = models.DateField(_("jour"))
    visits = models.PositiveIntegerField(_("visites"), default=0)
    calls = models.PositiveIntegerField(_("appels"), default=0)
    quotes = models.PositiveIntegerField(_("devis"), default=0)
    reports_filed = models.PositiveIntegerField(_("comptes rendus saisis"), default=0)
    visits_target = models.PositiveIntegerField(_("objectif de visites"), null=True, blank=True)
    calls_target = models.PositiveIntegerField(_("objectif d'appels"), null=True, blank=True)
    quotes_target = models.PositiveIntegerField(_("objectif de devis"), null=True, blank=True)
    reports_target = models.PositiveIntegerField(
        _("objectif de comptes rendus"), null=True, blank=True
    )

    objects = ScopedQuerySet["ActivityFact"].as_manager()

    class Meta:
        verbose_name = _("activité du jour")
        verbose_name_plural = _("activités")
        indexes = [
            # Dashboards sum a set of perimeters over a date range.
            models.Index(fields=["perimeter", "date"], name="activity_act_perim_date"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["perimeter", "person", "date"],
                condition=Q(person__isnull=False),
                name="activity_activityfact_one_per_person_day",
            ),
            models.UniqueConstraint(
                fields=["perimeter", "date"],
                condition=Q(person__isnull=True),
                name="activity_activityfact_one_per_perimeter_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.perimeter}"
