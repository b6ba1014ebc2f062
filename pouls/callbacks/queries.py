"""Reads of the closed loop, always through the user's scope: the queue, one callback, and
the figures (share closed within the SLA, median time to close, later NPS)."""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pouls.callbacks.models import SPOKEN, Callback, CallLog
from pouls.feedback.models import CallbackContact, Feedback
from pouls_analysis.stats.compare import (
    Difference,
    ProportionResult,
    compare_nps,
    proportion_interval,
)
from pouls_analysis.stats.scores import NpsResult, nps_from_scores

NPS_BANDS = {"0-3": (0, 3), "4-6": (4, 6), "7-8": (7, 8)}
ORDERS = {
    "due": ("due_at", "pk"),
    "nps": ("feedback__nps", "due_at", "pk"),
    "recent": ("-feedback__received_at", "pk"),
    "perimeter": ("perimeter__path", "due_at", "pk"),
}


def list_callbacks(
    user: Any, perimeter_ids: list[int], data: dict[str, Any], now: dt.datetime
) -> QuerySet[Callback]:
    """The queue page's callbacks: these perimeters (or the chosen sub-perimeter's, already
    in ``perimeter_ids``), filtered by status, overdue, assignee and score band, in the
    chosen order (``callbacks.forms.QueueFilterForm``'s cleaned data)."""
    qs = Callback.objects.for_user(user).filter(perimeter_id__in=perimeter_ids)
    status = data.get("statut") or "open"
    if status == "open":
        qs = qs.filter(closed_at__isnull=True)
    elif status == "closed":
        qs = qs.filter(closed_at__isnull=False)
    if data.get("retard"):
        qs = qs.filter(closed_at__isnull=True, due_at__lte=now)
    if data.get("personne"):
        qs = qs.filter(assignee=data["personne"])
    if data.get("nps") in NPS_BANDS:
        low, high = NPS_BANDS[data["nps"]]
        qs = qs.filter(feedback__nps__gte=low, feedback__nps__lte=high)
    order = ORDERS.get(data.get("tri") or "due", ORDERS["due"])
    return qs.select_related("feedback", "perimeter", "assignee").order_by(*order)


def time_left(due_at: dt.datetime, now: dt.datetime) -> str:
    """The SLA in words: time left before the deadline, or how late it is."""
    seconds = (due_at - now).total_seconds()
    hours = int(abs(seconds) // 3600)
    if hours >= 48:
        days = hours // 24
        span = ngettext("%(n)d jour", "%(n)d jours", days) % {"n": days}
    elif hours >= 1:
        span = ngettext("%(n)d heure", "%(n)d heures", hours) % {"n": hours}
    else:
        minutes = max(int(abs(seconds) // 60), 1)
        span = ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}
    if seconds >= 0:
        return _("reste %(span)s") % {"span": span}
    return _("en retard de %(span)s") % {"span": span}


def list_logs(user: Any, callback: Callback) -> list[CallLog]:
    return list(CallLog.objects.for_user(user).filter(callback=callback).select_related("author"))


def get_contact(user: Any, callback: Callback) -> CallbackContact | None:
    """The customer's contact details if the user's role may read them (analysts, admins)."""
    return (
        CallbackContact.objects.for_user(user)
        .filter(feedback_id=callback.feedback_id, expires_at__gt=timezone.now())
        .first()
    )


@dataclass(frozen=True, slots=True)
class CallbackFigures:
    since: dt.datetime
    entered: int
    open: int
    overdue: int
    # Among callbacks closed or past their due time: the share closed in time (Wilson).
    within_sla: ProportionResult
    closed: int
    median_hours: float | None
    # The first later NPS answer of the same customer (keyed reference), by group.
    nps_called: NpsResult
    nps_not_called: NpsResult
    # called - not called, in points, with its interval and verdict in words.
    difference: Difference


def get_figures(user: Any, perimeter_ids: list[int], since: dt.datetime) -> CallbackFigures:
    """The closed-loop figures of callbacks entered since ``since`` (two queries)."""
    now = timezone.now()
    rows = list(
        Callback.objects.for_user(user)
        .filter(perimeter_id__in=perimeter_ids, created_at__gte=since)
        .values_list(
            "created_at", "due_at", "closed_at", "outcome", "feedback__customer_ref", "feedback_id"
        )
    )
    judged = [r for r in rows if r[2] is not None or r[1] <= now]
    in_time = sum(1 for r in judged if r[2] is not None and r[2] <= r[1])
    hours = [(r[2] - r[0]).total_seconds() / 3600 for r in rows if r[2] is not None]
    called, not_called = _later_scores(user, rows)
    nps_called, nps_not_called = nps_from_scores(called), nps_from_scores(not_called)
    return CallbackFigures(
        since=since,
        entered=len(rows),
        open=sum(1 for r in rows if r[2] is None),
        overdue=sum(1 for r in rows if r[2] is None and r[1] <= now),
        within_sla=proportion_interval(in_time, len(judged)),
        closed=len(hours),
        median_hours=statistics.median(hours) if hours else None,
        nps_called=nps_called,
        nps_not_called=nps_not_called,
        difference=compare_nps(nps_not_called, nps_called),
    )


def _later_scores(user: Any, rows: list[tuple[Any, ...]]) -> tuple[list[int], list[int]]:
    """For each callback whose customer is known, the first NPS the same customer gave after
    it entered the queue; split between customers spoken to and the others."""
    refs = {r[4] for r in rows if r[4]}
    if not refs:
        return [], []
    later: dict[str, list[tuple[dt.datetime, int, int]]] = {}
    answers = (
        Feedback.objects.for_user(user)
        .filter(customer_ref__in=refs, nps__isnull=False, received_at__gte=min(r[0] for r in rows))
        .order_by("received_at")
        .values_list("customer_ref", "received_at", "nps", "pk")
    )
    for ref, received_at, nps, pk in answers:
        if nps is not None:  # filtered out above; narrows the type
            later.setdefault(ref, []).append((received_at, nps, pk))
    called: list[int] = []
    not_called: list[int] = []
    for created_at, _due, _closed, outcome, ref, own in rows:
        score = next(
            (nps for when, nps, pk in later.get(ref, ()) if when > created_at and pk != own), None
        )
        if score is not None:
            (called if outcome in SPOKEN else not_called).append(score)
    return called, not_called
