"""Reading labelled evaluation files of the behaviour detector, in the formats people send.

A labelled file holds texts and the behaviours each one shows. Accepted, by extension:

- ``.jsonl`` / ``.ndjson`` / ``.json``: one JSON object per line (a ``.json`` file may also be
  one JSON array of objects);
- ``.csv`` / ``.tsv`` / ``.txt``: a header row, the delimiter (comma, semicolon, tab or pipe)
  found from the header.

Fields (names case-insensitive): ``text`` (or ``texte``, ``verbatim``), ``labels`` (or
``label``, ``behaviours``, ``comportements``...), optional ``id`` and ``split``. Labels are a
JSON list (of names, or of objects naming the behaviour in ``behaviour``, ``label``, ``id``...,
such as evidence spans), or one string of names separated by commas, semicolons or pipes. A
CSV without a labels column may instead have one 0/1 column per behaviour. Each name may be
the behaviour id (``protection_groupe``) or its French name, with or without accents, case,
spaces, hyphens, underscores, article or plural ("Neutralité", "evitement", "protection par
le groupe", "l'éducation");
an empty list, "none", "aucun", "aucune", "rien", "-" mean no behaviour, and so does a JSON
record without labels.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pouls_analysis.behaviours.definitions import BehaviourDefinition, load_definitions
from pouls_analysis.exceptions import InvalidInputError

__all__ = ["LabelledText", "LabelNames", "load_labelled"]

JSON_SUFFIXES = (".jsonl", ".ndjson", ".json")
CSV_SUFFIXES = (".csv", ".tsv", ".txt")
TEXT_FIELDS = ("text", "texte", "verbatim", "comment", "commentaire", "review", "avis")
LABEL_FIELDS = (
    "labels",
    "label",
    "behaviours",
    "behaviour",
    "behaviors",
    "behavior",
    "comportements",
    "comportement",
    "etiquettes",
    "etiquette",
    "categories",
)
# Keys naming the behaviour when a label is an object (an evidence span, for instance).
SPAN_NAME_FIELDS = ("behaviour", "behavior", "label", "comportement", "id", "name", "type")
NO_BEHAVIOUR = frozenset({"", "none", "aucun", "aucune", "rien", "null", "nan", "na", "sans"})
# Other names of the shipped behaviours (English, short forms), folded as by ``_key``.
ALIASES = {
    "neutralite": ("neutrality", "neutre"),
    "evitement": ("avoidance", "evite"),
    "protection_groupe": (
        "protection du groupe",
        "protection de groupe",
        "protection",
        "group protection",
    ),
    "categorisation": ("categorization", "categorisation du client", "prejuges"),
    "education": ("educating", "pedagogie"),
    "soumission": ("submission", "politesse excessive", "politesse exageree"),
}
_SPLIT_RE = re.compile(r"[,;|]")
_ARTICLE_RE = re.compile(r"^(?:l|la|le|les) ")


@dataclass(frozen=True, slots=True)
class LabelledText:
    """One labelled text of an evaluation file (``split`` is ``"all"`` when the file has none)."""

    id: str
    split: str
    text: str
    labels: tuple[str, ...]


def _key(name: str) -> str:
    """Fold a label for lookup: no accents, lower case, '-', '_', "'" and blanks as one space."""
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    plain = re.sub(r"[\s_\-'’.]+", " ", plain).strip()
    return _ARTICLE_RE.sub("", plain).strip()


class LabelNames:
    """Maps the names a file may use for a behaviour to its id.

    Parameters
    ----------
    definitions : tuple of BehaviourDefinition
        The behaviours whose ids and French labels (and, for the shipped ids, a few aliases)
        are accepted.

    Examples
    --------
    >>> names = LabelNames(load_definitions())
    >>> names.parse("Neutralité; protection par le groupe", where="f.csv:2")
    ('neutralite', 'protection_groupe')
    >>> names.parse("aucun", where="f.csv:3")
    ()
    """

    def __init__(self, definitions: Sequence[BehaviourDefinition]) -> None:
        self.definitions = tuple(definitions)
        self.ids = tuple(d.id for d in definitions)
        self._lookup: dict[str, str] = {}
        for d in definitions:
            names = (d.id, d.label, *ALIASES.get(d.id, ()))
            for name in names:
                self._lookup.setdefault(_key(name), d.id)
                self._lookup.setdefault(_key(name).replace(" ", ""), d.id)

    def accepted(self) -> str:
        """The accepted names, for error messages."""
        listed = ", ".join(f"{d.id} ({d.label})" for d in self.definitions)
        return (
            f"accepted: {listed}, with or without accents, case, spaces, hyphens or "
            "underscores; an empty list, 'none' or 'aucun' for no behaviour"
        )

    def one(self, name: str, *, where: str) -> str | None:
        """Id of one behaviour name, ``None`` for a "no behaviour" word; raise if unknown."""
        key = _key(name)
        if key in NO_BEHAVIOUR or key in {"", "0", "[]"}:
            return None
        found = self._lookup.get(key) or self._lookup.get(key.replace(" ", ""))
        if found is None and key.endswith("s"):  # "évitements"
            found = self._lookup.get(key[:-1])
        if found is None:
            raise InvalidInputError(f"{where}: unknown behaviour {name!r}; {self.accepted()}.")
        return found

    def parse(self, value: Any, *, where: str) -> tuple[str, ...]:
        """Behaviour ids of a labels value: a list, a separated string, or null."""
        if value is None:
            return ()
        if isinstance(value, str):
            stripped = value.strip()
            if stripped.startswith("["):
                try:
                    value = json.loads(stripped)
                except ValueError:
                    value = stripped.strip("[]").replace('"', "").replace("'", " ")
            if isinstance(value, str):
                value = _SPLIT_RE.split(value)
        if isinstance(value, Mapping):  # {"neutralite": 1, "evitement": 0}
            value = [k for k, v in value.items() if _truthy(v, where=where)]
        if not isinstance(value, list | tuple):
            raise InvalidInputError(
                f"{where}: labels must be a list or a string of names separated by ',', ';' "
                f"or '|', got {type(value).__name__} {value!r}."
            )
        out: list[str] = []
        for item in value:
            if isinstance(item, Mapping):  # a span: {"label": "neutralite", "start": 3, ...}
                name_key = _field(item, SPAN_NAME_FIELDS)
                item = item.get(name_key) if name_key is not None else None
            if not isinstance(item, str):
                raise InvalidInputError(
                    f"{where}: each label must be a string, got {item!r}; {self.accepted()}."
                )
            found = self.one(item, where=where)
            if found is not None and found not in out:
                out.append(found)
        return tuple(out)


def _truthy(value: Any, *, where: str) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return value > 0
    if isinstance(value, str):
        folded = _key(value)
        if folded in {"1", "1 0", "true", "vrai", "oui", "yes", "x", "y", "o"}:
            return True
        if folded in NO_BEHAVIOUR | {"0", "0 0", "false", "faux", "non", "no", "n"}:
            return False
    if value is None:
        return False
    raise InvalidInputError(f"{where}: expected 0/1 (or oui/non) for a behaviour, got {value!r}.")


def _field(row: Mapping[str, Any], candidates: Sequence[str]) -> str | None:
    """The key of ``row`` matching one of ``candidates`` (case, accents and blanks ignored)."""
    keys = {_key(str(k)).replace(" ", "_"): k for k in row}
    for name in candidates:
        if name in keys:
            return str(keys[name])
    return None


def _read_text(path: Path) -> str:
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:  # spreadsheets saved on Windows
        return raw.decode("cp1252", errors="replace")


def _json_records(path: Path, content: str) -> Iterator[tuple[int, Any]]:
    if path.suffix.lower() == ".json" and content.lstrip().startswith("["):
        try:
            records = json.loads(content)
        except ValueError as exc:
            raise InvalidInputError(f"{path}: not valid JSON ({exc}).") from None
        yield from enumerate(records, start=1)
        return
    for number, line in enumerate(content.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            yield number, json.loads(line)
        except ValueError:
            raise InvalidInputError(
                f"{path}:{number}: not valid JSON; expected one object per line with 'text' "
                "and 'labels'."
            ) from None


def _csv_records(path: Path, content: str) -> Iterator[tuple[int, Any]]:
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    header = content.splitlines()[0] if content.strip() else ""
    counts = {d: header.count(d) for d in (",", ";", "\t", "|")}
    delimiter = max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","
    reader = csv.DictReader(io.StringIO(content, newline=""), delimiter=delimiter)
    for record in reader:
        yield reader.line_num, record


def load_labelled(
    path: str | Path, definitions: str | Path | Sequence[BehaviourDefinition] | None = None
) -> list[LabelledText]:
    """Read a labelled file (JSON Lines, JSON or CSV, by extension) into labelled texts.

    Parameters
    ----------
    path : str or Path
        The file; see the module docstring for the accepted shapes.
    definitions : str, Path, sequence of BehaviourDefinition or None
        Behaviours whose names are accepted (default: the shipped French file).

    Returns
    -------
    list of LabelledText
        Labels as behaviour ids, in file order.

    Raises
    ------
    InvalidInputError
        Naming the file and line of the first bad record: no text, labels of a wrong type, an
        unknown behaviour (with the list of accepted names).
    """
    path = Path(path)
    if definitions is None or isinstance(definitions, str | Path):
        definitions = load_definitions(definitions)
    names = LabelNames(definitions)
    suffix = path.suffix.lower()
    if suffix not in JSON_SUFFIXES + CSV_SUFFIXES:
        raise InvalidInputError(
            f"{path}: unknown extension {suffix!r}; accepted: "
            f"{', '.join(JSON_SUFFIXES + CSV_SUFFIXES)}."
        )
    content = _read_text(path)
    records = _json_records if suffix in JSON_SUFFIXES else _csv_records
    rows: list[LabelledText] = []
    for number, record in records(path, content):
        rows.append(
            _row(
                record,
                names,
                where=f"{path}:{number}",
                number=number,
                json=records is _json_records,
            )
        )
    return rows


def _row(record: Any, names: LabelNames, *, where: str, number: int, json: bool) -> LabelledText:
    if not isinstance(record, Mapping):
        raise InvalidInputError(f"{where}: expected an object with 'text' and 'labels'.")
    text_key = _field(record, TEXT_FIELDS)
    if text_key is None or not isinstance(record[text_key], str):
        raise InvalidInputError(
            f"{where}: expected a 'text' field holding a string (accepted names: "
            f"{', '.join(TEXT_FIELDS)}); found fields {sorted(map(str, record))}."
        )
    label_key = _field(record, LABEL_FIELDS)
    if label_key is not None:
        labels = names.parse(record[label_key], where=where)
    else:
        columns = {names.one(str(k), where=where): k for k in record if _is_behaviour(names, k)}
        if not columns and not json:  # a JSON record without labels shows no behaviour
            raise InvalidInputError(
                f"{where}: expected a 'labels' field (accepted names: {', '.join(LABEL_FIELDS)}) "
                f"or one 0/1 column per behaviour; found fields {sorted(map(str, record))}."
            )
        labels = tuple(
            b for b, k in columns.items() if b is not None and _truthy(record[k], where=where)
        )
    id_key = _field(record, ("id", "key", "row_id", "identifiant"))
    split_key = _field(record, ("split", "partition", "subset"))
    split = record[split_key] if split_key is not None else None
    identifier = record[id_key] if id_key is not None else None
    return LabelledText(
        id=str(identifier) if identifier not in (None, "") else str(number),
        split=str(split).strip() if split not in (None, "") else "all",
        text=record[text_key],
        labels=labels,
    )


def _is_behaviour(names: LabelNames, key: Any) -> bool:
    try:
        return names.one(str(key), where="") is not None
    except InvalidInputError:
        return False
