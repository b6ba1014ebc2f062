"""Writes of the closed loop: who enters the callback queue, calls logged, reminders."""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from pouls.annotations.models import Polarity
from pouls.callbacks.models import CLOSING, Callback, CallLog
from pouls.feedback.models import Feedback
from pouls.lib import privacy
from pouls.lib.scoping import ROLES_FOR_ACTION, may_act
from pouls.org.models import Grant, Perimeter, Person

logger = logging.getLogger(__name__)

REMIND_EVERY = dt.timedelta(hours=24)
# Older feedback (a year of history imported at once) does not enter the queue: calling a
# customer back about a visit of months ago does not close a loop, and would bury the
# recent ones.
MAX_AGE = dt.timedelta(days=14)


def sla() -> dt.timedelta:
    return dt.timedelta(hours=settings.POULS_CALLBACK_SLA_HOURS)


def _eligible(feedback_ids: Sequence[int]) -> Iterable[Feedback]:
    """Consenting detractors (0-6), and consenting passives (7-8) whose text the analysis
    found negative, received in the last ``MAX_AGE`` and not queued yet (trusted context)."""
    rule = Q(nps__lte=6) | Q(nps__in=[7, 8], annotation__sentiment_label=Polarity.NEGATIVE.value)
    return (
        Feedback.objects.filter(pk__in=list(feedback_ids), callback_consent=True)
        .filter(rule, received_at__gte=timezone.now() - MAX_AGE)
        .filter(callback__isnull=True)
        .only("pk", "perimeter_id", "person_id", "nps", "received_at")
    )


def do_queue_callbacks(feedback_ids: Sequence[int]) -> int:
    """Put the eligible feedback into their store's callback queue, assigned to the seller
    involved when known. Idempotent: a feedback is queued once (unique constraint too).

    The loop starts when the customer answered: the deadline is the answer's time plus the
    SLA, so answers imported (or the demo built) at once keep their own deadlines."""
    now = timezone.now()
    rows = [
        Callback(
            feedback_id=f.pk,
            perimeter_id=f.perimeter_id,
            assignee_id=f.person_id,
            reason=Callback.Reason.DETRACTOR
            if f.nps is not None and f.nps <= 6
            else Callback.Reason.NEGATIVE_PASSIVE,
            created_at=min(f.received_at, now),
            due_at=min(f.received_at, now) + sla(),
        )
        for f in _eligible(feedback_ids)
    ]
    Callback.objects.bulk_create(rows, ignore_conflicts=True)
    if rows:
        logger.info("callbacks queued: %d", len(rows))
    return len(rows)


def do_queue_recent_callbacks() -> int:
    """After each analysis pass (``pouls.chain.after_analysis``): every recent consenting
    answer not queued yet is checked, so detractors without a text and passives whose text was
    just found negative both enter the queue; how many were queued."""
    recent = Feedback.objects.filter(
        received_at__gte=timezone.now() - MAX_AGE,
        callback_consent=True,
        nps__lte=8,
        callback__isnull=True,
    ).values_list("pk", flat=True)
    return do_queue_callbacks(list(recent))


def can_log(user: Any, callback: Callback) -> bool:
    """The seller assigned, or anyone who runs the callback's perimeter (managers, analysts,
    admins)."""
    assignee = callback.assignee
    if assignee is not None and assignee.user_id is not None and assignee.user_id == user.pk:
        return bool(user.is_active)
    return may_act(user, "run", callback.perimeter_id)


def do_assign_callbacks(user: Any, callbacks: Sequence[Callback], person: Person) -> int:
    """Give these callbacks to ``person`` (bulk « prise en charge »); the caller chose them
    through ``for_user(user, "run")``, re-checked after the write (rolls back if not)."""
    pks = [c.pk for c in callbacks]
    with transaction.atomic():
        updated = Callback.objects.filter(pk__in=pks).update(assignee=person)
        allowed = Callback.objects.for_user(user, "run").filter(pk__in=pks).count()
        if allowed != len(pks) or not Person.objects.for_user(user).filter(pk=person.pk).exists():
            raise PermissionDenied
    logger.info("callbacks assigned: %d", updated)
    return updated


def do_log_call(user: Any, callback: Callback, *, outcome: str, note: str) -> CallLog:
    """Log a call; a closing outcome closes the callback, « à rappeler » reopens it.

    The caller has fetched ``callback`` through the view scope; the write right is checked
    here (403 otherwise). The note is pseudonymised like any stored free text.
    """
    if not can_log(user, callback):
        raise PermissionDenied
    now = timezone.now()
    with transaction.atomic():
        log = CallLog.objects.create(
            callback=callback,
            perimeter_id=callback.perimeter_id,
            author=user,
            outcome=outcome,
            note=privacy.pseudonymise([note.strip()])[0] if note.strip() else "",
        )
        callback.outcome = outcome
        callback.closed_at = now if outcome in CLOSING else None
        callback.save(update_fields=["outcome", "closed_at"])
    return log


def _recipients(callback: Callback, managers: dict[int, set[str]]) -> set[str]:
    assignee = callback.assignee
    # A seller who left (inactive person or account) is not mailed: the managers are.
    if (
        assignee is not None
        and assignee.is_active
        and assignee.user is not None
        and assignee.user.is_active
        and assignee.user.email
    ):
        return {assignee.user.email}
    return managers.get(callback.perimeter_id, set())


def _managers_by_perimeter(perimeters: Iterable[Perimeter]) -> dict[int, set[str]]:
    """E-mails of active users who run each perimeter or an ancestor (managers, analysts,
    admins): they handle callbacks no seller is assigned to."""
    grants = list(
        Grant.objects.filter(role__in=ROLES_FOR_ACTION["run"], user__is_active=True)
        .exclude(user__email="")
        .values_list("perimeter__path", "user__email")
    )
    return {p.pk: {email for path, email in grants if p.path.startswith(path)} for p in perimeters}


def do_remind_overdue(now: dt.datetime | None = None) -> int:
    """E-mail each person responsible for overdue open callbacks once a day; returns the
    number of e-mails sent. The e-mail holds no contact details nor verbatim: only how many
    and a link to each callback page (the reader's scope applies there)."""
    now = now or timezone.now()
    overdue = list(
        Callback.objects.filter(closed_at__isnull=True, due_at__lt=now)
        .filter(Q(reminded_at__isnull=True) | Q(reminded_at__lte=now - REMIND_EVERY))
        .select_related("perimeter", "assignee__user")
        .order_by("due_at")
    )
    managers = _managers_by_perimeter({c.perimeter for c in overdue})
    by_recipient: dict[str, list[Callback]] = {}
    for callback in overdue:
        for email in _recipients(callback, managers):
            by_recipient.setdefault(email, []).append(callback)
    sent, reminded = 0, set[int]()
    for email, callbacks in by_recipient.items():
        body = render_to_string("callbacks/reminder.txt", {"callbacks": callbacks, "now": now})
        subject = f"Pouls — {len(callbacks)} client(s) à rappeler en retard"
        try:
            send_mail(subject, body, None, [email])
        except (smtplib.SMTPException, OSError):
            # One refused address must not stop the others; its callbacks are tried again.
            logger.warning("callback reminder not sent (%d callbacks)", len(callbacks))
            continue
        sent += 1
        reminded.update(c.pk for c in callbacks)
    Callback.objects.filter(pk__in=reminded).update(reminded_at=now)
    logger.info("callback reminders: %d e-mails for %d callbacks", sent, len(overdue))
    from pouls.chain import after_overdue  # chain imports this module

    after_overdue(overdue)
    return sent


def do_create_followup(user: Any, callback: Callback) -> Any:
    """A single-use invitation to the newest open survey of the callback's store, tied to
    the callback (its answer carries the same customer reference); None without one."""
    from pouls.surveys.models import Invitation, SurveyLink

    if not can_log(user, callback):
        raise PermissionDenied
    link = (
        SurveyLink.objects.filter(
            perimeter_id=callback.perimeter_id, person__isnull=True, survey__is_open=True
        )
        .order_by("-survey__created_at")
        .first()
    )
    if link is None:
        return None
    return Invitation.objects.create(link=link, perimeter_id=link.perimeter_id, callback=callback)
