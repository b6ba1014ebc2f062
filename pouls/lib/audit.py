"""The audit trail: one helper, called by the actions that must leave a trace (access changed,
exports downloaded, contact details read, climate results viewed, imports run or undone,
erasures). The trail holds codes, logins and counts, never a customer's personal data."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.utils import timezone

logger = logging.getLogger(__name__)

# Keys allowed in ``detail``: numbers and codes only, so no caller can put a customer's name,
# contact or text in the trail by mistake.
DETAIL_KEYS = frozenset(
    {"role", "previous_role", "rows", "format", "kind", "count", "parent", "old_parent", "ref"}
)


def do_audit(
    user: Any,
    action: str,
    *,
    perimeter: Any = None,
    target: str = "",
    detail: dict[str, Any] | None = None,
) -> None:
    """Record that ``user`` did ``action`` (an ``AuditEvent.Action`` value) on ``perimeter``
    (None for the whole organisation) and ``target`` (a code or a login)."""
    from pouls.org.models import AuditEvent

    detail = detail or {}
    unknown = set(detail) - DETAIL_KEYS
    if unknown:
        raise ValueError(
            f"audit detail keys {sorted(unknown)} are not allowed; accepted: {sorted(DETAIL_KEYS)}"
        )
    if action not in AuditEvent.Action.values:
        raise ValueError(f"unknown audit action {action!r}; accepted: {AuditEvent.Action.values}")
    name = user.get_username() if user is not None and user.is_authenticated else "système"
    AuditEvent.objects.create(
        actor=user if user is not None and user.is_authenticated else None,
        actor_name=name,
        action=action,
        perimeter_id=getattr(perimeter, "pk", perimeter),
        target=str(target)[:200],
        detail=detail,
    )


def do_purge_audit(now: dt.datetime | None = None) -> int:
    """Delete the events older than ``POULS_AUDIT_RETENTION_DAYS``; how many."""
    from pouls.org.models import AuditEvent

    cutoff = (now or timezone.now()) - dt.timedelta(days=settings.POULS_AUDIT_RETENTION_DAYS)
    deleted, _ = AuditEvent.objects.filter(at__lt=cutoff).delete()
    if deleted:
        logger.info("audit events purged: %d", deleted)
    return deleted
