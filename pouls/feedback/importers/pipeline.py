"""The one import action used by the CLI and the web: read, map, validate, pseudonymise,
de-duplicate, store, and quarantine what cannot be stored, with the reason for each row.

Every row read ends in exactly one bucket (accepted, quarantined, duplicate), so the identity
``read = accepted + quarantined + duplicates`` holds by construction (and a database
constraint checks it on the Import row).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass, field
from itertools import chain, islice
from pathlib import Path
from typing import Any

from django.db import IntegrityError, connections, router, transaction
from django.utils import timezone

from pouls.feedback.changes import record_days
from pouls.feedback.importers import values as V
from pouls.feedback.importers.letters import read_letters
from pouls.feedback.importers.mail import MailRule, read_mail
from pouls.feedback.importers.mapping import ColumnMapping, Resolved, load_mapping, resolve
from pouls.feedback.importers.prepare import (
    Candidate,
    Context,
    Prepared,
    Reject,
    fingerprint,
    make_context,
    prepare_chunk,
)
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
from pouls.ops import leases
from pouls.org.models import Perimeter

logger = logging.getLogger(__name__)

# Rows per chunk handed to a worker, and chunks per transaction. On SQLite a commit writes
# every page the transaction touched, and rows land all over the (perimeter, date) and
# source-id indexes: with a commit per 1,000 rows a million-row import wrote gigabytes
# (measured), far fewer with 50,000. Memory stays bounded: at most
# CHUNKS_PER_COMMIT + 2 x workers chunks are in flight.
CHUNK = 5000
CHUNKS_PER_COMMIT = 10
# SQLite has one writer at a time: a transaction of 50,000 rows held the lock for seconds
# while logins and survey answers waited (benchmarks/writes_under_import.py); 10,000 rows.
SQLITE_CHUNKS_PER_COMMIT = 2
# A running import holds the lease ``import:<code>`` and renews it at each commit (every
# CHUNKS_PER_COMMIT chunks, seconds apart): once it has expired, the worker that ran the
# import is gone and the next worker takes the import back from its position.
IMPORT_LEASE_TTL = dt.timedelta(minutes=3)


class ImportBusy(Exception):
    """Another process runs this import (it holds its lease)."""


def import_lease(batch: Import) -> str:
    return f"import:{batch.code}"


Progress = Callable[[int], None]


@dataclass(slots=True)
class Summary:
    """Counts of an import, in records (rows of the file) and in physical lines: a record
    may span several lines (a quoted line break), and blank lines are no record.
    ``lines = lines_accepted + lines_quarantined + lines_duplicates + blank_lines``."""

    read: int = 0
    accepted: int = 0
    quarantined: int = 0
    duplicates: int = 0
    code: str = ""
    reasons: dict[str, int] = field(default_factory=dict)  # message kind -> rows
    lines: int = 0
    lines_accepted: int = 0
    lines_quarantined: int = 0
    lines_duplicates: int = 0
    blank_lines: int = 0
    notes: list[str] = field(default_factory=list)  # French sentences for the user

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
    survey: str | None = None,
    holder: str | None = None,
) -> Summary:
    """Import a file of feedback into ``root`` and below.

    Rows are de-duplicated within their source: the tool (``preset``) and the ``survey``
    (by default the perimeter imported into, so that two stores' exports numbered 1, 2, 3…
    never collide); name the survey to share a source between imports.

    Steps: load the mapping and open the file (whole-file problems raise ``FileRejected`` or
    ``MappingError``); match it to the header; then per chunk of rows: validate each row,
    pseudonymise the texts, drop duplicates (within the file and against the database),
    store the rest and quarantine the rejects, saving the counts after each chunk so that
    the web page can show the progress. ``user`` None means a trusted context (CLI, task).

    A ``batch`` left running by a dead process goes on from its saved position (the records
    committed before), with its saved counts; ``holder`` is the lease holder id to run it
    under (given by whoever took the import back), by default a new one.
    """
    column_mapping = load_mapping(mapping, preset=preset)
    plan = plan_file(path, column_mapping)
    record = mapping if isinstance(mapping, dict) else {}
    if batch is not None and batch.source:
        source = batch.source
    else:
        source = file_source(preset, survey, root)
    return _run(
        plan,
        path,
        source=source,
        root=root,
        user=user,
        preset=preset,
        record=record,
        dry_run=dry_run,
        progress=progress,
        batch=batch,
        holder=holder,
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
    return _run(
        plan_table(table, load_mapping(MAIL_MAPPING)),
        path,
        root=root,
        user=user,
        preset=None,
        record={},
        dry_run=dry_run,
        progress=progress,
        batch=None,
        source=MAIL_SOURCE,
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
        plan_table(table, load_mapping(LETTER_MAPPING)),
        path,
        root=root,
        user=user,
        preset=None,
        record={},
        dry_run=dry_run,
        progress=progress,
        batch=None,
        source=MAIL_SOURCE,
        kind=Import.Kind.MAIL,
    )


MAIL_SOURCE = "mail"


def file_source(preset: str | None, survey: str | None, root: Perimeter) -> str:
    """The source of a file's rows: its tool and its survey (else the perimeter)."""
    return f"{preset or 'fichier'}:{(survey or '').strip() or root.ref}"[:120]


def _run(
    plan: Plan,
    path: Path,
    *,
    root: Perimeter,
    user: Any,
    preset: str | None,
    record: dict[str, Any],
    dry_run: bool,
    progress: Progress | None,
    batch: Import | None,
    source: str,
    kind: str = Import.Kind.FEEDBACK,
    holder: str | None = None,
) -> Summary:
    """The shared import loop; ``record`` is the mapping as the user gave it (kept for
    re-processing the quarantine); ``source`` the source every row gets."""
    context = make_context(plan.resolved, root, user, day_first=plan.day_first, source=source)
    widen_sqlite_cache()
    if batch is None and not dry_run:
        batch = Import.objects.create(
            perimeter=root,
            created_by=user if user is not None and user.pk else None,
            file_name=path.name[:255],
            file_sha256=_sha256(path) if path.is_file() else "",
            preset=preset or "",
            source=source,
            mapping=record,
            kind=kind,
        )
    summary = Summary(code=str(batch.code) if batch else "", notes=list(plan.notes))
    rows = plan.table.rows
    lease = import_lease(batch) if batch is not None and not dry_run else ""
    holder = holder or leases.new_holder()
    if lease and batch is not None:
        if not leases.acquire(lease, holder, IMPORT_LEASE_TTL):
            raise ImportBusy(lease)
        if batch.status == Import.Status.RUNNING and batch.position:
            # Taken back from a dead process: what it committed stays, counted once.
            summary.read, summary.accepted = batch.read, batch.accepted
            summary.quarantined, summary.duplicates = batch.quarantined, batch.duplicates
            rows = islice(rows, batch.position, None)
            logger.info("import %s resumed at record %d", batch.code, batch.position)
        batch.status, batch.source = Import.Status.RUNNING, source
        batch.save(update_fields=["status", "source"])
    position = batch.position if batch is not None else 0
    seen: set[str] = set()
    pending: deque[Future[Prepared]] = deque()
    spans: deque[dict[int, int]] = deque()  # per pending chunk: row number -> lines

    def finish(items: list[Future[Prepared]]) -> None:
        nonlocal position
        if lease and not leases.acquire(lease, holder, IMPORT_LEASE_TTL):
            raise ImportBusy(lease)  # taken back by another worker: it goes on, not us
        # One transaction, counts and position included (the web page shows the counts as
        # progress; a worker taking the import back starts at the position).
        with transaction.atomic():
            for item in items:
                if batch is not None:
                    # Earlier chunks are in the database (this transaction sees them),
                    # where the duplicate check finds them: keeping only this chunk's keys
                    # keeps memory flat in the file size.
                    seen.clear()
                span = spans.popleft()
                position += len(span)
                _store_chunk(item.result(), span, batch, seen, summary, dry_run, context)
            if batch is not None:
                batch.position = position
                _save_counts(batch, summary)
        if progress is not None:
            progress(summary.read)

    parallel = path.is_file() and path.stat().st_size > PARALLEL_MIN_BYTES
    per_commit = CHUNKS_PER_COMMIT
    if connections[router.db_for_write(Feedback)].vendor == "sqlite":
        per_commit = min(per_commit, SQLITE_CHUNKS_PER_COMMIT)
    with chunk_preparer(context, parallel=parallel) as prepare:
        for chunk in _chunks(rows, CHUNK):
            # Chunks are validated and pseudonymised (by worker processes for big files)
            # while this process stores the earlier ones, in order; a few chunks in flight
            # per worker keep them busy.
            pending.append(prepare(chunk))
            spans.append({r.number: r.lines for r in chunk})
            if len(pending) >= per_commit + 2 * WORKERS:
                finish([pending.popleft() for _ in range(per_commit)])
        while pending:
            finish([pending.popleft() for _ in range(min(per_commit, len(pending)))])
    summary.lines, summary.blank_lines = plan.table.count.lines, plan.table.count.blank
    if batch is not None:
        batch.status = Import.Status.DONE
        batch.finished_at = timezone.now()
        batch.lines, batch.blank_lines, batch.notes = (
            summary.lines,
            summary.blank_lines,
            summary.notes,
        )
        batch.save(update_fields=["status", "finished_at", "lines", "blank_lines", "notes"])
    if lease:
        leases.release(lease, holder)
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
    of the mapping the import used (columns and defaults merged key by key), unless it is
    complete (``guess: false``, as the web form gives it)."""
    used = batch.mapping or {}
    if mapping.get("guess") is False:
        # A complete mapping (the web form's): a field it leaves out is unmapped.
        mapping = {**used, **mapping}
    else:
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
    raws = [q.raw for q in pending]
    resolved = resolve(column_mapping, header, sample=raws[:SAMPLE_ROWS])
    day_first, _ = date_order(column_mapping, resolved, lambda: iter(raws))
    if column_mapping.day_first is None and any(
        r["message"].startswith("date ambiguë") for q in pending for r in q.reasons
    ):
        # The file mixed both orders: the rows left are those only the whole file could
        # have settled, never to be guessed from the few that remain.
        day_first = None
    context = make_context(
        resolved, batch.perimeter, user, day_first=day_first, source=batch.source
    )
    by_number = {q.row_number: q for q in pending}
    rows = [RawRow(q.row_number, dict(q.raw)) for q in pending]
    seen: set[str] = set()
    with transaction.atomic():
        for chunk in _chunks(iter(rows), CHUNK):
            prepared = prepare_chunk(context, chunk)
            for reject in prepared.rejects:
                summary.add_reasons(reject.reasons)
            fresh, collisions = _drop_duplicates(prepared.candidates, seen, summary, context)
            stored = _insert(fresh, batch)
            summary.duplicates += len(fresh) - len(stored)  # stored meanwhile by another
            summary.accepted += len(stored)
            kept = {c.number for c in collisions}  # still colliding: stays in quarantine
            passed = [by_number[c.number].pk for c in prepared.candidates if c.number not in kept]
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
            if existing_keys([(feedback.source_kind, feedback.source, feedback.source_id)]):
                return None
            feedback.save()
            record_days([feedback.received_at])
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


SAMPLE_ROWS = 50  # rows whose values help recognise the columns


@dataclass(slots=True)
class Plan:
    """A file ready to import: its table (rows from the first data row), the columns
    matched to fields, the order of day and month to read dates with, and notes for the
    user (French) about what was inferred."""

    table: Table
    resolved: Resolved
    day_first: bool | None
    notes: list[str]


def plan_file(path: Path, column_mapping: ColumnMapping) -> Plan:
    """Open ``path``, recognise its columns from its header rows and first rows, and infer
    the order of its dates from every value of the date column (a second reading)."""

    def reopen() -> Table:
        return open_table(
            path, header_rows=column_mapping.header_rows, label_rows=column_mapping.label_rows
        )

    def dates() -> Iterator[dict[str, Any]]:
        table = reopen()
        return (r.values for r in islice(table.rows, column_mapping.skip_rows, None))

    return plan_table(reopen(), column_mapping, dates)


def plan_table(
    table: Table,
    column_mapping: ColumnMapping,
    dates: Callable[[], Iterator[dict[str, Any]]] | None = None,
) -> Plan:
    if column_mapping.skip_rows:
        # Rows the mapping says to ignore are not data: their lines are not counted.
        list(islice(table.rows, column_mapping.skip_rows))
        table.count.lines = table.count.blank = 0
    rows = table.rows
    sample = list(islice(rows, SAMPLE_ROWS))
    resolved = resolve(
        column_mapping,
        table.header,
        labels=table.labels,
        sample=[r.values for r in sample if not r.error],
    )
    table.rows = chain(sample, rows)
    day_first, notes = date_order(column_mapping, resolved, dates)
    return Plan(table, resolved, day_first, notes)


def date_order(
    column_mapping: ColumnMapping,
    resolved: Resolved,
    values: Callable[[], Iterator[dict[str, Any]]] | None,
) -> tuple[bool | None, list[str]]:
    """The order of day and month for the date column, and what the user is told of it."""
    if column_mapping.day_first is not None:
        return column_mapping.day_first, []
    columns = resolved.columns.get("received_at")
    if not columns or values is None:
        return True, []
    column = columns[0]
    order = V.infer_date_order(row.get(column) for row in values())
    return order.setting, [date_note(order)] if order != V.DateOrder() else []


def date_note(order: V.DateOrder) -> str:
    """What the import summary says about the order of day and month, in words."""
    if order.day_first and order.month_first:
        return (
            f"La colonne de dates mêle des dates jour/mois ({order.day_first}, comme 25/11) "
            f"et mois/jour ({order.month_first}, comme 11/25) : les dates qui se lisent "
            "dans les deux sens sont mises en quarantaine, jamais inversées."
        )
    if order.month_first:
        return (
            f"Dates lues au format mois/jour : {order.month_first} date(s) comme 11/25 ne se "
            "lisent que dans cet ordre."
        )
    if order.day_first:
        return (
            f"Dates lues au format jour/mois : {order.day_first} date(s) comme 25/11 ne se "
            "lisent que dans cet ordre."
        )
    return (
        f"Dates ambiguës : aucune des {order.ambiguous} dates en chiffres n'a de jour "
        "au-delà de 12, rien n'indique l'ordre du jour et du mois ; elles sont lues au format "
        "français jour/mois (05/06/2026 = 5 juin 2026)."
    )


def _request_analysis() -> None:
    from pouls.chain import request_analysis

    request_analysis()


def _save_counts(batch: Import, summary: Summary) -> None:
    batch.read, batch.accepted = summary.read, summary.accepted
    batch.quarantined, batch.duplicates = summary.quarantined, summary.duplicates
    batch.save(update_fields=["read", "accepted", "quarantined", "duplicates", "position"])


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
    item: Prepared,
    spans: dict[int, int],
    batch: Import | None,
    seen: set[str],
    summary: Summary,
    dry_run: bool,
    context: Context,
) -> None:
    fresh, collisions = _drop_duplicates(item.candidates, seen, summary, context)
    rejects = _drop_quarantined(item.rejects + collisions, seen, context.perimeters.root)
    if not dry_run and batch is not None:
        stored = _insert(fresh, batch)
        summary.duplicates += len(fresh) - len(stored)  # stored meanwhile by another import
        fresh = stored
    summary.duplicates += len(item.rejects) + len(collisions) - len(rejects)
    for reject in rejects:
        summary.add_reasons(reject.reasons)
    # Counted when stored, so the saved counts always add up (read = the three buckets).
    summary.read += item.size
    summary.accepted += len(fresh)
    summary.quarantined += len(rejects)
    accepted = sum(spans.get(c.number, 1) for c in fresh)
    quarantined = sum(spans.get(r.number, 1) for r in rejects)
    summary.lines_accepted += accepted
    summary.lines_quarantined += quarantined
    summary.lines_duplicates += sum(spans.values()) - accepted - quarantined
    if dry_run or batch is None:
        return
    QuarantinedRow.objects.bulk_create(
        [
            QuarantinedRow(
                batch=batch,
                perimeter=batch.perimeter,
                row_number=r.number,
                raw=r.raw,
                reasons=r.reasons,
                fingerprint=r.fingerprint,
            )
            for r in rejects
        ],
        batch_size=500,
    )


def _drop_quarantined(rejects: list[Reject], seen: set[str], root: Perimeter) -> list[Reject]:
    """The rejects not already quarantined by an import into the same perimeter (nor
    earlier in this file): a re-import does not fill the quarantine twice."""
    prints = [r.fingerprint for r in rejects if r.fingerprint]
    known = set(
        QuarantinedRow.objects.filter(perimeter=root, fingerprint__in=prints).values_list(
            "fingerprint", flat=True
        )
    )
    fresh = []
    for reject in rejects:
        marker = f"q|{reject.fingerprint}"
        if reject.fingerprint and (marker in seen or reject.fingerprint in known):
            continue
        seen.add(marker)
        fresh.append(reject)
    return fresh


def _insert(fresh: list[Candidate], batch: Import) -> list[Candidate]:
    """Store these candidates; returns those stored. A concurrent import (PostgreSQL) may
    have committed some of the same keys since the duplicate check: the unique constraint
    refuses the whole chunk, which is then stored row by row, and each refused row is a
    duplicate (never a crash that would leave the import running)."""
    for candidate in fresh:
        candidate.values["batch_id"] = batch.pk
    try:
        with transaction.atomic():  # a savepoint: the chunk's transaction goes on
            insert_feedback([c.values for c in fresh])
    except IntegrityError:
        stored = []
        for candidate in fresh:
            try:
                with transaction.atomic():
                    insert_feedback([candidate.values])
            except IntegrityError:
                continue
            stored.append(candidate)
        fresh = stored
    store_contacts((c.values, c.contact) for c in fresh)
    return fresh


def _drop_duplicates(
    candidates: list[Candidate], seen: set[str], summary: Summary, context: Context
) -> tuple[list[Candidate], list[Reject]]:
    """The candidates not yet stored, and those whose response id the source already used
    in a perimeter the importer may not write: these are quarantined with a reason that
    says nothing of where (a duplicate count there would be an oracle on other perimeters)."""
    existing = existing_keys((c.values["source_kind"], context.source, c.key) for c in candidates)
    fresh: list[Candidate] = []
    collisions: list[Reject] = []
    for c in candidates:
        kind = c.values["source_kind"]
        marker = f"{kind}|{c.key}"
        where = existing.get((kind, context.source, c.key))
        if where is not None and context.writable is not None and where not in context.writable:
            collisions.append(_collision(c, context))
            continue
        if marker in seen or where is not None:
            summary.duplicates += 1
            continue
        seen.add(marker)
        fresh.append(c)
    return fresh, collisions


def _collision(candidate: Candidate, context: Context) -> Reject:
    values = candidate.values
    raw = {
        "source_id": candidate.key,
        "received_at": values["received_at"].isoformat(),
        "perimeter": next(
            (p.ref for p in context.perimeters.by_key.values() if p.pk == values["perimeter_id"]),
            "",
        ),
        **{name: values[name] for name in ("nps", "csat", "ces") if values[name] is not None},
        "text": values["text"],  # pseudonymised already
    }
    reason = {
        "field": "source_id",
        "column": "",
        "value": candidate.key[:200],
        "message": (
            f"identifiant « {candidate.key[:80]} » déjà utilisé par la source "
            f"« {context.source} » pour une réponse que cet import ne peut pas modifier"
        ),
        "accepted": (
            "un identifiant propre à cette source ; si ces réponses viennent d'un autre "
            "questionnaire, indiquez-le (le questionnaire fait partie de la source)"
        ),
    }
    body = f"collision|{values['source_kind']}|{context.source}|{candidate.key}"
    return Reject(candidate.number, raw, [reason], fingerprint(body, context.secret))
