"""Reading the audit trail: the events of the perimeters a person administers, filtered."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from pouls.org.models import AuditEvent


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day))


def filter_events(user: Any, data: dict[str, Any]) -> QuerySet[AuditEvent]:
    """Events on the user's administered perimeters (superusers also see the
    organisation-wide ones, with no perimeter), newest first, filtered by action, login and
    days (local time)."""
    events = AuditEvent.objects.for_user(user).select_related("perimeter")
    if data.get("action"):
        events = events.filter(action=data["action"])
    if data.get("who"):
        events = events.filter(actor_name__icontains=data["who"])
    if data.get("since"):
        events = events.filter(at__gte=_day_start(data["since"]))
    if data.get("until"):
        events = events.filter(at__lt=_day_start(data["until"] + dt.timedelta(days=1)))
    return events.order_by("-at", "-pk")
