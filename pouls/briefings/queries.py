"""Briefings read for a person: the content built within their scope, the list of a
perimeter's briefings and the balance meter."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from pouls.activity.models import SalesFact
from pouls.briefings import sections
from pouls.briefings.models import Briefing, Commitment, Period
from pouls.lib.dates import last_complete_week
from pouls.org.models import Perimeter
from pouls.org.queries import list_subtree_ids
from pouls.rollups.models import Dimension, MetricValue
from pouls.rollups.models import Period as RollupPeriod

SNAPSHOT_VERSION = 1
# Section keys in presentation order, with their builder (7 and 8 are built last: the
# question draws on the others, the follow-up on earlier briefings).
SECTION_KEYS = (
    "chiffres",
    "clients",
    "verbatims",
    "rappels",
    "signal",
    "comportements",
    "question",
    "engagements",
)
SECTION_TITLES = {
    "chiffres": gettext_lazy("1. Les chiffres"),
    "clients": gettext_lazy("2. Les clients"),
    "verbatims": gettext_lazy("3. Trois verbatims"),
    "rappels": gettext_lazy("4. À rappeler"),
    "signal": gettext_lazy("5. Le signal de la semaine"),
    "comportements": gettext_lazy("6. Comportements de service observés"),
    "question": gettext_lazy("7. La question à l'équipe"),
    "engagements": gettext_lazy("8. Suivi des engagements"),
}
_BUILDERS: dict[str, Callable[[sections.Scope], sections.Section]] = {
    "chiffres": sections.figures,
    "clients": sections.customers,
    "verbatims": sections.verbatims,
    "rappels": sections.to_call,
    "signal": sections.signal,
    "comportements": sections.behaviours,
    "engagements": sections.follow_up,
}
BALANCE_DAYS = 28


# How far back a daily briefing looks for the last day the store was open.
OPEN_DAY_LOOKBACK = 14


def default_start(
    period: str,
    today: dt.date | None = None,
    *,
    user: Any = None,
    perimeter: Perimeter | None = None,
) -> dt.date:
    """The last whole period: the last day the perimeter was open (yesterday when no
    perimeter is given), or last week's Monday."""
    today = today or timezone.localdate()
    if period == Period.DAILY:
        if user is not None and perimeter is not None:
            return last_open_day(user, perimeter, today)
        return today - dt.timedelta(days=1)
    return last_complete_week(today)


def last_open_day(user: Any, perimeter: Perimeter, today: dt.date) -> dt.date:
    """The last day before ``today`` on which the perimeter's subtree had customer feedback
    or sales (a Monday's daily briefing covers Saturday when the store closes on Sunday);
    yesterday when nothing was recorded over the last two weeks. Two queries, both scoped."""
    floor = today - dt.timedelta(days=OPEN_DAY_LOOKBACK)
    feedback_day = (
        MetricValue.objects.for_user(user)
        .filter(
            perimeter=perimeter,
            period=RollupPeriod.DAY,
            dimension=Dimension.ALL,
            feedback__gt=0,
            start__gte=floor,
            start__lt=today,
        )
        .aggregate(last=Max("start"))["last"]
    )
    sales_day = (
        SalesFact.objects.for_user(user)
        .filter(perimeter_id__in=list_subtree_ids(user, perimeter), date__gte=floor, date__lt=today)
        .filter(Q(revenue__gt=0) | Q(orders__gt=0))
        .aggregate(last=Max("date"))["last"]
    )
    days = [d for d in (feedback_day, sales_day) if d is not None]
    return max(days) if days else today - dt.timedelta(days=1)


def period_end(period: str, start: dt.date) -> dt.date:
    return start + dt.timedelta(days=1 if period == Period.DAILY else 7)


def make_scope(user: Any, perimeter: Perimeter, period: str, start: dt.date) -> sections.Scope:
    ids = list_subtree_ids(user, perimeter)
    return sections.Scope(user, perimeter, ids, start, period_end(period, start))


def build_snapshot(
    user: Any,
    perimeter: Perimeter,
    period: str,
    start: dt.date,
    hidden: Sequence[str] = (),
) -> dict[str, Any]:
    """Everything the briefing shows, built for ``user`` (their scope only), JSON-ready.

    Steps: the scope (visible subtree, period); sections 1-6 and 8 from the domain queries;
    section 7 from what the others found; hidden sections dropped (they count no point)."""
    scope = make_scope(user, perimeter, period, start)
    # Hidden sections are built too: the question may draw on them, the page never shows them.
    built = {key: builder(scope) for key, builder in _BUILDERS.items()}
    built["question"] = sections.question(built)
    shown = [
        dict(built[key], title=str(SECTION_TITLES[key]))
        for key in SECTION_KEYS
        if key not in hidden
    ]
    figures_points, customer_points = balance_points(shown)
    return {
        "version": SNAPSHOT_VERSION,
        "perimeter": perimeter.name,
        "period": period,
        "period_label": str(Period(period).label),
        "start": start.isoformat(),
        "end": scope.end.isoformat(),
        "label": period_label(period, start),
        "built_at": timezone.now().isoformat(),
        "sections": shown,
        "hidden": [str(SECTION_TITLES[k]) for k in SECTION_KEYS if k in hidden],
        "figures_points": figures_points,
        "customer_points": customer_points,
    }


def period_label(period: str, start: dt.date) -> str:
    if period == Period.DAILY:
        return _("journée du %(day)s") % {"day": start.strftime("%d/%m/%Y")}
    end = start + dt.timedelta(days=6)
    return _("semaine du %(start)s au %(end)s") % {
        "start": start.strftime("%d/%m/%Y"),
        "end": end.strftime("%d/%m/%Y"),
    }


def balance_points(shown: Sequence[dict[str, Any]]) -> tuple[int, int]:
    """Points on the sales figures and on the customers among the sections shown
    (docs/briefings.md: one point per item presented; team sections count for neither)."""
    figures = sum(s["points"] for s in shown if s["side"] == "figures")
    customers = sum(s["points"] for s in shown if s["side"] == "customers")
    return figures, customers


def list_briefings(user: Any, perimeter: Perimeter, limit: int = 20) -> list[Briefing]:
    return list(
        Briefing.objects.for_user(user)
        .filter(perimeter=perimeter)
        .select_related("presented_by")
        .order_by("-start", "-created_at")[:limit]
    )


def list_commitments(user: Any, briefing: Briefing) -> list[Commitment]:
    return list(
        Commitment.objects.for_user(user)
        .filter(briefing=briefing)
        .select_related("owner")
        .order_by("due", "pk")
    )


@dataclass(frozen=True, slots=True)
class Balance:
    perimeter: str
    briefings: int
    figures_points: int
    customer_points: int
    days: int

    @property
    def figures_share(self) -> float | None:
        total = self.figures_points + self.customer_points
        return None if total == 0 else self.figures_points / total

    @property
    def sentence(self) -> str:
        share = self.figures_share
        weeks = self.days // 7
        if share is None:
            return _(
                "Aucun point d'équipe présenté pour %(perimeter)s ces %(weeks)s dernières "
                "semaines : le compteur d'équilibre démarrera au premier."
            ) % {"weeks": weeks, "perimeter": self.perimeter}
        presented = ngettext(
            "%(n)d point d'équipe présenté", "%(n)d points d'équipe présentés", self.briefings
        ) % {"n": self.briefings}
        return _(
            "Ces %(weeks)s dernières semaines, les points d'équipe de %(perimeter)s ont porté "
            "à %(share)s %% sur les chiffres et à %(customers)s %% sur les clients "
            "(%(presented)s)."
        ) % {
            "weeks": weeks,
            "perimeter": self.perimeter,
            "share": round(100 * share),
            "customers": 100 - round(100 * share),
            "presented": presented,
        }


def perimeter_balance(
    user: Any, perimeter: Perimeter, today: dt.date | None = None, days: int = BALANCE_DAYS
) -> Balance:
    """The balance of the perimeter's briefings presented over the last ``days`` days,
    whoever presented them (the team's balance, not one manager's)."""
    today = today or timezone.localdate()
    since = dt.datetime.combine(
        today - dt.timedelta(days=days - 1), dt.time.min, timezone.get_current_timezone()
    )
    rows = Briefing.objects.for_user(user).filter(
        perimeter=perimeter, presented_at__isnull=False, presented_at__gte=since
    )
    totals = rows.aggregate(n=Count("pk"), f=Sum("figures_points"), c=Sum("customer_points"))
    return Balance(perimeter.name, totals["n"], totals["f"] or 0, totals["c"] or 0, days)
