"""Writes of the feedback app."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from pouls.feedback.models import CallbackContact, Feedback
from pouls.lib import privacy
from pouls.lib.audit import do_audit
from pouls.org.models import Perimeter, Person


def do_file_field_report(
    user: Any,
    *,
    perimeter: Perimeter,
    category: str,
    text: str,
    department: Perimeter | None = None,
) -> Feedback:
    """Store a field report, pseudonymised, in the addressed department or the sender's
    perimeter. The form has already restricted ``perimeter`` to the sender's scope; a report
    sent to a department lands in the department's scope, not the sender's."""
    from pouls.chain import request_analysis

    person = Person.objects.filter(user=user).first()
    report = Feedback.objects.create(
        perimeter=department or perimeter,
        person=person,
        source_kind=Feedback.SourceKind.FIELD_REPORT,
        channel=Feedback.Channel.STORE,
        received_at=timezone.now(),
        category=category,
        text=privacy.pseudonymise([text.strip()])[0],
    )
    request_analysis()
    return report


def do_purge_expired_contacts() -> int:
    """Delete contact details whose retention period is over (GDPR storage limitation)."""
    deleted, _ = CallbackContact.objects.filter(expires_at__lte=timezone.now()).delete()
    if deleted:
        do_audit(None, "erasure", detail={"kind": "callback_contacts", "count": deleted})
    return deleted


STALE_UPLOAD = dt.timedelta(days=1)


def do_purge_stale_uploads() -> int:
    """Delete uploads whose column mapping was never confirmed (raw files hold personal data)
    and mark their imports failed; returns how many."""
    from django.conf import settings

    from pouls.feedback.models import Import

    stale = Import.objects.filter(
        status=Import.Status.PENDING, created_at__lte=timezone.now() - STALE_UPLOAD
    ).exclude(upload_name="")
    count = 0
    for batch in stale:
        (settings.UPLOAD_DIR / batch.upload_name).unlink(missing_ok=True)
        batch.status, batch.upload_name = Import.Status.FAILED, ""
        batch.message = "Correspondance jamais confirmée : le fichier a été supprimé."
        batch.save(update_fields=["status", "upload_name", "message"])
        count += 1
    return count
