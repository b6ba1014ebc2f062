"""« Mon pouls »: a seller's own view (seed 000: show sellers what reporting brings them).

Everything is read through the user's scope: a seller whose account has no grant on their
own team sees an explanation, not data. The one exception is the commission rule, read for
the seller's own Person from its ancestors: it is the organisation's pay policy that applies
to them, not perimeter data.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from statistics import mean
from typing import Any

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from pouls.activity.models import ActivityFact, SalesFact
from pouls.activity.queries import Indicator, sales_and_activity
from pouls.briefings.formula import FormulaError, evaluate_formula
from pouls.briefings.models import CommissionRule
from pouls.callbacks.models import Callback
from pouls.feedback.models import Feedback
from pouls.lib.dates import week_start
from pouls.org.models import Perimeter, Person, path_prefixes
from pouls.rollups.queries import nps_counts, nps_of
from pouls_analysis import NpsResult, nps_from_counts

WINDOW_DAYS = 90
REPORT_WEEKS = 12
# A week counts as "complete reporting" when at least this share of expected reports is filed.
COMPLETE_REPORTING = 0.9


@dataclass(frozen=True, slots=True)
class WeekRow:
    week: dt.date
    reports: int
    reports_target: int | None
    quotes: int
    orders: int
    revenue: float
    pay: float | None

    @property
    def completeness(self) -> float | None:
        return None if not self.reports_target else self.reports / self.reports_target

    @property
    def complete(self) -> bool:
        c = self.completeness
        return c is not None and c >= COMPLETE_REPORTING


@dataclass(frozen=True, slots=True)
class Reporting:
    weeks: list[WeekRow]
    rule: CommissionRule | None
    rule_error: str | None
    complete_weeks: int
    other_weeks: int
    # Means per week: complete reporting vs the other weeks (None when a group is empty).
    quotes: tuple[float | None, float | None]
    revenue: tuple[float | None, float | None]
    pay: tuple[float | None, float | None]


@dataclass(frozen=True, slots=True)
class MyPulse:
    person: Person | None
    reason: str | None  # why there is nothing to show, in French
    verbatims: list[Feedback] = field(default_factory=list)
    callbacks: list[Callback] = field(default_factory=list)  # my open callbacks, most urgent first
    closed_callbacks: int = 0  # the ones I closed in the window
    my_nps: NpsResult | None = None
    team_nps: NpsResult | None = None
    nps_note: str | None = None
    mine: list[Indicator] = field(default_factory=list)
    team: list[Indicator] = field(default_factory=list)
    reporting: Reporting | None = None
    since: dt.date | None = None
    # (label, mine, team): how my activity turns into results, beside my team's.
    ratios: list[tuple[str, float | None, float | None]] = field(default_factory=list)


def _ratio(indicators: list[Indicator], top: str, bottom: str) -> float | None:
    values = {i.key: float(i.value) for i in indicators}
    return values[top] / values[bottom] if values.get(bottom) else None


def activity_ratios(
    mine: list[Indicator], team: list[Indicator]
) -> list[tuple[str, float | None, float | None]]:
    """Orders per visit and per quote, and revenue per order: activity read as results."""
    pairs = [
        (_("Commandes pour 100 visites"), "orders", "visits", 100.0),
        (_("Commandes pour 100 devis"), "orders", "quotes", 100.0),
        (_("Panier moyen (€)"), "revenue", "orders", 1.0),
    ]
    rows = []
    for label, top, bottom, scale in pairs:
        a, b = _ratio(mine, top, bottom), _ratio(team, top, bottom)
        rows.append((label, None if a is None else a * scale, None if b is None else b * scale))
    return rows


def _person_of(user: Any) -> Person | None:
    """The user's own seller record (their identity, not perimeter data: the data shown
    afterwards is all read through ``for_user``)."""
    person = Person.objects.filter(user=user).select_related("perimeter").first()
    if person is None or person.kind == Person.Kind.MANAGER:
        return None
    return person


def get_my_pulse(user: Any, today: dt.date | None = None) -> MyPulse:
    """Steps: the seller's Person; its perimeter must be in the user's scope; verbatims;
    the callbacks assigned to them; personal NPS above the threshold, else the team's;
    activity against results; reporting."""
    today = today or timezone.localdate()
    person = _person_of(user)
    if person is None:
        return MyPulse(
            None,
            _(
                "Cette page est celle des vendeurs et conseillers : votre compte "
                "n'est relié à aucune fiche de vendeur·se."
            ),
        )
    if not Perimeter.objects.for_user(user).filter(pk=person.perimeter_id).exists():
        return MyPulse(
            person,
            _(
                "Votre compte n'a pas encore accès à votre équipe : demandez à "
                "votre administrateur un accès en lecture à « %(team)s »."
            )
            % {"team": person.perimeter.name},
        )
    since = today - dt.timedelta(days=WINDOW_DAYS - 1)
    mine_qs = Feedback.objects.for_user(user).filter(
        person=person,
        received_at__gte=dt.datetime.combine(since, dt.time.min, timezone.get_current_timezone()),
    )
    my_nps, team_nps, note = _nps(user, person, mine_qs, since)
    mine_callbacks = Callback.objects.for_user(user).filter(assignee=person)
    mine = sales_and_activity(user, [person.perimeter_id], since, person_id=person.pk)
    team = sales_and_activity(user, [person.perimeter_id], since)
    return MyPulse(
        person,
        None,
        # The seller's own field reports are not their customers' words.
        verbatims=list(
            mine_qs.exclude(text="")
            .exclude(source_kind=Feedback.SourceKind.FIELD_REPORT)
            .order_by("-received_at")[:8]
        ),
        callbacks=list(
            mine_callbacks.filter(closed_at__isnull=True)
            .select_related("feedback")
            .order_by("due_at", "pk")
        ),
        closed_callbacks=mine_callbacks.filter(
            closed_at__date__gte=since, closed_at__isnull=False
        ).count(),
        my_nps=my_nps,
        team_nps=team_nps,
        nps_note=note,
        mine=mine,
        team=team,
        ratios=activity_ratios(mine, team),
        reporting=_reporting(user, person, today),
        since=since,
    )


def _nps(
    user: Any, person: Person, mine_qs: Any, since: dt.date
) -> tuple[NpsResult | None, NpsResult, str | None]:
    counts = mine_qs.aggregate(
        p=Count("pk", filter=Q(nps__gte=9)),
        pa=Count("pk", filter=Q(nps__gte=7, nps__lte=8)),
        d=Count("pk", filter=Q(nps__lte=6)),
    )
    mine = nps_from_counts(counts["p"], counts["pa"], counts["d"])
    team = nps_of(nps_counts(user, [person.perimeter_id], since), person.perimeter_id)
    threshold = settings.POULS_MIN_SELLER_ANSWERS
    if mine.n >= threshold:
        return mine, team, None
    note = _(
        "Vos clients ont donné %(n)s notes ces %(days)s derniers jours : en dessous de "
        "%(min)s, un score personnel dépend trop du hasard de quelques réponses pour être juste "
        "envers vous. Voici celui de votre équipe, dont vous faites partie."
    ) % {"n": mine.n, "days": WINDOW_DAYS, "min": threshold}
    return None, team, note


def applicable_rule(person: Person) -> CommissionRule | None:
    """The rule of the nearest perimeter above the seller (trusted: their own pay policy)."""
    prefixes = path_prefixes(person.perimeter.path)
    return (
        CommissionRule.objects.filter(perimeter__path__in=prefixes)
        .order_by("-perimeter__depth")
        .first()
    )


def _weekly(user: Any, person: Person, first: dt.date) -> dict[dt.date, dict[str, float]]:
    weeks: dict[dt.date, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    activity = ActivityFact.objects.for_user(user).filter(person=person, date__gte=first)
    for day, reports, target, visits, calls, quotes in activity.values_list(
        "date", "reports_filed", "reports_target", "visits", "calls", "quotes"
    ):
        row = weeks[week_start(day)]
        row["comptes_rendus"] += reports
        row["objectif_comptes_rendus"] += target or 0
        row["visites"] += visits
        row["appels"] += calls
        row["devis"] += quotes
    sales = SalesFact.objects.for_user(user).filter(person=person, date__gte=first)
    for day, revenue, revenue_target, orders in sales.values_list(
        "date", "revenue", "revenue_target", "orders"
    ):
        row = weeks[week_start(day)]
        row["ca"] += float(revenue)
        row["objectif_ca"] += float(revenue_target or 0)
        row["commandes"] += orders
    return weeks


def _reporting(user: Any, person: Person, today: dt.date) -> Reporting:
    """Complete reporting weeks against the others: pipeline (quotes), orders, revenue and the
    pay the organisation's rule gives. An association over a few weeks, not a proof."""
    this_week = week_start(today)
    first = this_week - dt.timedelta(weeks=REPORT_WEEKS)
    weeks = _weekly(user, person, first)
    rule = applicable_rule(person)
    rule_error = None
    rows = []
    for week in sorted(w for w in weeks if w < this_week):
        v = weeks[week]
        target = v["objectif_comptes_rendus"]
        v["taux_comptes_rendus"] = v["comptes_rendus"] / target if target else 0.0
        pay = None
        if rule is not None and rule_error is None:
            try:
                pay = evaluate_formula(rule.formula, v)
            except FormulaError as exc:
                rule_error = str(exc)
        rows.append(
            WeekRow(
                week,
                int(v["comptes_rendus"]),
                int(target) or None,
                int(v["devis"]),
                int(v["commandes"]),
                v["ca"],
                pay,
            )
        )
    done = [r for r in rows if r.complete]
    other = [r for r in rows if not r.complete]

    def means(attr: str) -> tuple[float | None, float | None]:
        def m(group: list[WeekRow]) -> float | None:
            values = [getattr(r, attr) for r in group if getattr(r, attr) is not None]
            return mean(values) if values else None

        return m(done), m(other)

    return Reporting(
        rows,
        rule,
        rule_error,
        len(done),
        len(other),
        means("quotes"),
        means("revenue"),
        means("pay"),
    )
