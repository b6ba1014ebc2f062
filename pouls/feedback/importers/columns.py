"""Recognising which column feeds which field, from everything a file says about its columns.

A column is described by its id (``Q1_NPS``, ``RecordedDate``: split into words), its header
text, the header rows some tools add under it (Qualtrics' question text and ImportId,
SurveyMonkey's sub-answers) and a sample of its values. Each field has word stems in French
and English; a stem found in the id or the question text proposes the column, and the values
must agree with the field (a recommendation score holds numbers from 0 to 10, a callback
consent holds yes/no). The best-scored pairs win, one column per field (free text may take
several).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pouls.feedback.importers import values as V

# Stems matched at the start of a word ("recommand" matches « recommandiez »); stems of
# four letters or fewer must be the whole word ("ces" is not « cesser »); several words are
# matched as a phrase.
STEMS: dict[str, tuple[str, ...]] = {
    "nps": ("nps", "ltr", "recommand", "recommend", "reco"),
    "csat": ("csat", "satisf", "rating", "stars", "star", "etoiles", "note globale"),
    "ces": ("ces", "effort", "facile", "facilite", "easy", "ease", "simple"),
    "text": (
        "pourquoi",
        "why",
        "comment",
        "verbatim",
        "remarque",
        "suggestion",
        "precise",
        "precisez",
        "expliq",
        "explain",
        "texte",
        "text",
        "avis",
        "review",
        "feedback",
        "ameliorer",
        "improve",
        "dites",
        "tell us",
        "message",
    ),
    "perimeter": (
        "magasin",
        "store",
        "agence",
        "boutique",
        "site",
        "perimetre",
        "etablissement",
        "restaurant",
        "shop",
        "branch",
        "point de vente",
        "enseigne visitee",
    ),
    "person": (
        "vendeur",
        "vendeuse",
        "conseiller",
        "conseillere",
        "conseille",
        "seller",
        "salesperson",
        "advisor",
        "adviser",
        "collaborat",
        "employe",
        "employee",
        "staff",
        "agent",
        "qui vous a",
        "who served",
        "who helped",
    ),
    "callback_consent": (
        "rappel",
        "rappele",
        "recontact",
        "callback",
        "consent",
        "accept",
        "autoris",
        "d accord",
        "contact you",
        "contacter",
        "contacte",
        "follow up",
    ),
    "customer": (
        "email",
        "mail",
        "courriel",
        "telephone",
        "phone",
        "tel",
        "coordonnees",
        "contact details",
        "contact",
        "customer",
        "client",
    ),
    "received_at": (
        "date",
        "horodat",
        "timestamp",
        "recorded",
        "submitted",
        "submit",
        "soumis",
        "created",
        "received",
        "datetime",
    ),
    "source_id": ("response id", "responseid", "respondent id", "record id", "id reponse"),
    "language": ("langue", "language"),
    "channel": ("canal", "channel"),
}

# The order fields are tried in when two score the same: a consent question often names
# the contact, whereas the contact column holds addresses, not yes/no.
ORDER = (
    "received_at",
    "source_id",
    "nps",
    "csat",
    "ces",
    "callback_consent",
    "customer",
    "perimeter",
    "person",
    "language",
    "channel",
    "text",
)

# Words that rule a column out whatever else it says (Qualtrics' metadata columns).
NOT_DATA = ("latitude", "longitude", "ip address", "ipaddress", "duration", "progress")

SAMPLE_SHARE = 0.6  # share of a sample's non-empty values that must fit the field


def normalise(name: str) -> str:
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return " ".join(text.lower().replace("_", " ").replace("?", " ").split())


def words_of(text: str) -> str:
    """``"Q1_NPS"`` -> ``"q 1 nps"``, ``"RecordedDate"`` -> ``"recorded date"``: ids split at
    underscores, case changes and digits, accents and punctuation dropped."""
    text = re.sub(r"([a-z])([A-Z])", r"\1 \2", text)
    text = re.sub(r"(\d)([A-Za-z])|([A-Za-z])(\d)", r"\1\3 \2\4", text)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return " ".join(re.findall(r"[a-z0-9]+", text))


def label_text(cell: str) -> str:
    """A header-row cell as words; Qualtrics' ImportId row holds ``{"ImportId":"QID1"}``."""
    cell = cell.strip()
    if cell.startswith("{") and cell.endswith("}"):
        try:
            data = json.loads(cell)
        except ValueError:
            return words_of(cell)
        if isinstance(data, dict):
            return words_of(" ".join(str(v) for v in data.values()))
    return words_of(cell)


def _finds(stem: str, text: str) -> bool:
    if not text:
        return False
    if " " in stem or len(stem) <= 4:
        return re.search(rf"(?<![a-z0-9]){re.escape(stem)}(?![a-z0-9])", text) is not None
    return re.search(rf"(?<![a-z0-9]){re.escape(stem)}", text) is not None


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    id_words: str
    label_words: str
    values: tuple[Any, ...]


def _score(field: str, column: Column, exact: Mapping[str, tuple[str, ...]]) -> int:
    """4: the header is a known name; 3: a stem in the id or header; 2: in a question text."""
    if any(_finds(w, column.id_words) or _finds(w, column.label_words) for w in NOT_DATA):
        return 0
    if normalise(column.name) in exact.get(field, ()):
        return 4
    stems = STEMS.get(field, ())
    if any(_finds(s, column.id_words) for s in stems):
        return 3
    if any(_finds(s, column.label_words) for s in stems):
        return 2
    return 0


def _fits(check: Callable[[Any], object], values: Sequence[Any]) -> bool:
    filled = [v for v in values if v is not None and str(v).strip()]
    if not filled:
        return True  # no evidence either way
    good = 0
    for value in filled:
        try:
            check(value)
        except V.Invalid:
            continue
        good += 1
    return good >= SAMPLE_SHARE * len(filled)


def _is_text(value: Any) -> None:
    text = str(value).strip()
    if text.replace(",", ".").replace(".", "", 1).isdigit() or len(text) < 2:
        raise V.Invalid("un nombre", "du texte")


def _is_date(value: Any) -> None:
    try:
        V.parse_datetime(value, day_first=True)
    except V.Invalid:
        V.parse_datetime(value, day_first=False)


def _not_bool(value: Any) -> None:
    try:
        V.parse_bool(value, name="")
    except V.Invalid:
        return
    raise V.Invalid("oui/non", "une adresse, un numéro ou un identifiant")


def _in(choices: set[str]) -> Callable[[Any], None]:
    def check(value: Any) -> None:
        if str(value).strip().lower() not in choices:
            raise V.Invalid("hors choix", ", ".join(sorted(choices)))

    return check


def _checks(channels: set[str]) -> dict[str, Callable[[Any], object]]:
    return {
        "nps": lambda v: V.parse_score(v, low=0, high=10, name="nps"),
        "csat": lambda v: V.parse_score(v, low=1, high=5, name="csat"),
        "ces": lambda v: V.parse_score(v, low=1, high=7, name="ces"),
        "callback_consent": lambda v: V.parse_bool(v, name="rappel"),
        "received_at": _is_date,
        "text": _is_text,
        "person": _is_text,
        "customer": _not_bool,
        "channel": _in(channels),
    }


def recognise(
    columns: Sequence[Column],
    fields: Sequence[str],
    *,
    exact: Mapping[str, tuple[str, ...]],
    taken: set[str],
    channels: set[str],
) -> dict[str, tuple[str, ...]]:
    """The best column for each of ``fields`` (several for ``text``), never one in ``taken``.

    Pairs are taken best score first; a column whose sample does not fit the field is never
    proposed for it, and a column with values beats an empty one at the same score."""
    checks = _checks(channels)
    pairs: list[tuple[int, int, int, str, Column]] = []
    ordered = [f for f in ORDER if f in fields] + [f for f in fields if f not in ORDER]
    for index, column in enumerate(columns):
        if column.name in taken:
            continue
        has_values = any(v is not None and str(v).strip() for v in column.values)
        for order, field in enumerate(ordered):
            score = _score(field, column, exact)
            check = checks.get(field)
            # A column known by its very name is taken whatever its values (bad ones are
            # quarantined with their reasons); a guess must agree with the values.
            if score and (score == 4 or check is None or _fits(check, column.values)):
                pairs.append((-score, -int(has_values), order * 10_000 + index, field, column))
    pairs.sort(key=lambda p: p[:3])
    found: dict[str, tuple[str, ...]] = {}
    used = set(taken)
    for _, _, _, field, column in pairs:
        if column.name in used or (field in found and field != "text"):
            continue
        found[field] = (*found.get(field, ()), column.name)
        used.add(column.name)
    return found
