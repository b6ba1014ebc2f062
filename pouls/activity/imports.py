"""Sales and activity from a CRM export (Salesforce / HubSpot style columns, French or
English), summed per perimeter, person and day, then written idempotently: importing the
same file again changes nothing; a corrected file replaces the days it covers."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from pouls.activity.models import ActivityFact, SalesFact
from pouls.feedback.importers import values as V
from pouls.feedback.importers.mapping import MappingError, normalise
from pouls.feedback.importers.readers import RawRow, open_table
from pouls.feedback.models import Import, QuarantinedRow
from pouls.org.models import Perimeter, Person

logger = logging.getLogger(__name__)

COLUMNS: dict[str, tuple[str, ...]] = {
    "date": (
        "date",
        "jour",
        "close date",
        "date de cloture",
        "date de conclusion",
        "activity date",
    ),
    "perimeter": ("magasin", "agence", "perimetre", "site", "store", "branch", "business unit"),
    "person": (
        "vendeur",
        "commercial",
        "conseiller",
        "owner",
        "opportunity owner",
        "proprietaire",
        "deal owner",
        "assigned to",
    ),
    "revenue": ("ca", "chiffre d'affaires", "montant", "amount", "revenue", "deal amount"),
    "orders": ("commandes", "ventes", "orders", "won deals", "affaires gagnees"),
    "quotes": ("devis", "quotes", "propositions"),
    "visits": ("visites", "rendez-vous", "rdv", "meetings", "visits"),
    "calls": ("appels", "calls"),
    "reports_filed": ("comptes rendus", "cr", "notes", "reports", "rapports"),
    "revenue_target": ("objectif ca", "objectif", "quota", "revenue target", "target"),
}
SALES_FIELDS = ("revenue", "orders")
ACTIVITY_FIELDS = ("quotes", "visits", "calls", "reports_filed")
MAX_DAILY = 10_000


@dataclass(slots=True)
class SalesSummary:
    read: int = 0
    accepted: int = 0
    quarantined: int = 0
    duplicates: int = 0
    rejects: list[tuple[int, str]] = field(default_factory=list)


@dataclass(slots=True)
class _Day:
    revenue: Decimal = Decimal(0)
    revenue_target: Decimal | None = None
    counts: dict[str, int] = field(default_factory=dict)


def _resolve(header: list[str]) -> dict[str, str]:
    present = {normalise(h): h for h in header}
    found = {
        name: next((present[c] for c in cands if c in present), "")
        for name, cands in COLUMNS.items()
    }
    resolved = {k: v for k, v in found.items() if v}
    for required in ("date", "perimeter"):
        if required not in resolved:
            raise MappingError(
                f"colonne « {required} » introuvable ; "
                f"noms reconnus : {', '.join(COLUMNS[required])}"
            )
    if not any(f in resolved for f in (*SALES_FIELDS, *ACTIVITY_FIELDS)):
        raise MappingError("aucune colonne de ventes ni d'activité (montant, commandes, visites…)")
    return resolved


def _amount(value: Any) -> Decimal:
    text = str(value if value is not None else "").strip().replace("\u202f", "").replace(" ", "")
    text = text.replace("€", "").replace("EUR", "")
    if "," in text and "." in text:
        text = (
            text.replace(".", "").replace(",", ".")
            if text.rfind(",") > text.rfind(".")
            else text.replace(",", "")
        )
    text = text.replace(",", ".")
    if not text:
        return Decimal(0)
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise V.Invalid(f"montant illisible « {value} »", "un nombre, ex. 1 234,50") from None
    if amount < 0 or amount > Decimal("1e10"):
        raise V.Invalid(f"montant hors limites « {value} »", "un montant positif") from None
    return amount


def _count(value: Any, name: str) -> int:
    return V.parse_score(value, low=0, high=MAX_DAILY, name=name) or 0


def do_import_sales(
    path: Path, *, root: Perimeter, user: Any = None, progress: Callable[[int], None] | None = None
) -> SalesSummary:
    """Steps: read rows; match perimeter (code or name, under ``root`` and in the user's
    scope) and person (name, within that perimeter); sum per (perimeter, person, day); write
    each day, counting as duplicates the days already stored with the same figures."""
    table = open_table(path)
    columns = _resolve(table.header)
    allowed = (
        Perimeter.objects.all() if user is None else Perimeter.objects.for_user(user, "change")
    )
    perimeters = {
        normalise(k): p for p in allowed if p.path.startswith(root.path) for k in (p.ref, p.name)
    }
    staff = Person.objects.all() if user is None else Person.objects.for_user(user, "change")
    people = {
        (p.perimeter_id, normalise(f"{p.first_name} {p.last_name}")): p
        for p in staff.filter(perimeter__path__startswith=root.path)
    }
    days: dict[tuple[int, int | None, Any], _Day] = {}
    summary = SalesSummary()
    rows_per_day: dict[tuple[int, int | None, Any], int] = {}
    raw_rejects: list[tuple[RawRow, V.Invalid]] = []
    for row in table.rows:
        summary.read += 1
        try:
            key, day = _parse(row, columns, perimeters, people)
        except V.Invalid as error:
            summary.quarantined += 1
            summary.rejects.append((row.number, str(error)))
            raw_rejects.append((row, error))
            continue
        _add(days.setdefault(key, _Day()), day)
        rows_per_day[key] = rows_per_day.get(key, 0) + 1
        if progress is not None and summary.read % 1000 == 0:
            progress(summary.read)
    with transaction.atomic():
        for key, day in days.items():
            written = _write(key, day, columns)
            if written:
                summary.accepted += rows_per_day[key]
            else:
                summary.duplicates += rows_per_day[key]
        _record(path, root, user, summary, raw_rejects)
    logger.info(
        "sales import: read=%s accepted=%s quarantined=%s duplicates=%s",
        summary.read,
        summary.accepted,
        summary.quarantined,
        summary.duplicates,
    )
    return summary


def _parse(
    row: RawRow,
    columns: dict[str, str],
    perimeters: dict[str, Perimeter],
    people: dict[tuple[int, str], Person],
) -> tuple[tuple[int, int | None, Any], _Day]:
    if row.error:
        raise V.Invalid(row.error, "une ligne alignée sur l'en-tête")
    values = {name: row.values.get(column) for name, column in columns.items()}
    perimeter = perimeters.get(normalise(str(values["perimeter"] or "")))
    if perimeter is None:
        raise V.Invalid(
            f"périmètre inconnu « {values['perimeter']} »", "un code ou nom de périmètre"
        )
    person = None
    if values.get("person"):
        person = people.get((perimeter.pk, normalise(str(values["person"]))))
        if person is None:
            raise V.Invalid(
                f"personne inconnue « {values['person']} » dans {perimeter.name}",
                "prénom et nom d'une personne de ce périmètre",
            )
    date = V.parse_datetime(values["date"]).date()
    day = _Day(revenue=_amount(values.get("revenue")))
    if values.get("revenue_target") not in (None, ""):
        day.revenue_target = _amount(values["revenue_target"])
    for name in ("orders", *ACTIVITY_FIELDS):
        if name in columns:
            day.counts[name] = _count(values.get(name), name)
    return (perimeter.pk, person.pk if person else None, date), day


def _add(total: _Day, day: _Day) -> None:
    total.revenue += day.revenue
    if day.revenue_target is not None:
        total.revenue_target = (total.revenue_target or Decimal(0)) + day.revenue_target
    for name, value in day.counts.items():
        total.counts[name] = total.counts.get(name, 0) + value


def _write(key: tuple[int, int | None, Any], day: _Day, columns: dict[str, str]) -> bool:
    """Write one day, only the figures this file has (a sales-only export leaves activity
    alone); False when the day was already stored with the same figures."""
    perimeter_id, person_id, date = key
    sales: dict[str, Any] = {}
    if "revenue" in columns:
        sales["revenue"] = day.revenue.quantize(Decimal("0.01"))
    if "revenue_target" in columns:
        sales["revenue_target"] = day.revenue_target
    if "orders" in columns:
        sales["orders"] = day.counts.get("orders", 0)
    activity = {name: day.counts.get(name, 0) for name in ACTIVITY_FIELDS if name in columns}
    lookup = {"perimeter_id": perimeter_id, "person_id": person_id, "date": date}
    changed = False
    if sales:
        changed |= _upsert(SalesFact, lookup, sales, create={"revenue": Decimal(0), **sales})
    if activity:
        changed |= _upsert(ActivityFact, lookup, activity, create=activity)
    return changed


def _upsert(
    model: Any, lookup: dict[str, Any], values: dict[str, Any], *, create: dict[str, Any]
) -> bool:
    current = model.objects.filter(**lookup).values(*values).first()
    if current == values:
        return False
    model.objects.update_or_create(defaults=values, create_defaults=create, **lookup)
    return True


def _record(
    path: Path,
    root: Perimeter,
    user: Any,
    summary: SalesSummary,
    rejects: list[tuple[RawRow, V.Invalid]],
) -> None:
    """Keep the import and its rejected rows (raw, with reasons) like any other import."""
    batch = Import.objects.create(
        perimeter=root,
        created_by=user if user is not None and user.pk else None,
        kind=Import.Kind.SALES,
        file_name=path.name[:255],
        status=Import.Status.DONE,
        read=summary.read,
        accepted=summary.accepted,
        quarantined=summary.quarantined,
        duplicates=summary.duplicates,
        finished_at=timezone.now(),
    )
    QuarantinedRow.objects.bulk_create(
        QuarantinedRow(
            batch=batch,
            perimeter=root,
            row_number=row.number,
            raw={
                k: v if isinstance(v, int | float | bool) or v is None else str(v)
                for k, v in row.values.items()
            },
            reasons=[
                {
                    "field": "ligne",
                    "column": "",
                    "value": "",
                    "message": str(error),
                    "accepted": error.accepted,
                }
            ],
        )
        for row, error in rejects
    )
