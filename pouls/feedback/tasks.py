"""Background tasks of the feedback app (Django Tasks API, database backend by default)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from django.utils import timezone
from django_tasks import task

from pouls.chain import after_import
from pouls.feedback.importers.mapping import MappingError
from pouls.feedback.importers.pipeline import do_import_feedback
from pouls.feedback.importers.readers import FileRejected
from pouls.feedback.models import Import

logger = logging.getLogger(__name__)


@task()
def import_feedback_file(import_code: str, path: str) -> dict[str, int]:
    """Run an uploaded import; idempotent: an import already done is not run again, and
    re-importing rows is harmless anyway (duplicates are detected)."""
    batch = Import.objects.select_related("perimeter", "created_by").get(code=import_code)
    if batch.status == Import.Status.DONE:
        return _counts(batch)
    mapping: dict[str, Any] = batch.mapping or {}
    try:
        do_import_feedback(
            Path(path),
            root=batch.perimeter,
            user=batch.created_by,
            preset=batch.preset or None,
            mapping=mapping or None,
            batch=batch,
        )
    except (FileRejected, MappingError) as exc:
        _fail(batch, str(exc))
    except Exception:
        # Whatever went wrong, the page must not wait for ever: the import is marked failed
        # (rows already stored stay, and their counts still add up) and an operator is told.
        logger.exception("import task %s crashed", import_code)
        _fail(batch, "Erreur inattendue pendant l'import : l'administrateur a été prévenu.")
    finally:
        # The upload holds raw personal data: only its pseudonymised result is kept.
        Path(path).unlink(missing_ok=True)
        Import.objects.filter(pk=batch.pk).update(upload_name="")
    logger.info("import task %s finished with status %s", import_code, batch.status)
    batch.refresh_from_db()
    after_import(batch)
    return _counts(batch)


def _fail(batch: Import, message: str) -> None:
    batch.status = Import.Status.FAILED
    batch.message = message
    batch.finished_at = timezone.now()
    batch.save(update_fields=["status", "message", "finished_at"])


@task()
def purge_personal_data() -> int:
    """Delete callback contacts past their retention and unconfirmed uploads; how many."""
    from pouls.feedback.actions import do_purge_expired_contacts, do_purge_stale_uploads

    return do_purge_expired_contacts() + do_purge_stale_uploads()


def _counts(batch: Import) -> dict[str, int]:
    return {
        "read": batch.read,
        "accepted": batch.accepted,
        "quarantined": batch.quarantined,
        "duplicates": batch.duplicates,
    }
