"""Theme taxonomies: YAML files read into frozen dataclasses, with errors that say where.

A taxonomy file holds ``name``, ``language``, an optional ``version`` and ``description``, and a
list of ``themes``. Each theme has ``id``, ``label_fr``, ``label_en``, ``description`` and
``parent`` (the id of another theme, or null), plus its seeds: ``lemmas`` (single words),
``expressions`` (several words, matched in order on lemmas), ``examples`` (short phrases a
customer could write) and, optionally, ``requires`` (the lemma rules count only when one of
these lemmas is in the same text) and ``aliases`` (codes of the theme in other systems). A theme
with no seeds is a grouping: it must be the parent of at least one other theme.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from pouls_analysis.exceptions import AnalysisError

__all__ = ["Taxonomy", "TaxonomyError", "Theme", "load_taxonomy", "SHIPPED_TAXONOMIES"]

SHIPPED_TAXONOMIES = ("retail_fr", "restaurants_fr")

_ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")
_REQUIRED = ("id", "label_fr", "label_en", "description", "parent")
_LISTS = ("lemmas", "expressions", "examples", "requires", "aliases")
_ALLOWED = frozenset(_REQUIRED + _LISTS)


class TaxonomyError(AnalysisError):
    """A taxonomy file is unreadable or invalid; the message names the file, theme and field."""

    code = "invalid_taxonomy"


@dataclass(frozen=True, slots=True)
class Theme:
    """One theme of a taxonomy (see the module docstring for the meaning of each field)."""

    id: str
    label_fr: str
    label_en: str
    description: str
    parent: str | None
    lemmas: tuple[str, ...] = ()
    expressions: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()
    requires: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()

    @property
    def has_seeds(self) -> bool:
        """Whether the theme can be detected by itself (groupings have no seeds)."""
        return bool(self.lemmas or self.expressions or self.examples)


@dataclass(frozen=True, slots=True)
class Taxonomy:
    """A named, validated list of themes.

    Examples
    --------
    >>> taxonomy = load_taxonomy("retail_fr")
    >>> taxonomy.get("delivery").label_fr
    'Livraison'
    """

    name: str
    language: str
    themes: tuple[Theme, ...]
    description: str = ""
    version: int = 1

    @property
    def detectable(self) -> tuple[Theme, ...]:
        """Themes with seeds, in file order (the columns of ThemeModel's outputs)."""
        return tuple(t for t in self.themes if t.has_seeds)

    def get(self, theme_id: str) -> Theme:
        """Return the theme with this id, or raise KeyError naming the known ids."""
        for theme in self.themes:
            if theme.id == theme_id:
                return theme
        known = ", ".join(t.id for t in self.themes)
        raise KeyError(f"no theme {theme_id!r} in taxonomy {self.name!r}; known: {known}")

    def by_alias(self) -> dict[str, str]:
        """Map each alias (e.g. a SemEval category) to its theme id."""
        return {alias: t.id for t in self.themes for alias in t.aliases}


def load_taxonomy(source: str | Path | Taxonomy) -> Taxonomy:
    """Load a taxonomy by shipped name (``"retail_fr"``), by path, or pass one through.

    Raises
    ------
    TaxonomyError
        When the file cannot be read or a field is invalid (the message says which file,
        theme and field, and what is accepted).
    """
    if isinstance(source, Taxonomy):
        return source
    if isinstance(source, str) and source in SHIPPED_TAXONOMIES:
        ref = resources.files("pouls_analysis.taxonomies").joinpath(f"{source}.yaml")
        return parse_taxonomy(ref.read_text(encoding="utf-8"), origin=f"{source}.yaml")
    path = Path(source)
    if not path.is_file():
        raise TaxonomyError(
            f"taxonomy {str(source)!r} is neither a shipped name "
            f"({', '.join(SHIPPED_TAXONOMIES)}) nor a readable YAML file."
        )
    return parse_taxonomy(path.read_text(encoding="utf-8"), origin=str(path))


def parse_taxonomy(text: str, *, origin: str = "<string>") -> Taxonomy:
    """Parse and validate the YAML text of a taxonomy (``origin`` names it in errors)."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise TaxonomyError(f"{origin}: not valid YAML ({exc}).") from exc
    if not isinstance(data, dict):
        raise TaxonomyError(f"{origin}: expected a mapping at the top, got {type(data).__name__}.")
    name = _string(data, "name", origin, "top level")
    language = _string(data, "language", origin, "top level")
    raw_themes = data.get("themes")
    if not isinstance(raw_themes, list) or not raw_themes:
        raise TaxonomyError(f"{origin}: 'themes' must be a non-empty list of mappings.")
    themes = tuple(_parse_theme(raw, i, origin) for i, raw in enumerate(raw_themes))
    _check_tree(themes, origin)
    version = data.get("version", 1)
    if not isinstance(version, int):
        raise TaxonomyError(f"{origin}: 'version' must be an integer, got {version!r}.")
    description = data.get("description") or ""
    return Taxonomy(
        name=name,
        language=language,
        themes=themes,
        description=str(description),
        version=version,
    )


def _string(data: dict[str, Any], field: str, origin: str, where: str) -> str:
    value = data.get(field)
    if not isinstance(value, str) or not value.strip():
        raise TaxonomyError(
            f"{origin}: {where}: field {field!r} must be a non-empty string, got {value!r}."
        )
    return value.strip()


def _parse_theme(raw: Any, index: int, origin: str) -> Theme:
    if not isinstance(raw, dict):
        raise TaxonomyError(f"{origin}: themes[{index}] must be a mapping, got {raw!r}.")
    where = f"theme {raw.get('id', f'#{index}')!r}"
    unknown = sorted(set(raw) - _ALLOWED)
    if unknown:
        raise TaxonomyError(
            f"{origin}: {where}: unknown field(s) {', '.join(unknown)}; "
            f"accepted: {', '.join(_REQUIRED + _LISTS)}."
        )
    theme_id = _string(raw, "id", origin, where)
    if not _ID_RE.match(theme_id):
        raise TaxonomyError(
            f"{origin}: {where}: field 'id' must be lower-case ASCII letters, digits and "
            f"underscores starting with a letter, got {theme_id!r}."
        )
    if "parent" not in raw:
        raise TaxonomyError(f"{origin}: {where}: field 'parent' is required (an id or null).")
    parent = raw["parent"]
    if parent is not None and not isinstance(parent, str):
        raise TaxonomyError(
            f"{origin}: {where}: field 'parent' must be a theme id or null, got {parent!r}."
        )
    lists = {field: _string_list(raw, field, origin, where) for field in _LISTS}
    for lemma in lists["lemmas"] + lists["requires"]:
        if " " in lemma:
            raise TaxonomyError(
                f"{origin}: {where}: lemmas and requires take single words, got {lemma!r}; "
                "put several words in 'expressions'."
            )
    return Theme(
        id=theme_id,
        label_fr=_string(raw, "label_fr", origin, where),
        label_en=_string(raw, "label_en", origin, where),
        description=_string(raw, "description", origin, where),
        parent=parent,
        **lists,
    )


def _string_list(raw: dict[str, Any], field: str, origin: str, where: str) -> tuple[str, ...]:
    value = raw.get(field)
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise TaxonomyError(
            f"{origin}: {where}: field {field!r} must be a list of non-empty strings, "
            f"got {value!r}."
        )
    return tuple(dict.fromkeys(v.strip() for v in value))


def _check_tree(themes: tuple[Theme, ...], origin: str) -> None:
    ids = [t.id for t in themes]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise TaxonomyError(f"{origin}: duplicate theme id(s): {', '.join(duplicates)}.")
    known = set(ids)
    parents = {t.parent for t in themes if t.parent is not None}
    for theme in themes:
        if theme.parent is not None and theme.parent not in known:
            raise TaxonomyError(
                f"{origin}: theme {theme.id!r}: field 'parent' is {theme.parent!r}, which is not "
                "a theme id of this file (accepted: an id of this file, or null)."
            )
        if theme.parent == theme.id:
            raise TaxonomyError(f"{origin}: theme {theme.id!r}: a theme cannot be its own parent.")
        if not theme.has_seeds and theme.id not in parents:
            raise TaxonomyError(
                f"{origin}: theme {theme.id!r}: no lemmas, expressions or examples, and no "
                "child theme; give it seeds or make it the parent of another theme."
            )
    for theme in themes:  # a cycle would make roll-ups loop forever
        seen = {theme.id}
        parent = theme.parent
        while parent is not None:
            if parent in seen:
                raise TaxonomyError(f"{origin}: theme {theme.id!r}: parent chain loops.")
            seen.add(parent)
            parent = next(t.parent for t in themes if t.id == parent)
