"""Background tasks of the feedback app (Django Tasks API, database backend by default)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from pouls.chain import after_import
from pouls.feedback.importers.mapping import MappingError
from pouls.feedback.importers.pipeline import (
    IMPORT_LEASE_TTL,
    ImportBusy,
    do_import_feedback,
    import_lease,
)
from pouls.feedback.importers.readers import FileRejected
from pouls.feedback.models import Import
from pouls.ops import leases

logger = logging.getLogger(__name__)

ABANDONED = (
    "Import interrompu (le processus qui le faisait s'est arrêté) et fichier introuvable : "
    "les lignes comptées ci-dessus sont importées ; importez de nouveau le fichier pour "
    "terminer (les lignes déjà importées seront comptées comme doublons)."
)


@task()
def import_feedback_file(import_code: str, path: str, holder: str = "") -> dict[str, int]:
    """Run an uploaded import, or go on with one a dead worker left running (``holder``: the
    lease holder id given by ``resume_stale_imports``). Idempotent: an import already done
    or run by a live process is left alone, and rows committed before are not read again.

    The upload is deleted when the import ends (done or failed); a process killed mid-way
    (SIGKILL, or an interruption that is not an error) leaves it for the worker that takes
    the import back."""
    batch = Import.objects.select_related("perimeter", "created_by").get(code=import_code)
    if batch.status in (Import.Status.DONE, Import.Status.FAILED):
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
            holder=holder or None,
        )
    except ImportBusy:
        # Another worker runs it (it took the import back): its run deletes the upload.
        logger.info("import task %s: run by another worker", import_code)
        return _counts(batch)
    except (FileRejected, MappingError) as exc:
        _fail(batch, str(exc))
    except Exception:
        # Whatever went wrong, the page must not wait for ever: the import is marked failed
        # (rows already stored stay, and their counts still add up) and an operator is told.
        logger.exception("import task %s crashed", import_code)
        _fail(batch, "Erreur inattendue pendant l'import : l'administrateur a été prévenu.")
    # Not in a ``finally``: an interrupted import keeps its upload to be taken back.
    _drop_upload(batch, Path(path))
    logger.info("import task %s finished with status %s", import_code, batch.status)
    batch.refresh_from_db()
    after_import(batch)
    return _counts(batch)


def resume_stale_imports() -> list[str]:
    """Take back the imports left « running » by a dead process (their lease expired): each
    is queued again under a lease taken here, so that two workers checking at once queue it
    once; one whose upload is gone (a CLI import, a lost file) is marked failed, counts
    kept. Returns the codes queued. Run when `pouls worker` starts and each minute after."""
    queued = []
    for batch in Import.objects.filter(status=Import.Status.RUNNING):
        holder = leases.new_holder()
        # Long enough for the queue to reach the task, which renews it under the same holder.
        if not leases.acquire(import_lease(batch), holder, IMPORT_LEASE_TTL * 3):
            continue  # alive elsewhere, or already taken back
        path = settings.UPLOAD_DIR / batch.upload_name if batch.upload_name else None
        if path is None or not path.is_file():
            _fail(batch, ABANDONED)
            _drop_upload(batch, path)
            leases.release(import_lease(batch), holder)
            logger.warning("import %s abandoned: its process died, no upload left", batch.code)
            continue
        import_feedback_file.enqueue(str(batch.code), str(path), holder)
        queued.append(str(batch.code))
        logger.warning("import %s taken back at record %d", batch.code, batch.position)
    return queued


def _drop_upload(batch: Import, path: Path | None) -> None:
    # The upload holds raw personal data: only its pseudonymised result is kept.
    if path is not None:
        path.unlink(missing_ok=True)
    Import.objects.filter(pk=batch.pk).update(upload_name="")
    batch.upload_name = ""


def _fail(batch: Import, message: str) -> None:
    batch.status = Import.Status.FAILED
    batch.message = message
    batch.finished_at = timezone.now()
    batch.save(update_fields=["status", "message", "finished_at"])


@task()
def purge_personal_data() -> int:
    """Delete callback contacts past their retention, unconfirmed uploads and orphan
    uploads (files no import waits for); how many."""
    from pouls.feedback.actions import (
        do_purge_expired_contacts,
        do_purge_orphan_uploads,
        do_purge_stale_uploads,
    )

    return do_purge_expired_contacts() + do_purge_stale_uploads() + do_purge_orphan_uploads()


def _counts(batch: Import) -> dict[str, int]:
    return {
        "read": batch.read,
        "accepted": batch.accepted,
        "quarantined": batch.quarantined,
        "duplicates": batch.duplicates,
    }
