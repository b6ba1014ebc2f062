"""From file columns to Feedback fields: presets for the tools people export from, a YAML
mapping file to override them, and guesses from French or English column names."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping as MappingABC
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from pouls.feedback.importers.columns import Column, label_text, recognise, words_of

FIELDS = (
    "perimeter",
    "received_at",
    "nps",
    "csat",
    "ces",
    "text",
    "source_id",
    "customer",
    "callback_consent",
    "person",
    "channel",
    "source_kind",
    "language",
)
SCORE_FIELDS = ("nps", "csat", "ces")


class MappingError(ValueError):
    """The mapping cannot be used with this file; the message (French) says why and how."""


@dataclass(frozen=True, slots=True)
class ColumnMapping:
    """Which columns feed which field. ``columns`` values are candidate lists: the first
    candidate present in the file wins, except for ``text`` where every present one is kept."""

    columns: dict[str, tuple[str, ...]] = field(default_factory=dict)
    defaults: dict[str, str] = field(default_factory=dict)
    header_rows: int = 1
    skip_rows: int = 0  # rows after the header to ignore
    # Rows after the header that describe the columns (Qualtrics' question texts and import
    # ids): read into ``Table.labels`` and used to recognise the columns, never imported.
    label_rows: int = 0
    # None: the order of day and month is inferred from all the values of the date column
    # (French order when nothing settles it); True/False forces day/month or month/day.
    day_first: bool | None = None
    timezone: str = "Europe/Paris"
    ces_scale: int = 7
    # False when the mapping is complete (the web screen): unmapped fields stay unmapped.
    guess: bool = True
    # Fields the user mapped explicitly: a missing column is an error for them, whereas a
    # preset's candidates are only tried.
    required: frozenset[str] = frozenset()

    def merged(self, other: ColumnMapping) -> ColumnMapping:
        return replace(
            other,
            columns={**self.columns, **other.columns},
            defaults={**self.defaults, **other.defaults},
            required=frozenset(other.columns),
        )


PRESETS: dict[str, ColumnMapping] = {
    # Row 1 holds column ids, row 2 the question texts, row 3 Qualtrics' ImportId JSON.
    "qualtrics": ColumnMapping(
        columns={
            "received_at": ("RecordedDate", "EndDate", "StartDate"),
            "source_id": ("ResponseId",),
            "language": ("UserLanguage",),
        },
        defaults={"source_kind": "survey", "channel": "web"},
        label_rows=2,
    ),
    # Row 1 the questions, row 2 the sub-answers ("Response", "Open-Ended Response").
    "surveymonkey": ColumnMapping(
        columns={
            "received_at": ("End Date", "Date de fin", "Start Date", "Date de début"),
            "source_id": ("Respondent ID", "ID du répondant"),
        },
        defaults={"source_kind": "survey", "channel": "web"},
        header_rows=2,
    ),
    "google_forms": ColumnMapping(
        columns={"received_at": ("Horodateur", "Timestamp", "Horodatage")},
        defaults={"source_kind": "survey", "channel": "web"},
    ),
    "typeform": ColumnMapping(
        columns={
            "received_at": ("Submitted At", "Soumis le", "Submit Date (UTC)"),
            "source_id": ("#", "Response ID", "Token"),
        },
        defaults={"source_kind": "survey", "channel": "web"},
    ),
    "limesurvey": ColumnMapping(
        columns={
            "received_at": ("submitdate", "Date de soumission", "Date submitted"),
            "source_id": ("id", "ID de la réponse", "Response ID"),
            "language": ("startlanguage", "Langue de départ"),
        },
        defaults={"source_kind": "survey", "channel": "web"},
    ),
    # Google / Trustpilot style: rating, text, date, place.
    "reviews": ColumnMapping(
        columns={
            "csat": ("rating", "note", "étoiles", "etoiles", "stars", "Rating"),
            "text": ("text", "review", "avis", "commentaire", "Review Content", "Content"),
            "received_at": ("date", "Date", "Review Date", "published_at", "Date de l'avis"),
            "perimeter": ("place", "lieu", "magasin", "établissement", "Location", "store"),
            "source_id": ("review_id", "id", "Review ID"),
        },
        defaults={"source_kind": "review", "channel": "social"},
    ),
}

# Guesses from normalised column names (accents and case removed), used under any preset.
GUESSES: dict[str, tuple[str, ...]] = {
    "perimeter": ("magasin", "agence", "perimetre", "site", "boutique", "store", "code magasin"),
    "received_at": ("date", "date de reponse", "horodateur", "received_at", "created_at"),
    "nps": (
        "nps",
        "recommandation",
        "note nps",
        "probabilite de recommander",
        "likelihood to recommend",
    ),
    "csat": ("csat", "satisfaction", "note satisfaction"),
    "ces": ("ces", "effort", "customer effort"),
    "text": ("commentaire", "verbatim", "pourquoi", "texte", "comment", "remarques", "text"),
    "source_id": ("source_id", "id reponse", "identifiant", "response id"),
    "customer": ("email", "e-mail", "courriel", "client", "id client", "customer"),
    "callback_consent": ("rappel", "accepte d'etre rappele", "consentement rappel", "callback"),
    "person": ("vendeur", "conseiller", "vendeuse", "conseillere", "collaborateur", "seller"),
    "channel": ("canal", "channel"),
    "language": ("langue", "language"),
}


def normalise(name: str) -> str:
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return " ".join(text.lower().replace("_", " ").replace("?", " ").split())


def _channels() -> set[str]:
    from pouls.feedback.models import Feedback

    return {c.value for c in Feedback.Channel}


def load_mapping(
    source: Path | MappingABC[str, Any] | None, *, preset: str | None = None
) -> ColumnMapping:
    """The preset (if any) overridden by the YAML mapping file (if any)."""
    if preset is not None and preset not in PRESETS:
        raise MappingError(
            f"préréglage inconnu « {preset} » ; préréglages : {', '.join(sorted(PRESETS))}"
        )
    data: MappingABC[str, Any] = {}
    if isinstance(source, Path):
        try:
            loaded = yaml.safe_load(source.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise MappingError(f"fichier de correspondance illisible : {exc}") from None
        if not isinstance(loaded, dict):
            raise MappingError("le fichier de correspondance doit être un dictionnaire YAML")
        data = loaded
    elif source is not None:
        data = source
    preset = preset or data.get("preset")
    base = PRESETS[str(preset)] if preset in PRESETS else ColumnMapping()
    if preset and preset not in PRESETS:
        raise MappingError(
            f"préréglage inconnu « {preset} » ; préréglages : {', '.join(sorted(PRESETS))}"
        )
    return base.merged(_from_dict(data, base))


def _from_dict(data: MappingABC[str, Any], base: ColumnMapping) -> ColumnMapping:
    unknown = set(data) - {
        "preset",
        "columns",
        "defaults",
        "header_rows",
        "skip_rows",
        "label_rows",
        "day_first",
        "timezone",
        "ces_scale",
        "guess",
    }
    if unknown:
        raise MappingError(f"clés inconnues dans la correspondance : {', '.join(sorted(unknown))}")
    columns: dict[str, tuple[str, ...]] = {}
    for name, value in dict(data.get("columns") or {}).items():
        if name not in FIELDS:
            raise MappingError(f"champ inconnu « {name} » ; champs : {', '.join(FIELDS)}")
        values = value if isinstance(value, list) else [value]
        columns[name] = tuple(str(v) for v in values)
    defaults = {str(k): str(v) for k, v in dict(data.get("defaults") or {}).items()}
    for name in defaults:
        if name not in FIELDS:
            raise MappingError(f"champ inconnu « {name} » ; champs : {', '.join(FIELDS)}")
    ces_scale = int(data.get("ces_scale", base.ces_scale))
    if ces_scale not in (5, 7):
        raise MappingError(f"ces_scale vaut {ces_scale} ; valeurs acceptées : 5 ou 7")
    return ColumnMapping(
        columns=columns,
        defaults=defaults,
        header_rows=int(data.get("header_rows", base.header_rows)),
        skip_rows=int(data.get("skip_rows", base.skip_rows)),
        label_rows=int(data.get("label_rows", base.label_rows)),
        day_first=_day_first(data.get("day_first", base.day_first)),
        timezone=str(data.get("timezone", base.timezone)),
        ces_scale=ces_scale,
        guess=bool(data.get("guess", base.guess)),
    )


def _day_first(value: Any) -> bool | None:
    if value is None or (isinstance(value, str) and value.strip().lower() in {"", "auto"}):
        return None
    if isinstance(value, bool):
        return value
    raise MappingError(f"day_first vaut « {value} » ; valeurs acceptées : true, false ou auto")


@dataclass(frozen=True, slots=True)
class Resolved:
    """Field -> actual column names of this file (text may have several)."""

    columns: dict[str, tuple[str, ...]]
    mapping: ColumnMapping


def resolve(
    mapping: ColumnMapping,
    header: list[str],
    *,
    labels: MappingABC[str, Sequence[str]] | None = None,
    sample: Sequence[MappingABC[str, Any]] = (),
) -> Resolved:
    """Match the mapping to this file's header; unmapped fields are recognised from the
    column ids, the extra header rows (``labels``) and a ``sample`` of rows."""
    present = {normalise(h): h for h in header}
    resolved: dict[str, tuple[str, ...]] = {}
    for name in FIELDS:
        wanted = mapping.columns.get(name)
        if not wanted:
            continue
        found = tuple(present[normalise(w)] for w in wanted if normalise(w) in present)
        if found:
            resolved[name] = found if name == "text" else found[:1]
        elif name in mapping.required:
            raise MappingError(
                f"colonne {' ou '.join(repr(w) for w in wanted)} absente pour « {name} » ; "
                f"colonnes du fichier : {', '.join(header[:30])}"
            )
    if mapping.guess:
        unmapped = [f for f in FIELDS if f not in resolved and f not in mapping.defaults]
        labels = labels or {}
        described = [
            Column(
                h,
                words_of(h),
                " ".join(label_text(cell) for cell in labels.get(h, ())),
                tuple(row.get(h) for row in sample),
            )
            for h in header
        ]
        taken = {c for cols in resolved.values() for c in cols}
        resolved.update(
            recognise(described, unmapped, exact=GUESSES, taken=taken, channels=_channels())
        )
    if "perimeter" not in resolved and "perimeter" not in mapping.defaults:
        raise MappingError(
            "aucune colonne de périmètre (magasin, agence…) : indiquez-la dans la correspondance "
            "(columns: perimeter: « Nom de colonne ») ou fixez-la (defaults: perimeter: CODE)"
        )
    if "received_at" not in resolved:
        raise MappingError("aucune colonne de date : indiquez-la (columns: received_at: …)")
    if not any(f in resolved for f in (*SCORE_FIELDS, "text")):
        raise MappingError("ni note (NPS, CSAT, CES) ni texte : rien à importer dans ce fichier")
    return Resolved(resolved, mapping)
