"""Turning a chunk of raw rows into what the import stores: validated, pseudonymised
candidates and quarantined rows with their reasons (personal data masked in both).

Pure work on values, without the database: on a big file it runs in worker processes
(``workers.py``) while the importing process reads the file and writes to the database.
``Context`` holds what the rows are checked against; it is pickled once per worker.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from rapidfuzz import fuzz, process

from pouls.feedback.importers import values as V
from pouls.feedback.importers.mapping import Resolved, normalise
from pouls.feedback.importers.readers import RawRow
from pouls.feedback.models import Feedback
from pouls.lib import privacy
from pouls.lib.ids import time_ordered_uuid
from pouls.org.models import Perimeter, Person

MAX_TEXT_CHARS = 20_000
SOURCE_KINDS = {c.value for c in Feedback.SourceKind}
CHANNELS = {c.value for c in Feedback.Channel}


@dataclass(slots=True)
class Candidate:
    number: int  # the row's number in the file
    values: dict[str, Any]  # the Feedback columns to insert, by attname (store.COLUMNS)
    key: str
    contact: str = ""

    def __reduce__(self) -> tuple[type[Candidate], tuple[int, dict[str, Any], str, str]]:
        # Plain pickling back from a worker (the dataclass's own is field by field in Python).
        return (Candidate, (self.number, self.values, self.key, self.contact))


@dataclass(slots=True)
class Reject:
    number: int
    raw: dict[str, Any]  # the row as received, personal data masked
    reasons: list[dict[str, str]]  # masked too
    fingerprint: str = ""  # keyed hash of the row as received (re-imports find it)


@dataclass(slots=True)
class Prepared:
    size: int  # rows read
    candidates: list[Candidate]
    rejects: list[Reject]


class Perimeters:
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


class People:
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


@dataclass(slots=True)
class Context:
    """What rows are checked against. ``secret`` keys the customer hash (captured from the
    importing process's settings, so that a worker hashes exactly as it would)."""

    resolved: Resolved
    perimeters: Perimeters
    people: People
    secret: str
    # The order of day and month the date column is read with (inferred from all its
    # values unless the mapping forces it); None: the column mixes both orders.
    day_first: bool | None = True
    # The source every row gets (system and survey); duplicates are found within it.
    source: str = ""
    # Perimeters the importer may write (None: a trusted context, all of them). A response
    # id of the source already stored outside them is no duplicate the importer may know of.
    writable: frozenset[int] | None = None


def make_context(
    resolved: Resolved,
    root: Perimeter,
    user: Any,
    *,
    day_first: bool | None = True,
    source: str = "",
) -> Context:
    # user None: a trusted context (CLI, or the worker running an import whose creator's
    # scope was checked when it was queued).
    allowed = (
        Perimeter.objects.all() if user is None else Perimeter.objects.for_user(user, "change")
    )
    staff = Person.objects.all() if user is None else Person.objects.for_user(user, "change")
    people = staff.filter(perimeter__path__startswith=root.path)
    writable = None if user is None else frozenset(allowed.values_list("pk", flat=True))
    return Context(
        resolved,
        Perimeters(root, allowed),
        People(people),
        settings.SECRET_KEY,
        day_first,
        source,
        writable,
    )


def prepare_chunk(context: Context, chunk: list[RawRow]) -> Prepared:
    """Validate each row, pseudonymise the candidates' texts, mask the rejects."""
    candidates: list[Candidate] = []
    rejected: list[tuple[RawRow, list[dict[str, str]]]] = []
    for row in chunk:
        outcome = validate_row(row, context)
        if isinstance(outcome, list):
            rejected.append((row, outcome))
        else:
            candidates.append(outcome)
    texts = privacy.pseudonymise([c.values["text"] for c in candidates])
    for candidate, text in zip(candidates, texts, strict=True):
        candidate.values["text"] = text
    return Prepared(len(chunk), candidates, _mask_rejects(context, rejected))


def _mask_rejects(
    context: Context, rejected: list[tuple[RawRow, list[dict[str, str]]]]
) -> list[Reject]:
    """Keep each row as received, except personal data: the customer's identity becomes its
    keyed hash, and every other text cell and reason is pseudonymised like any stored text
    (in one batch for the whole chunk)."""
    customer_columns = set(context.resolved.columns.get("customer", ()))
    rejects: list[Reject] = []
    to_mask: list[tuple[dict[str, Any], str, str]] = []  # (target dict, key, text)
    for row, reasons in rejected:
        raw: dict[str, Any] = {}
        for name, value in row.values.items():
            if name in customer_columns and value:
                raw[name] = "hmac:" + privacy.customer_ref(str(value), secret=context.secret)
            elif (
                isinstance(value, int | float)
                and not isinstance(value, bool)
                and (
                    abs(value) >= 1e8  # a card or phone number typed into a numeric cell
                )
            ):
                whole = isinstance(value, int) or value.is_integer()
                to_mask.append((raw, name, str(int(value)) if whole else str(value)))
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
        rejects.append(Reject(row.number, raw, copies, _fingerprint(row, context.secret)))
    for (target, key, _), masked in zip(
        to_mask, privacy.pseudonymise([t for *_, t in to_mask]), strict=True
    ):
        target[key] = masked
    return rejects


def _fingerprint(row: RawRow, secret: str) -> str:
    body = json.dumps(row.values, sort_keys=True, default=str, ensure_ascii=False)
    return fingerprint(body, secret)


def fingerprint(body: str, secret: str) -> str:
    # Keyed: a raw row holds personal data, its hash must not be checkable by guessing.
    return hmac.new(secret.encode(), body.encode(), hashlib.sha256).hexdigest()


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


def validate_row(row: RawRow, context: Context) -> Candidate | list[dict[str, str]]:
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
    resolved = context.resolved
    m = resolved.mapping
    reasons: list[dict[str, str]] = []
    parsed: dict[str, Any] = {}

    def attempt(name: str, parse: Callable[[Any], Any]) -> None:
        value = _cell(row, resolved, name)
        try:
            parsed[name] = parse(value)
        except V.Invalid as error:
            reasons.append(_reason(name, resolved, value, error))

    attempt("perimeter", context.perimeters.match)
    attempt(
        "received_at",
        lambda v: V.parse_datetime(v, tz=m.timezone, day_first=context.day_first),
    )
    attempt("nps", lambda v: V.parse_score(v, low=0, high=10, name="note de recommandation"))
    attempt("csat", lambda v: V.parse_score(v, low=1, high=5, name="satisfaction"))
    attempt("ces", lambda v: V.parse_score(v, low=1, high=m.ces_scale, name="effort"))
    attempt("person", context.people.match)
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
    return _candidate(row, context, parsed, text)


def _candidate(row: RawRow, context: Context, parsed: dict[str, Any], text: str) -> Candidate:
    resolved = context.resolved
    identity = str(_cell(row, resolved, "customer") or "").strip()
    source_id = str(_cell(row, resolved, "source_id") or "").strip()[:200]
    consent = bool(parsed.get("callback_consent"))
    perimeter_id = parsed["perimeter"].pk
    person = parsed.get("person")
    received_at: dt.datetime = parsed["received_at"]
    nps, csat, ces = parsed.get("nps"), parsed.get("csat"), parsed.get("ces")
    reference = privacy.customer_ref(identity, secret=context.secret) if identity else ""
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
        "source": context.source,
        "source_id": key,
        "batch_id": None,
    }
    contact = identity if consent and not identity.startswith("hmac:") else ""
    return Candidate(row.number, values, key, contact)


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
