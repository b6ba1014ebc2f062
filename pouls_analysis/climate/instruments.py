"""Load and validate survey instruments stored as YAML files."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from pouls_analysis.exceptions import InvalidInputError

__all__ = [
    "Instrument",
    "Item",
    "Dimension",
    "Scale",
    "load_instrument",
    "parse_instrument",
    "shipped_instruments",
    "INSTRUMENTS_DIR",
]

INSTRUMENTS_DIR = Path(__file__).parent / "instruments"
SCORING = {"mean", "who5", "enps", "diagnosis"}


@dataclass(frozen=True, slots=True)
class Scale:
    min: int
    max: int
    labels_fr: tuple[str, ...]
    labels_en: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Dimension:
    id: str
    label_fr: str
    label_en: str


@dataclass(frozen=True, slots=True)
class Item:
    id: str
    dimension: str
    text_fr: str
    text_en: str
    reversed: bool = False


@dataclass(frozen=True, slots=True)
class Instrument:
    id: str
    title_fr: str
    title_en: str
    scale: Scale
    dimensions: tuple[Dimension, ...]
    items: tuple[Item, ...]
    scoring: str
    free_text_fr: str = ""


def _get(data: Any, key: str, where: str, kind: type = str) -> Any:
    if not isinstance(data, dict):
        raise InvalidInputError(f"{where}: expected a mapping, got {type(data).__name__}.")
    if key not in data:
        raise InvalidInputError(f"{where}: missing field {key!r}.")
    value = data[key]
    if not isinstance(value, kind) or (isinstance(value, str) and not value.strip()):
        raise InvalidInputError(f"{where}: field {key!r} must be a non-empty {kind.__name__}.")
    return value


def load_instrument(path_or_name: str | Path) -> Instrument:
    """Load ``path`` or a shipped instrument by name (``"who5_fr"``)."""
    path = Path(path_or_name)
    if not path.suffix:
        path = INSTRUMENTS_DIR / f"{path_or_name}.yaml"
    if not path.is_file():
        raise InvalidInputError(f"Instrument file not found: {path}.")
    return parse_instrument(path.read_text(encoding="utf-8"), path.name)


def shipped_instruments() -> list[str]:
    """Names of the instruments shipped with the package (``who5_fr``…), sorted."""
    return sorted(p.stem for p in INSTRUMENTS_DIR.glob("*.yaml"))


def parse_instrument(text: str, where: str = "<instrument>") -> Instrument:
    """Parse and validate an instrument from YAML text (an uploaded licensed file, or the
    copy a campaign froze at creation); errors name ``where``, the item and the field."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise InvalidInputError(f"{where}: not valid YAML ({exc.__class__.__name__}).") from exc
    if not isinstance(data, dict):
        raise InvalidInputError(f"{where}: top level must be a mapping.")
    sc = _get(data, "scale", where, dict)
    labels_fr = tuple(_get(sc, "labels_fr", f"{where} scale", list))
    labels_en = tuple(_get(sc, "labels_en", f"{where} scale", list))
    scale = Scale(
        _get(sc, "min", f"{where} scale", int),
        _get(sc, "max", f"{where} scale", int),
        labels_fr,
        labels_en,
    )
    if scale.max <= scale.min:
        raise InvalidInputError(f"{where} scale: max must exceed min.")
    if len(labels_fr) != scale.max - scale.min + 1:
        raise InvalidInputError(
            f"{where} scale: {len(labels_fr)} labels_fr for {scale.max - scale.min + 1} points."
        )
    dims = tuple(
        Dimension(
            _get(d, "id", f"{where} dimension"),
            _get(d, "label_fr", f"{where} dimension"),
            _get(d, "label_en", f"{where} dimension"),
        )
        for d in _get(data, "dimensions", where, list)
    )
    dim_ids = {d.id for d in dims}
    items: list[Item] = []
    seen: set[str] = set()
    for raw in _get(data, "items", where, list):
        item_id = _get(raw, "id", f"{where} item")
        w = f"{where} item {item_id}"
        if item_id in seen:
            raise InvalidInputError(f"{w}: duplicate id.")
        seen.add(item_id)
        dim = _get(raw, "dimension", w)
        if dim not in dim_ids:
            raise InvalidInputError(f"{w}: field 'dimension' names unknown {dim!r}.")
        rev = raw.get("reversed", False)
        if not isinstance(rev, bool):
            raise InvalidInputError(f"{w}: field 'reversed' must be true or false.")
        items.append(Item(item_id, dim, _get(raw, "text_fr", w), _get(raw, "text_en", w), rev))
    scoring = _get(data, "scoring", where)
    if scoring not in SCORING:
        raise InvalidInputError(f"{where}: field 'scoring' must be one of {sorted(SCORING)}.")
    return Instrument(
        _get(data, "id", where),
        _get(data, "title_fr", where),
        _get(data, "title_en", where),
        scale,
        dims,
        tuple(items),
        scoring,
        str(data.get("free_text_fr", "")),
    )
