"""The organisation imported from an HR export (CSV/XLSX): perimeters and people.

One row per person: employee id, names, e-mail, role, region, store, team, manager. Same
guarantees as feedback imports: every row read is accepted, quarantined with its reasons, or
counted as a duplicate (read = accepted + quarantined + duplicates, stored on an ``Import``
of kind "org" and checked by its constraint). A re-import updates in place: people by their
employee id, else their e-mail; perimeters by their ``ref``. Moving a perimeter goes through
``Perimeter.save`` (descendants' paths follow) and the rollups are rebuilt after the commit.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from pouls.feedback.importers.columns import words_of
from pouls.feedback.importers.readers import FileRejected, RawRow, open_table
from pouls.feedback.models import Import, QuarantinedRow
from pouls.org.models import Perimeter, Person

# Headers as `words_of` spells them (accents, case, punctuation and underscores dropped).
HEADERS: dict[str, tuple[str, ...]] = {
    "employee_id": (
        "matricule",
        "employee id",
        "employee number",
        "id salarie",
        "numero salarie",
        "numero de matricule",
        "emp id",
        "id",
    ),
    "last_name": ("nom", "nom de famille", "last name", "surname", "family name"),
    "first_name": ("prenom", "first name", "given name"),
    "email": ("e mail", "email", "mail", "courriel", "adresse e mail", "work email"),
    "role": ("fonction", "role", "poste", "job title", "title", "emploi"),
    "region": ("region", "region name", "nom region"),
    "region_ref": ("code region", "region code", "ref region"),
    "store": ("magasin", "store", "agence", "boutique", "site", "branch", "store name"),
    "store_ref": ("code magasin", "store code", "ref magasin", "code agence", "code site"),
    "team": ("equipe", "team", "team name"),
    "team_ref": ("code equipe", "team code", "ref equipe"),
    "manager": (
        "manager",
        "matricule manager",
        "manager id",
        "manager employee id",
        "responsable",
        "n 1",
        "supervisor",
        "e mail manager",
        "manager email",
    ),
}

ROLES: tuple[tuple[str, str], ...] = (
    # Checked in order on the role's words: "responsable conseil" is a manager.
    ("manager", Person.Kind.MANAGER),
    ("directeur", Person.Kind.MANAGER),
    ("directrice", Person.Kind.MANAGER),
    ("responsable", Person.Kind.MANAGER),
    ("chef", Person.Kind.MANAGER),
    ("gerant", Person.Kind.MANAGER),
    ("encadr", Person.Kind.MANAGER),
    ("head", Person.Kind.MANAGER),
    ("conseill", Person.Kind.ADVISOR),
    ("advisor", Person.Kind.ADVISOR),
    ("adviser", Person.Kind.ADVISOR),
    ("vend", Person.Kind.SELLER),
    ("seller", Person.Kind.SELLER),
    ("sales", Person.Kind.SELLER),
    ("commercial", Person.Kind.SELLER),
)

LEVELS = (
    ("region", Perimeter.Kind.REGION, "REG"),
    ("store", Perimeter.Kind.STORE, "MAG"),
    ("team", Perimeter.Kind.TEAM, "EQ"),
)


def recognise_columns(header: list[str]) -> dict[str, str]:
    """Field -> the file's column, from its header (French or English)."""
    found: dict[str, str] = {}
    for column in header:
        words = words_of(column)
        for name, spellings in HEADERS.items():
            if name not in found and words in spellings:
                found[name] = column
                break
    return found


def _slug(text: str) -> str:
    return re.sub(r"[^A-Z0-9]+", "-", words_of(text).upper()).strip("-")


def _kind(role: str) -> str | None:
    if not role:
        return Person.Kind.SELLER
    words = words_of(role)
    for stem, kind in ROLES:
        if stem in words:
            return kind
    return None


@dataclass(slots=True)
class Unit:
    """A perimeter the file declares."""

    ref: str
    name: str
    kind: str
    parent_ref: str | None  # None: directly under the perimeter imported into
    row: int


@dataclass(slots=True)
class Row:
    number: int
    raw: dict[str, Any]
    key: str = ""
    employee_id: str = ""
    email: str = ""
    first_name: str = ""
    last_name: str = ""
    kind: str = Person.Kind.SELLER
    units: list[Unit] = field(default_factory=list)
    manager: str = ""
    reasons: list[str] = field(default_factory=list)

    def content(self) -> tuple[Any, ...]:
        return (
            self.employee_id,
            self.email,
            self.first_name,
            self.last_name,
            self.kind,
            tuple((u.ref, u.name, u.parent_ref) for u in self.units),
            self.manager,
        )


@dataclass(slots=True)
class OrgSummary:
    read: int = 0
    accepted: int = 0
    quarantined: int = 0
    duplicates: int = 0
    perimeters_created: int = 0
    perimeters_updated: int = 0
    perimeters_moved: int = 0
    perimeters_closed: int = 0
    people_created: int = 0
    people_updated: int = 0
    people_moved: int = 0
    people_deactivated: int = 0
    columns: dict[str, str] = field(default_factory=dict)
    reasons: Counter[str] = field(default_factory=Counter)
    rejects: list[tuple[int, list[str]]] = field(default_factory=list)
    code: str = ""


def _cell(raw: RawRow, columns: dict[str, str], name: str) -> str:
    column = columns.get(name)
    if column is None:
        return ""
    value = raw.values.get(column)
    return "" if value is None else " ".join(str(value).split())


def _parse(raw: RawRow, columns: dict[str, str]) -> Row:
    row = Row(raw.number, {k: ("" if v is None else str(v)) for k, v in raw.values.items()})
    if raw.error:
        row.reasons.append(raw.error)
        return row
    row.employee_id = _cell(raw, columns, "employee_id")
    row.email = _cell(raw, columns, "email").lower()
    row.first_name = _cell(raw, columns, "first_name")
    row.last_name = _cell(raw, columns, "last_name")
    row.manager = _cell(raw, columns, "manager").lower()
    if not row.first_name and not row.last_name:
        row.reasons.append("nom et prénom manquants")
    if len(row.first_name) > 100 or len(row.last_name) > 100 or len(row.employee_id) > 64:
        row.reasons.append("valeur trop longue")
    if row.email:
        try:
            validate_email(row.email)
        except ValidationError:
            row.reasons.append("e-mail invalide")
    row.key = row.employee_id.lower() or row.email
    if not row.employee_id and not row.email:
        row.reasons.append("ni matricule ni e-mail")
    kind = _kind(_cell(raw, columns, "role"))
    if kind is None:
        row.reasons.append("fonction inconnue")
    else:
        row.kind = kind
    parent: str | None = None
    for name, perimeter_kind, prefix in LEVELS:
        unit_name = _cell(raw, columns, name)
        unit_ref = _cell(raw, columns, f"{name}_ref")
        if not unit_name and not unit_ref:
            continue
        if not unit_ref:
            # Without a code column, a team is named within its store: two stores' "Caisse"
            # teams are two perimeters.
            base = f"{prefix}-{_slug(unit_name)}"
            unit_ref = f"{parent}-{_slug(unit_name)}" if name == "team" and parent else base
        if len(unit_ref) > 64 or len(unit_name) > 200:
            row.reasons.append("code ou nom de périmètre trop long")
            break
        row.units.append(Unit(unit_ref, unit_name or unit_ref, perimeter_kind, parent, raw.number))
        parent = unit_ref
    return row


def _fingerprint(row: Row) -> str:
    return hashlib.sha256(repr(sorted(row.raw.items())).encode()).hexdigest()


def do_import_org(
    path: Path,
    *,
    root: Perimeter,
    user: Any = None,
    dry_run: bool = False,
    close_missing: bool = False,
    on_commit: Callable[[], object] | None = None,
) -> OrgSummary:
    """Import ``path`` under ``root``; ``dry_run`` does everything then rolls it back, so
    its counts are the preview of the real import."""
    table = open_table(path)
    columns = recognise_columns(table.header)
    if "first_name" not in columns and "last_name" not in columns:
        raise FileRejected("Aucune colonne « nom » ou « prénom » reconnue dans l'en-tête.")
    if "employee_id" not in columns and "email" not in columns:
        raise FileRejected("Aucune colonne « matricule » ou « e-mail » reconnue dans l'en-tête.")
    rows = [_parse(raw, columns) for raw in table.rows]
    summary = OrgSummary(read=len(rows), columns=columns)
    accepted, duplicates = _sort_rows(rows, root)
    summary.duplicates = duplicates
    with transaction.atomic():
        batch = Import.objects.create(
            perimeter=root,
            created_by=user,
            kind=Import.Kind.ORG,
            file_name=path.name[:255],
            file_sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
            mapping=columns,
            status=Import.Status.RUNNING,
        )
        reorganised = _apply(accepted, rows, root, close_missing, summary)
        rejected = [row for row in rows if row.reasons]
        QuarantinedRow.objects.bulk_create(
            QuarantinedRow(
                batch=batch,
                perimeter=root,
                row_number=row.number,
                raw=row.raw,
                reasons=[{"field": "", "value": "", "message": r} for r in row.reasons],
                fingerprint=_fingerprint(row),
            )
            for row in rejected
        )
        summary.accepted = len(accepted)
        summary.quarantined = len(rejected)
        summary.rejects = [(row.number, row.reasons) for row in rejected]
        summary.reasons = Counter(reason for row in rejected for reason in row.reasons)
        batch.read, batch.accepted = summary.read, summary.accepted
        batch.quarantined, batch.duplicates = summary.quarantined, summary.duplicates
        batch.lines, batch.blank_lines = table.count.lines, table.count.blank
        batch.status, batch.finished_at = Import.Status.DONE, timezone.now()
        batch.save()
        summary.code = str(batch.code)
        if dry_run:
            transaction.set_rollback(True)
            summary.code = ""
        elif reorganised:
            transaction.on_commit(on_commit or _after_reorganisation)
    return summary


def _after_reorganisation() -> None:
    from pouls.chain import after_reorganisation

    after_reorganisation()


def _sort_rows(rows: list[Row], root: Perimeter) -> tuple[list[Row], int]:
    """Give every row its fate: the accepted rows (in file order) and the duplicate count;
    the others are left with their reasons."""
    seen: dict[str, Row] = {}
    accepted: list[Row] = []
    duplicates = 0
    for row in rows:
        if row.reasons:
            continue
        first = seen.get(row.key) or (seen.get(row.email) if row.email else None)
        if first is not None:
            if first.content() == row.content():
                duplicates += 1
                row.key = ""  # counted, neither accepted nor quarantined
                continue
            row.reasons.append(f"matricule ou e-mail déjà vu ligne {first.number}")
            continue
        seen[row.key] = row
        if row.email:
            seen.setdefault(row.email, row)
        accepted.append(row)
    accepted = _check_units(accepted, root)
    return _check_managers(accepted, root), duplicates


def _check_units(rows: list[Row], root: Perimeter) -> list[Row]:
    """A perimeter declared twice must sit under the same parent; one that exists outside
    the perimeter imported into cannot be taken (the message does not say where it is)."""
    declared: dict[str, Unit] = {}
    refs = {unit.ref for row in rows for unit in row.units}
    outside = set(
        Perimeter.objects.filter(ref__in=refs)
        .exclude(path__startswith=root.path)
        .values_list("ref", flat=True)
    ) | ({root.ref} & refs)
    kept = []
    for row in rows:
        for unit in row.units:
            if unit.ref in outside:
                row.reasons.append(f"périmètre « {unit.ref} » hors du périmètre d'import")
                break
            first = declared.get(unit.ref)
            if first is not None and first.parent_ref != unit.parent_ref:
                row.reasons.append(
                    f"« {unit.name} » rattaché ailleurs ligne {first.row} ({first.parent_ref})"
                )
                break
        if row.reasons:
            continue
        for unit in row.units:
            declared.setdefault(unit.ref, unit)
        kept.append(row)
    return kept


def _check_managers(rows: list[Row], root: Perimeter) -> list[Row]:
    """A manager must be a person of the file or already under ``root`` (by employee id or
    e-mail); quarantining a manager's row quarantines their reports, hence the loop."""
    wanted = {row.manager for row in rows if row.manager}
    known: set[str] = set()
    for employee_id, email in Person.objects.filter(
        perimeter__path__startswith=root.path
    ).values_list("employee_id", "email"):
        known.update(k for k in (employee_id.lower(), email.lower()) if k in wanted)
    while True:
        keys = {row.employee_id.lower() for row in rows if row.employee_id}
        keys |= {row.email for row in rows if row.email}
        kept = []
        for row in rows:
            if row.manager and row.manager in (row.key, row.email):
                row.reasons.append("est son propre manager")
            elif row.manager and row.manager not in keys and row.manager not in known:
                row.reasons.append("manager inconnu")
            else:
                kept.append(row)
        if len(kept) == len(rows):
            return kept
        rows = kept


def _apply(
    rows: list[Row], all_rows: list[Row], root: Perimeter, close_missing: bool, s: OrgSummary
) -> bool:
    """Write the accepted rows; whether anything moved (the rollups must be rebuilt)."""
    units: dict[str, Unit] = {}
    for row in rows:
        for unit in row.units:
            units.setdefault(unit.ref, unit)
    existing = {p.ref: p for p in Perimeter.objects.filter(ref__in=units)}
    perimeters: dict[str, Perimeter] = {}
    moved = False
    # Regions, then stores, then teams: a parent is saved before its children.
    for level in (Perimeter.Kind.REGION, Perimeter.Kind.STORE, Perimeter.Kind.TEAM):
        for ref, unit in units.items():
            if unit.kind != level:
                continue
            parent = perimeters[unit.parent_ref] if unit.parent_ref else root
            perimeter = existing.get(ref)
            if perimeter is None:
                perimeters[ref] = Perimeter.objects.create(
                    ref=ref, name=unit.name, kind=unit.kind, parent=parent
                )
                s.perimeters_created += 1
                continue
            changed = perimeter.name != unit.name or perimeter.closed_on is not None
            if perimeter.parent_id != parent.pk:
                perimeter.parent = parent
                s.perimeters_moved += 1
                moved = changed = True
            if changed:
                perimeter.name, perimeter.closed_on = unit.name, None
                perimeter.save()  # recomputes the paths of the subtree when it moved
                s.perimeters_updated += 1
            perimeters[ref] = perimeter
    people = _people(rows)
    by_row: dict[int, Person] = {}
    for row in rows:
        where = perimeters[row.units[-1].ref] if row.units else root
        person = people.get(row.number)
        values = {
            "employee_id": row.employee_id,
            "email": row.email,
            "first_name": row.first_name,
            "last_name": row.last_name,
            "kind": row.kind,
            "is_active": True,
        }
        if person is None:
            person = Person.objects.create(perimeter=where, **values)
            s.people_created += 1
        else:
            fields = [name for name, value in values.items() if getattr(person, name) != value]
            if person.perimeter_id != where.pk:
                person.perimeter = where
                fields.append("perimeter")
                s.people_moved += 1
                moved = True
            if fields:
                for name in fields:
                    if name != "perimeter":
                        setattr(person, name, values[name])
                person.save(update_fields=fields)
                s.people_updated += 1
        by_row[row.number] = person
    _set_managers(rows, by_row, root)
    if close_missing:
        _close_missing(all_rows, units, root, s)
    return moved


def _people(rows: list[Row]) -> dict[int, Person]:
    """The people already stored, by row number: by employee id, else by e-mail."""
    ids = {row.employee_id for row in rows if row.employee_id}
    emails = {row.email for row in rows if row.email}
    by_id = {p.employee_id: p for p in Person.objects.filter(employee_id__in=ids)}
    by_email = {p.email.lower(): p for p in Person.objects.filter(email__in=emails).order_by("-pk")}
    found = {}
    for row in rows:
        person = by_id.get(row.employee_id) if row.employee_id else None
        if person is None and row.email:
            candidate = by_email.get(row.email)
            # An e-mail only identifies someone without another employee id.
            if candidate is not None and candidate.employee_id in ("", row.employee_id):
                person = candidate
        if person is not None:
            found[row.number] = person
    return found


def _set_managers(rows: list[Row], by_row: dict[int, Person], root: Perimeter) -> None:
    keyed: dict[str, Person] = {}
    for person in Person.objects.filter(perimeter__path__startswith=root.path):
        for key in (person.employee_id.lower(), person.email.lower()):
            if key:
                keyed.setdefault(key, person)
    for row in rows:
        person = by_row[row.number]
        if row.employee_id:
            keyed[row.employee_id.lower()] = person
        if row.email:
            keyed[row.email] = person
    for row in rows:
        person = by_row[row.number]
        manager = keyed[row.manager] if row.manager else None
        if person.manager_id != (manager.pk if manager else None):
            person.manager = manager
            person.save(update_fields=["manager"])


def _close_missing(
    all_rows: list[Row], units: dict[str, Unit], root: Perimeter, s: OrgSummary
) -> None:
    """A full export: the people and perimeters under ``root`` it no longer lists are
    deactivated and closed (a row quarantined still names its person and perimeters)."""
    seen = {row.employee_id for row in all_rows if row.employee_id}
    emails = {row.email for row in all_rows if row.email}
    refs = set(units) | {unit.ref for row in all_rows for unit in row.units}
    gone = Person.objects.filter(perimeter__path__startswith=root.path, is_active=True)
    gone = gone.exclude(employee_id__in=seen).exclude(email__in=emails)
    s.people_deactivated = gone.update(is_active=False)
    closing = (
        Perimeter.objects.filter(
            path__startswith=root.path,
            closed_on__isnull=True,
            kind__in=[kind for _name, kind, _prefix in LEVELS],
        )
        .exclude(pk=root.pk)
        .exclude(ref__in=refs)
    )
    s.perimeters_closed = closing.update(closed_on=timezone.localdate())
