"""The one import action used by the CLI and the web: read, map, validate, pseudonymise,
de-duplicate, store, and quarantine what cannot be stored, with the reason for each row.

Every row read ends in exactly one bucket (accepted, quarantined, duplicate), so the identity
``read = accepted + quarantined + duplicates`` holds by construction (and a database
constraint checks it on the Import row).
"""

from __future__ import annotations

import hashlib
import logging
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from pouls.feedback.importers.letters import read_letters
from pouls.feedback.importers.mail import MailRule, read_mail
from pouls.feedback.importers.mapping import ColumnMapping, load_mapping, resolve
from pouls.feedback.importers.prepare import Candidate, Prepared, make_context, prepare_chunk
from pouls.feedback.importers.readers import RawRow, Table, open_table
from pouls.feedback.importers.store import (
    existing_keys,
    insert_feedback,
    store_contacts,
    widen_sqlite_cache,
)
from pouls.feedback.importers.workers import PARALLEL_MIN_BYTES, WORKERS, chunk_preparer
from pouls.feedback.models import Feedback, Import, QuarantinedRow
from pouls.lib import privacy
from pouls.org.models import Perimeter

logger = logging.getLogger(__name__)

# Rows per chunk handed to a worker, and chunks per transaction. On SQLite a commit writes
# every page the transaction touched, and rows land all over the (perimeter, date) and
# source-id indexes: with a commit per 1,000 rows a million-row import wrote gigabytes
# (measured), far fewer with 50,000. Memory stays bounded: at most
# CHUNKS_PER_COMMIT + 2 x workers chunks are in flight.
CHUNK = 5000
CHUNKS_PER_COMMIT = 10

Progress = Callable[[int], None]


@dataclass(slots=True)
class Summary:
    read: int = 0
    accepted: int = 0
    quarantined: int = 0
    duplicates: int = 0
    code: str = ""
    reasons: dict[str, int] = field(default_factory=dict)  # message kind -> rows

    def add_reasons(self, reasons: list[dict[str, str]]) -> None:
        for reason in reasons:
            self.reasons[reason["field"]] = self.reasons.get(reason["field"], 0) + 1


def do_import_feedback(
    path: Path,
    *,
    root: Perimeter,
    user: Any = None,
    preset: str | None = None,
    mapping: Path | dict[str, Any] | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
    batch: Import | None = None,
) -> Summary:
    """Import a file of feedback into ``root`` and below.

    Steps: load the mapping and open the file (whole-file problems raise ``FileRejected`` or
    ``MappingError``); match it to the header; then per chunk of rows: validate each row,
    pseudonymise the texts, drop duplicates (within the file and against the database),
    store the rest and quarantine the rejects, saving the counts after each chunk so that
    the web page can show the progress. ``user`` None means a trusted context (CLI, task).
    """
    column_mapping = load_mapping(mapping, preset=preset)
    table = open_table(path, header_rows=column_mapping.header_rows)
    record = mapping if isinstance(mapping, dict) else {}
    return _run(
        table,
        column_mapping,
        path,
        root=root,
        user=user,
        preset=preset,
        record=record,
        dry_run=dry_run,
        progress=progress,
        batch=batch,
    )


MAIL_MAPPING: dict[str, Any] = {
    "columns": {
        "received_at": "date",
        "customer": "from",
        "source_id": "message_id",
        "text": "text",
        "perimeter": "perimeter",
    },
    "defaults": {"source_kind": "email", "channel": "email"},
}


def do_import_mail(
    path: Path,
    *,
    root: Perimeter,
    rules: list[MailRule],
    user: Any = None,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> Summary:
    """Import .eml files, mbox archives or a folder of them, as e-mail feedback."""
    table = read_mail(path, rules, default_perimeter=root.ref)
    column_mapping = load_mapping(MAIL_MAPPING)
    return _run(
        table,
        column_mapping,
        path,
        root=root,
        user=user,
        preset=None,
        record={},
        dry_run=dry_run,
        progress=progress,
        batch=None,
        kind=Import.Kind.MAIL,
    )


LETTER_MAPPING: dict[str, Any] = {
    "columns": {
        "received_at": "date",
        "source_id": "letter_id",
        "text": "text",
        "perimeter": "perimeter",
    },
    "defaults": {"source_kind": "letter", "channel": "mail"},
}


def do_import_letters(
    path: Path,
    *,
    root: Perimeter,
    user: Any = None,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> Summary:
    """Import letters transcribed as .txt files (a folder of them, or one file) into ``root``."""
    table = read_letters(path, default_perimeter=root.ref)
    return _run(
        table,
        load_mapping(LETTER_MAPPING),
        path,
        root=root,
        user=user,
        preset=None,
        record={},
        dry_run=dry_run,
        progress=progress,
        batch=None,
        kind=Import.Kind.MAIL,
    )


def _run(
    table: Table,
    column_mapping: ColumnMapping,
    path: Path,
    *,
    root: Perimeter,
    user: Any,
    preset: str | None,
    record: dict[str, Any],
    dry_run: bool,
    progress: Progress | None,
    batch: Import | None,
    kind: str = Import.Kind.FEEDBACK,
) -> Summary:
    """The shared import loop; ``record`` is the mapping as the user gave it (kept for
    re-processing the quarantine)."""
    context = make_context(resolve(column_mapping, table.header), root, user)
    widen_sqlite_cache()
    if batch is None and not dry_run:
        batch = Import.objects.create(
            perimeter=root,
            created_by=user if user is not None and user.pk else None,
            file_name=path.name[:255],
            file_sha256=_sha256(path) if path.is_file() else "",
            preset=preset or "",
            mapping=record,
            kind=kind,
        )
    if batch is not None:
        batch.status = Import.Status.RUNNING
        batch.save(update_fields=["status"])
    summary = Summary(code=str(batch.code) if batch else "")
    rows = islice(table.rows, column_mapping.skip_rows, None)
    seen: set[str] = set()
    pending: deque[Future[Prepared]] = deque()

    def finish(items: list[Future[Prepared]]) -> None:
        # One transaction, counts included (the web page shows them as progress).
        with transaction.atomic():
            for item in items:
                if batch is not None:
                    # Earlier chunks are in the database (this transaction sees them),
                    # where the duplicate check finds them: keeping only this chunk's keys
                    # keeps memory flat in the file size.
                    seen.clear()
                _store_chunk(item.result(), batch, seen, summary, dry_run)
            if batch is not None:
                _save_counts(batch, summary)
        if progress is not None:
            progress(summary.read)

    parallel = path.is_file() and path.stat().st_size > PARALLEL_MIN_BYTES
    with chunk_preparer(context, parallel=parallel) as prepare:
        for chunk in _chunks(rows, CHUNK):
            # Chunks are validated and pseudonymised (by worker processes for big files)
            # while this process stores the earlier ones, in order; a few chunks in flight
            # per worker keep them busy.
            pending.append(prepare(chunk))
            if len(pending) >= CHUNKS_PER_COMMIT + 2 * WORKERS:
                finish([pending.popleft() for _ in range(CHUNKS_PER_COMMIT)])
        while pending:
            finish([pending.popleft() for _ in range(min(CHUNKS_PER_COMMIT, len(pending)))])
    if batch is not None:
        batch.status = Import.Status.DONE
        batch.finished_at = timezone.now()
        batch.save(update_fields=["status", "finished_at"])
    if summary.accepted and not dry_run:
        _request_analysis()
    logger.info(
        "import %s: read=%s accepted=%s quarantined=%s duplicates=%s",
        summary.code,
        summary.read,
        summary.accepted,
        summary.quarantined,
        summary.duplicates,
    )
    return summary


def do_reprocess_quarantine(batch: Import, mapping: dict[str, Any], *, user: Any = None) -> Summary:
    """Validate the unresolved rows of ``batch`` again with a corrected mapping; rows that
    pass are stored (or counted as duplicates) and leave the quarantine. The import's
    counts move accordingly, so its identity still holds. The correction is applied on top
    of the mapping the import used (columns and defaults merged key by key)."""
    used = batch.mapping or {}
    mapping = {
        **used,
        **mapping,
        "columns": {**used.get("columns", {}), **mapping.get("columns", {})},
        "defaults": {**used.get("defaults", {}), **mapping.get("defaults", {})},
    }
    column_mapping = load_mapping(mapping, preset=batch.preset or None)
    pending = list(batch.quarantine.filter(resolved_at__isnull=True).order_by("row_number"))
    header = list(dict.fromkeys(k for q in pending for k in q.raw))
    summary = Summary(code=str(batch.code))
    if not pending:
        return summary
    context = make_context(resolve(column_mapping, header), batch.perimeter, user)
    by_number = {q.row_number: q for q in pending}
    rows = [RawRow(q.row_number, dict(q.raw)) for q in pending]
    seen: set[str] = set()
    with transaction.atomic():
        for chunk in _chunks(iter(rows), CHUNK):
            prepared = prepare_chunk(context, chunk)
            for reject in prepared.rejects:
                summary.add_reasons(reject.reasons)
            fresh = _drop_duplicates(prepared.candidates, seen, summary)
            summary.accepted += len(fresh)
            _insert(fresh, batch)
            passed = [by_number[c.number].pk for c in prepared.candidates]
            QuarantinedRow.objects.filter(pk__in=passed).update(resolved_at=timezone.now())
        batch.quarantined -= summary.accepted + summary.duplicates
        batch.accepted += summary.accepted
        batch.duplicates += summary.duplicates
        batch.mapping = mapping
        batch.save(update_fields=["quarantined", "accepted", "duplicates", "mapping"])
    if summary.accepted:
        _request_analysis()
    return summary


def store_answer(feedback: Feedback, *, key: str, contact: str = "") -> Feedback | None:
    """Store one answer given outside a file (a survey form) through the steps of an import:
    pseudonymise its text, drop it when ``key`` was already stored (a duplicate), store it
    and its contact details apart with the same retention, and queue the analysis. Returns
    the stored row, or None for a duplicate (also when a concurrent request stored the same
    key first: the unique constraint on (source_kind, source_id) decides)."""
    feedback.source_id = key[:200]
    feedback.text = privacy.pseudonymise([feedback.text])[0] if feedback.text else ""
    try:
        with transaction.atomic():
            if existing_keys([(feedback.source_kind, feedback.source_id)]):
                return None
            feedback.save()
            if contact and feedback.callback_consent:
                store_contacts(
                    [
                        (
                            {
                                "id": feedback.pk,
                                "perimeter_id": feedback.perimeter_id,
                                "callback_consent": True,
                            },
                            contact,
                        )
                    ]
                )
    except IntegrityError:
        return None
    _request_analysis()
    return feedback


def _request_analysis() -> None:
    from pouls.chain import request_analysis

    request_analysis()


def _save_counts(batch: Import, summary: Summary) -> None:
    batch.read, batch.accepted = summary.read, summary.accepted
    batch.quarantined, batch.duplicates = summary.quarantined, summary.duplicates
    batch.save(update_fields=["read", "accepted", "quarantined", "duplicates"])


def _chunks(rows: Iterator[RawRow], size: int) -> Iterator[list[RawRow]]:
    while chunk := list(islice(rows, size)):
        yield chunk


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _store_chunk(
    item: Prepared, batch: Import | None, seen: set[str], summary: Summary, dry_run: bool
) -> None:
    fresh = _drop_duplicates(item.candidates, seen, summary)
    for reject in item.rejects:
        summary.add_reasons(reject.reasons)
    # Counted when stored, so the saved counts always add up (read = the three buckets).
    summary.read += item.size
    summary.accepted += len(fresh)
    summary.quarantined += len(item.rejects)
    if dry_run or batch is None:
        return
    _insert(fresh, batch)
    QuarantinedRow.objects.bulk_create(
        [
            QuarantinedRow(
                batch=batch,
                perimeter=batch.perimeter,
                row_number=r.number,
                raw=r.raw,
                reasons=r.reasons,
            )
            for r in item.rejects
        ],
        batch_size=500,
    )


def _insert(fresh: list[Candidate], batch: Import) -> None:
    for candidate in fresh:
        candidate.values["batch_id"] = batch.pk
    insert_feedback([c.values for c in fresh])
    store_contacts((c.values, c.contact) for c in fresh)


def _drop_duplicates(
    candidates: list[Candidate], seen: set[str], summary: Summary
) -> list[Candidate]:
    existing = existing_keys((c.values["source_kind"], c.key) for c in candidates)
    fresh = []
    for c in candidates:
        kind = c.values["source_kind"]
        marker = f"{kind}|{c.key}"
        if marker in seen or (kind, c.key) in existing:
            summary.duplicates += 1
            continue
        seen.add(marker)
        fresh.append(c)
    return fresh
