"""Sales and activity against target, read for a person through the perimeter scoping."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q, Sum

from pouls.activity.models import ActivityFact, SalesFact


@dataclass(frozen=True, slots=True)
class Indicator:
    """A summed indicator; ``target`` sums only the days that had a target."""

    key: str
    value: Decimal | int
    target: Decimal | int | None
    value_on_target_days: Decimal | int

    @property
    def attainment(self) -> float | None:
        """Share of the target reached, over the days that had one (None without target)."""
        if not self.target:
            return None
        return float(self.value_on_target_days) / float(self.target)


def _indicators(qs: Any, fields: list[tuple[str, str]]) -> list[Indicator]:
    aggregates: dict[str, Any] = {}
    for value_field, target_field in fields:
        aggregates[f"{value_field}__v"] = Sum(value_field)
        aggregates[f"{value_field}__t"] = Sum(target_field)
        # The value is compared with the target only on the days that had one.
        aggregates[f"{value_field}__vt"] = Sum(
            value_field, filter=Q(**{f"{target_field}__isnull": False})
        )
    row = qs.aggregate(**aggregates)
    return [
        Indicator(
            key=value_field,
            value=row[f"{value_field}__v"] or 0,
            target=row[f"{value_field}__t"],
            value_on_target_days=row[f"{value_field}__vt"] or 0,
        )
        for value_field, _target in fields
    ]


def sales_and_activity(
    user: Any,
    perimeter_ids: Iterable[int],
    since: dt.date | None,
    until: dt.date | None = None,
    *,
    person_id: int | None = None,
) -> list[Indicator]:
    """Sums over the days in [since, until) (no start: all history; no end: up to the
    latest day), for the perimeters' rows, or one person's rows only when ``person_id``
    is given."""
    ids = list(perimeter_ids)
    days = Q(perimeter_id__in=ids)
    if since is not None:
        days &= Q(date__gte=since)
    if until is not None:
        days &= Q(date__lt=until)
    if person_id is not None:
        days &= Q(person_id=person_id)
    sales = SalesFact.objects.for_user(user).filter(days)
    activity = ActivityFact.objects.for_user(user).filter(days)
    return _indicators(sales, [("revenue", "revenue_target"), ("orders", "orders_target")]) + (
        _indicators(
            activity,
            [
                ("visits", "visits_target"),
                ("calls", "calls_target"),
                ("quotes", "quotes_target"),
                ("reports_filed", "reports_target"),
            ],
        )
    )
