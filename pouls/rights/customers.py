"""Customers' rights (GDPR art. 15 access and art. 17 erasure) and the retention purge.

A customer gives an e-mail or a phone number; Pouls never stored it in clear next to their
feedback, only its keyed reference (``lib.privacy.customer_ref``), so the lookup hashes the
ways the same identity may have been typed and matches those references, the encrypted
contacts (opened in memory) and the texts that still quote it. Every query is limited to the
perimeters where the user is an admin.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from pouls.callbacks.models import Callback, CallLog
from pouls.feedback.models import CallbackContact, Feedback, QuarantinedRow
from pouls.lib import privacy
from pouls.surveys.models import Invitation

_NOT_DIGIT = re.compile(r"\D")


def identity_variants(identity: str) -> list[str]:
    """The ways one e-mail or phone number may have been written in a file or a form.

    ``customer_ref`` already ignores case and extra spaces; a phone number is also tried
    without separators, in pairs with spaces or dots, and in international form (+33, 0033).
    """
    given = " ".join(identity.strip().split())
    if not given:
        return []
    variants = [given, given.lower()]
    if "@" in given:
        return list(dict.fromkeys(variants))
    digits = _NOT_DIGIT.sub("", given)
    if len(digits) < 6:
        return list(dict.fromkeys(variants))
    if digits.startswith("0033"):
        national = "0" + digits[4:]
    elif digits.startswith("33") and given.lstrip().startswith("+"):
        national = "0" + digits[2:]
    else:
        national = digits
    forms = [digits, national]
    if national.startswith("0") and len(national) == 10:
        pairs = [national[i : i + 2] for i in range(0, 10, 2)]
        rest = national[1:]
        spaced_rest = " ".join([rest[0]] + [rest[i : i + 2] for i in range(1, 9, 2)])
        forms += [
            " ".join(pairs),
            ".".join(pairs),
            "-".join(pairs),
            "/".join(pairs),
            "+33" + rest,
            "+33 " + spaced_rest,
            "0033" + rest,
            "(0)" + rest,
            "+33 (0)" + spaced_rest,
        ]
    return list(dict.fromkeys(variants + forms))


def _same_identity(contact: str, variants: set[str]) -> bool:
    return " ".join(contact.strip().lower().split()) in variants


@dataclass
class CustomerData:
    """Everything found for one customer inside the admin's scope."""

    references: list[str]
    feedback: list[Feedback] = field(default_factory=list)
    contacts: list[CallbackContact] = field(default_factory=list)
    callbacks: list[Callback] = field(default_factory=list)
    call_logs: list[CallLog] = field(default_factory=list)
    quarantine: list[QuarantinedRow] = field(default_factory=list)
    invitations: list[Invitation] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(
            len(rows)
            for rows in (
                self.feedback,
                self.contacts,
                self.callbacks,
                self.call_logs,
                self.quarantine,
                self.invitations,
            )
        )


def _scoped(model: Any, user: Any) -> Any:
    """The rows of ``model`` in ``user``'s admin scope; ``user`` None is the operator at the
    command line (``pouls manage customer_data``), who answers for the whole organisation."""
    if user is None:
        return model.objects.all()
    return model.objects.for_user(user, "admin")


def find_customer_data(user: Any, identity: str, *, secret: str | None = None) -> CustomerData:
    """Everything Pouls holds about the person behind ``identity`` (an e-mail or a phone
    number), in the perimeters where ``user`` is an admin (``user`` None: everywhere)."""
    variants = identity_variants(identity)
    lowered = {v.lower() for v in variants}
    refs = sorted({privacy.customer_ref(v, secret=secret) for v in variants})
    data = CustomerData(references=refs)
    if not variants:
        return data
    # Texts that still quote the identity (a miss of the pseudonymiser, a note) count too;
    # only the longer written forms, so that a short number never matches an unrelated text.
    quoted = [v for v in variants if len(v) >= 8]
    mentions = Q()
    for value in quoted:
        mentions |= Q(text__icontains=value)
    feedback = _scoped(Feedback, user).filter(Q(customer_ref__in=refs) | mentions)
    contacts = [
        c
        for c in _scoped(CallbackContact, user).select_related("feedback")
        if c.feedback.customer_ref in refs or _same_identity(c.contact, lowered)
    ]
    feedback_ids = set(feedback.values_list("pk", flat=True)) | {c.feedback_id for c in contacts}
    data.feedback = list(
        _scoped(Feedback, user)
        .filter(pk__in=feedback_ids)
        .select_related("perimeter")
        .order_by("received_at", "pk")
    )
    data.contacts = contacts
    data.callbacks = list(
        _scoped(Callback, user).filter(feedback_id__in=feedback_ids).order_by("created_at", "pk")
    )
    notes = Q()
    for value in quoted:
        notes |= Q(note__icontains=value)
    data.call_logs = list(
        _scoped(CallLog, user)
        .filter(Q(callback__feedback_id__in=feedback_ids) | notes)
        .order_by("created_at", "pk")
    )
    in_raw = Q()
    for value in [f"hmac:{ref}" for ref in refs] + quoted:
        in_raw |= Q(raw__icontains=value)
    data.quarantine = list(
        _scoped(QuarantinedRow, user).filter(in_raw).select_related("batch").order_by("pk")
    )
    data.invitations = list(
        _scoped(Invitation, user).filter(callback__feedback_id__in=feedback_ids).order_by("pk")
    )
    return data


def export_rows(data: CustomerData) -> dict[str, list[dict[str, Any]]]:
    """What the customer is given (art. 15): every row found, one list per kind, in plain
    values (no internal ids beyond public codes)."""

    def day(value: dt.datetime | None) -> str:
        return value.isoformat() if value else ""

    return {
        "retours": [
            {
                "code": str(f.code),
                "recu_le": day(f.received_at),
                "perimetre": f.perimeter.name,
                "canal": f.channel,
                "source": f.source_kind,
                "nps": f.nps,
                "csat": f.csat,
                "ces": f.ces,
                "texte": f.text,
                "accepte_rappel": f.callback_consent,
            }
            for f in data.feedback
        ],
        "coordonnees": [
            {
                "retour": str(c.feedback.code),
                "coordonnees": c.contact,
                "expire_le": day(c.expires_at),
            }
            for c in data.contacts
        ],
        "rappels": [
            {
                "code": str(c.code),
                "entre_le": day(c.created_at),
                "clos_le": day(c.closed_at),
                "issue": c.outcome,
            }
            for c in data.callbacks
        ],
        "appels": [
            {"le": day(log.created_at), "issue": log.outcome, "note": log.note}
            for log in data.call_logs
        ],
        "quarantaine": [
            {"import": q.batch.file_name, "ligne": q.row_number, "contenu": q.raw}
            for q in data.quarantine
        ],
        "invitations": [
            {"creee_le": day(i.created_at), "utilisee_le": day(i.used_at)} for i in data.invitations
        ],
    }


def export_json(data: CustomerData) -> str:
    return json.dumps(export_rows(data), ensure_ascii=False, indent=2, default=str)


def export_csv_rows(data: CustomerData) -> list[list[str]]:
    """One line per row found: its kind, then its fields as « name: value » pairs."""
    lines = [["type", "contenu"]]
    for kind, rows in export_rows(data).items():
        for row in rows:
            lines.append([kind, json.dumps(row, ensure_ascii=False, default=str, sort_keys=True)])
    return lines


@dataclass(frozen=True, slots=True)
class Erased:
    feedback: int
    contacts: int
    callbacks: int
    call_logs: int
    quarantine: int
    invitations: int
    periods_refreshed: int


def do_erase_customer(user: Any, identity: str, *, secret: str | None = None) -> Erased:
    """Erase everything found for ``identity`` in ``user``'s admin scope (art. 17): the
    feedback (with its analysis, callback, calls and contact), quarantined rows and the
    follow-up invitations; refresh the rollups of the days concerned; leave an audit line
    with counts only (never the identity nor its keyed reference)."""
    from pouls.chain import after_erasure
    from pouls.lib.audit import do_audit

    with transaction.atomic():
        data = find_customer_data(user, identity, secret=secret)
        days = {timezone.localdate(f.received_at) for f in data.feedback}
        feedback_ids = [f.pk for f in data.feedback]
        call_logs = CallLog.objects.filter(pk__in=[log.pk for log in data.call_logs])
        # A call note quoting the customer on another customer's callback: blank the note only.
        call_logs.exclude(callback__feedback_id__in=feedback_ids).update(note="")
        call_logs.filter(callback__feedback_id__in=feedback_ids).delete()
        Invitation.objects.filter(pk__in=[i.pk for i in data.invitations]).delete()
        CallbackContact.objects.filter(pk__in=[c.pk for c in data.contacts]).delete()
        Feedback.objects.filter(pk__in=feedback_ids).delete()  # cascades analysis, callback
        QuarantinedRow.objects.filter(pk__in=[q.pk for q in data.quarantine]).delete()
        erased = Erased(
            feedback=len(data.feedback),
            contacts=len(data.contacts),
            callbacks=len(data.callbacks),
            call_logs=len(data.call_logs),
            quarantine=len(data.quarantine),
            invitations=len(data.invitations),
            periods_refreshed=0,
        )
        do_audit(
            user,
            "erasure",
            target="client",
            detail={"kind": "customer", "count": erased.feedback, "rows": data.total},
        )
    return dataclasses.replace(erased, periods_refreshed=after_erasure(days))


@dataclass(frozen=True, slots=True)
class Purged:
    texts: int
    contacts: int
    quarantine: int
    call_notes: int


def retention_cutoff(now: dt.datetime | None = None) -> dt.datetime:
    """``POULS_RETENTION_MONTHS`` months before ``now`` (same day of the month, clamped)."""
    now = now or timezone.now()
    months = settings.POULS_RETENTION_MONTHS
    year, month = divmod(now.month - 1 - months, 12)
    year, month = now.year + year, month + 1
    for day in range(now.day, 27, -1):
        try:
            return now.replace(year=year, month=month, day=day)
        except ValueError:
            continue
    return now.replace(year=year, month=month, day=min(now.day, 28))


def do_purge_old_personal_data(now: dt.datetime | None = None) -> Purged:
    """Storage limitation: free texts, contacts, quarantined rows and call notes older than
    ``POULS_RETENTION_MONTHS``. The scores and their analysis stay (no text, no contact)."""
    cutoff = retention_cutoff(now)
    with transaction.atomic():
        old = Feedback.objects.filter(received_at__lt=cutoff)
        contacts, _ = CallbackContact.objects.filter(feedback__received_at__lt=cutoff).delete()
        texts = old.exclude(text="").update(text="")
        quarantine, _ = QuarantinedRow.objects.filter(batch__created_at__lt=cutoff).delete()
        notes = CallLog.objects.filter(created_at__lt=cutoff).exclude(note="").update(note="")
    return Purged(texts=texts, contacts=contacts, quarantine=quarantine, call_notes=notes)
