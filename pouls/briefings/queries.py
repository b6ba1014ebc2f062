"""Briefings read for a person: the content built within their scope, the list of a
perimeter's briefings and the balance meter."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pouls.briefings import sections
from pouls.briefings.models import Briefing, Commitment, Period
from pouls.lib.dates import last_complete_week
from pouls.org.models import Perimeter
from pouls.org.queries import list_subtree_ids

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


def default_start(period: str, today: dt.date | None = None) -> dt.date:
    """The last whole period: yesterday, or last week's Monday."""
    today = today or timezone.localdate()
    if period == Period.DAILY:
        return today - dt.timedelta(days=1)
    return last_complete_week(today)


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
        if share is None:
            return _(
                "Aucun point d'équipe présenté ces %(weeks)s dernières semaines : le compteur "
                "d'équilibre démarrera au premier."
            ) % {"weeks": self.days // 7}
        return _(
            "Ces %(weeks)s dernières semaines, %(share)s %% de vos points d'équipe ont porté sur "
            "les chiffres et %(customers)s %% sur les clients (%(n)s points d'équipe présentés)."
        ) % {
            "weeks": self.days // 7,
            "share": round(100 * share),
            "customers": 100 - round(100 * share),
            "n": self.briefings,
        }


def manager_balance(user: Any, today: dt.date | None = None, days: int = BALANCE_DAYS) -> Balance:
    """The balance of the briefings ``user`` presented over the last ``days`` days."""
    today = today or timezone.localdate()
    since = dt.datetime.combine(
        today - dt.timedelta(days=days - 1), dt.time.min, timezone.get_current_timezone()
    )
    rows = Briefing.objects.for_user(user).filter(presented_by=user, presented_at__gte=since)
    totals = rows.aggregate(f=Sum("figures_points"), c=Sum("customer_points"))
    return Balance(rows.count(), totals["f"] or 0, totals["c"] or 0, days)
