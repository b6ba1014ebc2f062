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
import unicodedata
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone
from rapidfuzz import fuzz, process

from pouls.feedback import privacy
from pouls.feedback.importers import values as V
from pouls.feedback.importers.letters import read_letters
from pouls.feedback.importers.mail import MailRule, read_mail
from pouls.feedback.importers.mapping import (
    ColumnMapping,
    Resolved,
    load_mapping,
    normalise,
    resolve,
)
from pouls.feedback.importers.masking import PARALLEL_MIN_BYTES, WORKERS, text_masker
from pouls.feedback.importers.readers import RawRow, Table, open_table
from pouls.feedback.importers.store import (
    existing_keys,
    insert_feedback,
    store_contacts,
    widen_sqlite_cache,
)
from pouls.feedback.models import Feedback, Import, QuarantinedRow
from pouls.lib.ids import time_ordered_uuid
from pouls.org.models import Perimeter, Person

logger = logging.getLogger(__name__)

CHUNK = 1000
MAX_TEXT_CHARS = 20_000
SOURCE_KINDS = {c.value for c in Feedback.SourceKind}
CHANNELS = {c.value for c in Feedback.Channel}

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


@dataclass(slots=True)
class _Candidate:
    row: RawRow
    values: dict[str, Any]  # the Feedback columns to insert, by attname (store.COLUMNS)
    key: str
    contact: str = ""


class _Perimeters:
    """Perimeters a row may land in, matched by reference code or name (accents, case and
    spacing ignored), with a suggestion for near misses."""

    def __init__(self, root: Perimeter, allowed: Iterable[Perimeter]) -> None:
        self.by_key: dict[str, Perimeter] = {}
        for p in allowed:
            if p.path.startswith(root.path):
                self.by_key.setdefault(normalise(p.ref), p)
                self.by_key.setdefault(normalise(p.name), p)
        self.root = root
        # Cells as written -> perimeter: a file repeats a few spellings a million times.
        self.seen: dict[str, Perimeter] = {}

    def match(self, value: Any) -> Perimeter:
        text = str(value or "").strip()
        if text in self.seen:
            return self.seen[text]
        if not text:
            raise V.Invalid("périmètre manquant", "le code ou le nom d'un périmètre")
        found = self.by_key.get(normalise(text))
        if found is not None:
            self.seen[text] = found
            return found
        best = process.extractOne(normalise(text), list(self.by_key), scorer=fuzz.WRatio)
        hint = (
            f" — vouliez-vous dire « {self.by_key[best[0]].name} » ?"
            if best and best[1] >= 80
            else ""
        )
        raise V.Invalid(
            f"périmètre inconnu « {text[:80]} »{hint}",
            f"le code ou le nom d'un périmètre sous « {self.root.name} » auquel vous avez accès",
        )


class _People:
    def __init__(self, people: Iterable[Person]) -> None:
        self.by_name: dict[str, Person] = {}
        for person in people:
            for key in (
                f"{person.first_name} {person.last_name}",
                f"{person.last_name} {person.first_name}",
            ):
                self.by_name.setdefault(normalise(key), person)

    def match(self, value: Any) -> Person | None:
        text = str(value or "").strip()
        if not text:
            return None
        found = self.by_name.get(normalise(text))
        if found is not None:
            return found
        best = process.extractOne(normalise(text), list(self.by_name), scorer=fuzz.WRatio)
        hint = (
            f" — vouliez-vous dire « {self.by_name[best[0]]} » ?" if best and best[1] >= 85 else ""
        )
        raise V.Invalid(
            f"personne inconnue « {text[:80]} »{hint}", "prénom et nom d'une personne du périmètre"
        )


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
    resolved = resolve(column_mapping, table.header)
    context = _context(root, user)
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
    pending: deque[_Pending] = deque()

    def finish(item: _Pending) -> None:
        if batch is not None:
            # Earlier chunks are in the database, where the duplicate check finds them:
            # keeping only this chunk's keys keeps memory flat in the file size.
            seen.clear()
        _store_chunk(item, resolved, batch, seen, summary, dry_run)
        if progress is not None:
            progress(summary.read)

    with text_masker(parallel=path.is_file() and path.stat().st_size > PARALLEL_MIN_BYTES) as mask:
        for chunk in _chunks(rows, CHUNK):
            candidates, rejects = _validate(chunk, resolved, context, summary)
            # The texts are pseudonymised (in worker processes for big files) while this
            # process validates the next chunks and stores the earlier ones; a few chunks
            # in flight per worker keep them busy, and memory bounded.
            pending.append(
                _Pending(
                    len(chunk), candidates, rejects, mask([c.values["text"] for c in candidates])
                )
            )
            if len(pending) > 2 * WORKERS:
                finish(pending.popleft())
        while pending:
            finish(pending.popleft())
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


@dataclass(slots=True)
class _Context:
    perimeters: _Perimeters
    people: _People


def _context(root: Perimeter, user: Any) -> _Context:
    # user None: a trusted context (CLI, or the worker running an import whose creator's
    # scope was checked when it was queued).
    allowed = (
        Perimeter.objects.all() if user is None else Perimeter.objects.for_user(user, "change")
    )
    staff = Person.objects.all() if user is None else Person.objects.for_user(user, "change")
    people = staff.filter(perimeter__path__startswith=root.path)
    return _Context(_Perimeters(root, allowed), _People(people))


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
    resolved = resolve(column_mapping, header)
    context = _context(batch.perimeter, user)
    by_number = {q.row_number: q for q in pending}
    rows = [RawRow(q.row_number, dict(q.raw)) for q in pending]
    seen: set[str] = set()
    with transaction.atomic():
        for chunk in _chunks(iter(rows), CHUNK):
            outcome = _validate_chunk(chunk, resolved, context, seen, summary)
            fresh, _rejects, passed = outcome
            _insert(fresh, batch)
            QuarantinedRow.objects.filter(pk__in=[by_number[n].pk for n in passed]).update(
                resolved_at=timezone.now()
            )
        batch.quarantined -= summary.accepted + summary.duplicates
        batch.accepted += summary.accepted
        batch.duplicates += summary.duplicates
        batch.mapping = mapping
        batch.save(update_fields=["quarantined", "accepted", "duplicates", "mapping"])
    if summary.accepted:
        _request_analysis()
    return summary


def _request_analysis() -> None:
    # Imported here: the annotations app builds on this one.
    from pouls.annotations.tasks import request_analysis

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


@dataclass(slots=True)
class _Pending:
    size: int
    candidates: list[_Candidate]
    rejects: list[tuple[RawRow, list[dict[str, str]]]]
    texts: Future[list[str]]


def _validate(
    chunk: list[RawRow], resolved: Resolved, context: _Context, summary: Summary
) -> tuple[list[_Candidate], list[tuple[RawRow, list[dict[str, str]]]]]:
    candidates: list[_Candidate] = []
    rejects: list[tuple[RawRow, list[dict[str, str]]]] = []
    for row in chunk:
        outcome = validate_row(row, resolved, context.perimeters, context.people)
        if isinstance(outcome, list):
            rejects.append((row, outcome))
            summary.add_reasons(outcome)
        else:
            candidates.append(outcome)
    return candidates, rejects


def _validate_chunk(
    chunk: list[RawRow], resolved: Resolved, context: _Context, seen: set[str], summary: Summary
) -> tuple[list[_Candidate], list[tuple[RawRow, list[dict[str, str]]]], list[int]]:
    """Validate, pseudonymise and de-duplicate one chunk (re-processing the quarantine);
    returns the rows to store, the rejects, and the numbers of the rows that passed."""
    candidates, rejects = _validate(chunk, resolved, context, summary)
    texts = privacy.pseudonymise([c.values["text"] for c in candidates])
    for candidate, text in zip(candidates, texts, strict=True):
        candidate.values["text"] = text
    fresh = _drop_duplicates(candidates, seen, summary)
    summary.accepted += len(fresh)
    return fresh, rejects, [c.row.number for c in candidates]


def _store_chunk(
    item: _Pending,
    resolved: Resolved,
    batch: Import | None,
    seen: set[str],
    summary: Summary,
    dry_run: bool,
) -> None:
    for candidate, text in zip(item.candidates, item.texts.result(), strict=True):
        candidate.values["text"] = text
    fresh = _drop_duplicates(item.candidates, seen, summary)
    # Counted when stored, so the saved counts always add up (read = the three buckets).
    summary.read += item.size
    summary.accepted += len(fresh)
    summary.quarantined += len(item.rejects)
    if dry_run or batch is None:
        if batch is not None:
            _save_counts(batch, summary)
        return
    # One transaction per chunk, its counts included (one commit per 1,000 rows).
    with transaction.atomic():
        _insert(fresh, batch)
        QuarantinedRow.objects.bulk_create(
            _quarantine_rows(batch, item.rejects, resolved), batch_size=500
        )
        _save_counts(batch, summary)


def _insert(fresh: list[_Candidate], batch: Import) -> None:
    for candidate in fresh:
        candidate.values["batch_id"] = batch.pk
    insert_feedback([c.values for c in fresh])
    store_contacts((c.values, c.contact) for c in fresh)


def _drop_duplicates(
    candidates: list[_Candidate], seen: set[str], summary: Summary
) -> list[_Candidate]:
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


def _quarantine_rows(
    batch: Import, rejects: list[tuple[RawRow, list[dict[str, str]]]], resolved: Resolved
) -> list[QuarantinedRow]:
    """Keep each row as received, except personal data: the customer's identity becomes its
    keyed hash, and every other text cell and reason is pseudonymised like any stored text
    (in one batch for the whole chunk)."""
    customer_columns = set(resolved.columns.get("customer", ()))
    rows: list[tuple[RawRow, dict[str, Any], list[dict[str, str]]]] = []
    to_mask: list[tuple[dict[str, Any], str, str]] = []  # (target dict, key, text)
    for row, reasons in rejects:
        raw: dict[str, Any] = {}
        for name, value in row.values.items():
            if name in customer_columns and value:
                raw[name] = "hmac:" + privacy.customer_ref(str(value))
            elif value is None or isinstance(value, int | float | bool):
                raw[name] = value
            elif isinstance(value, dt.datetime | dt.date):
                raw[name] = value.isoformat()
            else:
                to_mask.append((raw, name, str(value)[:MAX_TEXT_CHARS]))
        copies = [dict(r) for r in reasons]
        for reason in copies:
            for key in ("value", "message"):
                to_mask.append((reason, key, reason[key]))
        rows.append((row, raw, copies))
    for (target, key, _), masked in zip(
        to_mask, privacy.pseudonymise([t for *_, t in to_mask]), strict=True
    ):
        target[key] = masked
    return [
        QuarantinedRow(
            batch=batch, perimeter=batch.perimeter, row_number=row.number, raw=raw, reasons=reasons
        )
        for row, raw, reasons in rows
    ]


def _cell(row: RawRow, resolved: Resolved, name: str) -> Any:
    columns = resolved.columns.get(name)
    if columns:
        return row.values.get(columns[0])
    return resolved.mapping.defaults.get(name)


def _reason(name: str, resolved: Resolved, value: Any, error: V.Invalid) -> dict[str, str]:
    columns = resolved.columns.get(name, ())
    return {
        "field": name,
        "column": columns[0] if columns else "",
        "value": str(value)[:200],
        "message": str(error),
        "accepted": error.accepted,
    }


def validate_row(
    row: RawRow, resolved: Resolved, perimeters: _Perimeters, people: _People
) -> _Candidate | list[dict[str, str]]:
    """A candidate Feedback, or the list of reasons the row is rejected (all of them)."""
    if row.error:
        return [
            {
                "field": "ligne",
                "column": "",
                "value": "",
                "message": row.error,
                "accepted": "une ligne de données alignée sur l'en-tête",
            }
        ]
    m = resolved.mapping
    reasons: list[dict[str, str]] = []
    parsed: dict[str, Any] = {}

    def attempt(name: str, parse: Callable[[Any], Any]) -> None:
        value = _cell(row, resolved, name)
        try:
            parsed[name] = parse(value)
        except V.Invalid as error:
            reasons.append(_reason(name, resolved, value, error))

    attempt("perimeter", perimeters.match)
    attempt("received_at", lambda v: V.parse_datetime(v, tz=m.timezone, day_first=m.day_first))
    attempt("nps", lambda v: V.parse_score(v, low=0, high=10, name="note de recommandation"))
    attempt("csat", lambda v: V.parse_score(v, low=1, high=5, name="satisfaction"))
    attempt("ces", lambda v: V.parse_score(v, low=1, high=m.ces_scale, name="effort"))
    attempt("person", people.match)
    attempt("callback_consent", lambda v: V.parse_bool(v, name="accord de rappel"))
    attempt("source_kind", lambda v: _choice(v or "survey", SOURCE_KINDS, "source"))
    attempt("channel", lambda v: _choice(v or "other", CHANNELS, "canal"))
    text = _text(row, resolved)
    if len(text) > MAX_TEXT_CHARS:
        reasons.append(
            {
                "field": "text",
                "column": "",
                "value": text[:200] + "…",
                "message": f"texte trop long ({len(text)} caractères)",
                "accepted": f"au plus {MAX_TEXT_CHARS} caractères",
            }
        )
    if not reasons and not text and all(parsed.get(f) is None for f in ("nps", "csat", "ces")):
        reasons.append(
            {
                "field": "ligne",
                "column": "",
                "value": "",
                "message": "ni note ni texte",
                "accepted": "une note (NPS, CSAT ou CES) ou un texte",
            }
        )
    if reasons:
        return reasons
    return _candidate(row, resolved, parsed, text)


def _candidate(row: RawRow, resolved: Resolved, parsed: dict[str, Any], text: str) -> _Candidate:
    identity = str(_cell(row, resolved, "customer") or "").strip()
    source_id = str(_cell(row, resolved, "source_id") or "").strip()[:200]
    consent = bool(parsed.get("callback_consent"))
    perimeter_id = parsed["perimeter"].pk
    person = parsed.get("person")
    received_at: dt.datetime = parsed["received_at"]
    nps, csat, ces = parsed.get("nps"), parsed.get("csat"), parsed.get("ces")
    reference = privacy.customer_ref(identity) if identity else ""
    key = (
        source_id
        or "h:"
        + hashlib.sha256(
            "|".join(
                str(x)
                for x in (perimeter_id, received_at.isoformat(), nps, csat, ces, text, reference)
            ).encode()
        ).hexdigest()[:40]
    )
    values = {
        "code": time_ordered_uuid(),
        "perimeter_id": perimeter_id,
        "person_id": person.pk if person is not None else None,
        "source_kind": parsed["source_kind"],
        "channel": parsed["channel"],
        "received_at": received_at,
        "customer_ref": reference,
        "nps": nps,
        "csat": csat,
        "ces": ces,
        "ces_scale": resolved.mapping.ces_scale if ces else None,
        "text": text,
        "language": str(_cell(row, resolved, "language") or "fr")[:8] or "fr",
        "callback_consent": consent,
        "category": "",
        "source_id": key,
        "batch_id": None,
    }
    contact = identity if consent and not identity.startswith("hmac:") else ""
    return _Candidate(row, values, key, contact)


def _text(row: RawRow, resolved: Resolved) -> str:
    parts = [str(row.values.get(c) or "").strip() for c in resolved.columns.get("text", ())]
    default = resolved.mapping.defaults.get("text", "")
    text = "\n".join(p for p in parts if p) or default
    return unicodedata.normalize("NFC", text)


def _choice(value: Any, choices: set[str], name: str) -> str:
    text = str(value).strip().lower()
    if text not in choices:
        raise V.Invalid(f"{name} inconnu « {text[:40]} »", ", ".join(sorted(choices)))
    return text
