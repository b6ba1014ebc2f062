"""Definitions of the six defensive behaviours (seed 004) and their compiled cue patterns.

A definitions file is YAML (see ``behaviours_fr.yaml``): macros, then per behaviour an id, a
French label, description and coaching tip, and weighted cues. Each cue is a regular
expression over the *folded* text (lower case, no accents, plain apostrophes, quotes as
blanks), where a space stands for one or more blanks and " ?" for an optional blank. Folding
keeps one character for one character, so match offsets are offsets in the original text and
evidence spans need no mapping.

Matching a text (``CompiledDefinitions.cue_hits``):

1. fold the text once;
2. find the cues that can match (literal gate, see ``CompiledDefinitions``) and run them;
3. drop a hit when its cue's ``unless_before`` / ``unless_after`` pattern is found in the
   same sentence within 60 characters, when its cue's ``near`` pattern is NOT found within
   200 characters before or after it (soumission: a courtesy formula counts only beside a
   refusal or inaction, ../shared/BEHAVIOURS.md), or when the cue says
   ``needs_context: true`` and the text does not match the file's ``service_context``
   pattern (no one serving, no contact with a service named) (the same words about a
   product - "mécanique", "invisible" - are not staff behaviour);
4. voice: in the hit's sentence, within 60 characters before it and the hit itself (the
   *clause*, also cut at ";" and brackets), the file's ``customer_voice`` pattern finds a
   first-person subject ("je", "j'", "nous ...ons") and its ``staff_voice`` pattern someone
   serving as the subject or the speaker ("il m'a", "on me répond", "le conseiller m'a",
   "m'a dit"); an opening quotation mark counts as staff voice (reported speech). A cue
   that says ``staff_only: true`` is dropped when the clause has the customer's voice and
   no staff voice ("je soupçonne que..." is the customer's suspicion; "il m'a dit que je
   n'avais qu'à..." is reported staff speech). A cue that says ``reported: true`` counts
   only when staff voice is found in its sentence within 150 characters before it or 60
   after it ("il fallait lire les conditions" alone is the customer's self-reproach);
5. keep the first surviving hit of each cue.
"""

from __future__ import annotations

import functools
import importlib
import logging
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from pouls_analysis.exceptions import AnalysisError
from pouls_analysis.matching import PatternGate
from pouls_analysis.privacy.placeholders import blank_placeholders

__all__ = [
    "BEHAVIOUR_IDS",
    "BehaviourDefinition",
    "CompiledDefinitions",
    "Cue",
    "CueHit",
    "DefinitionsError",
    "fold_aligned",
    "load_definitions",
    "necessary_literals",
]

logger = logging.getLogger(__name__)

BEHAVIOUR_IDS = (
    "neutralite",
    "evitement",
    "protection_groupe",
    "categorisation",
    "education",
    "soumission",
)
DEFAULT_FILE = "behaviours_fr.yaml"
_WINDOW = 60
_REPORTED_WINDOW = 150  # reported speech: the speaker may open a long sentence
_NEAR_WINDOW = 200  # a formula and the refusal it goes with may sit in adjacent sentences
_MACRO_RE = re.compile(r"\{([a-z_]+)\}")
_SENTENCE_BREAK = re.compile(r"[.!?\n]")
_OPENING_QUOTE = re.compile(r'[«“]|"(?=\w)')  # a quotation opens: reported speech
_CLAUSE_BREAKS = ".!?\n;()"  # the customer's voice is looked for in the hit's clause


class DefinitionsError(AnalysisError):
    """A behaviour definitions file is malformed; the message names the field and value."""

    code = "invalid_behaviour_definitions"


@dataclass(frozen=True, slots=True)
class Cue:
    """One weighted pattern of a behaviour (patterns as written, macros expanded)."""

    id: str
    behaviour: str
    weight: float
    pattern: str
    unless_before: str | None = None
    unless_after: str | None = None
    near: str | None = None
    context: str | None = None
    customer_voice: str | None = None
    staff_voice: str | None = None
    reported: bool = False


@dataclass(frozen=True, slots=True)
class BehaviourDefinition:
    """A defensive behaviour: French label, description, coaching tip and its cues."""

    id: str
    label: str
    description: str
    coaching: str
    cues: tuple[Cue, ...]


@dataclass(frozen=True, slots=True)
class CueHit:
    """A cue found in a text: which cue, its weight, and its character span."""

    behaviour: str
    cue: str
    weight: float
    start: int
    end: int


# ------------------------------------------------------------------------------- folding
def _fold_char(c: str) -> str:
    if c in "’‘`´ʼ":
        return "'"
    if c in '«»“”„"' or c.isspace():
        return " "
    base = unicodedata.normalize("NFD", c)[0]
    lowered = base.lower()
    return lowered if len(lowered) == 1 else base


@functools.cache
def _fold_table() -> dict[int, str]:
    chars = [chr(i) for i in range(0x80, 0x250)] + list('’‘`´ʼ«»“”„"\u00a0\u202f\t\n\r')
    return {ord(c): _fold_char(c) for c in chars if _fold_char(c) != c}


def fold_aligned(text: str) -> str:
    """Fold ``text`` for matching, keeping its length: ``result[i]`` comes from ``text[i]``.

    Lower case, accents removed, typographic apostrophes made plain, quotes and every blank
    made a space (reported speech in quotes matches the same patterns as without), and the
    pseudonymiser's typed placeholders (``[NOM]``, ``[TÉLÉPHONE]``...) made spaces.

    Examples
    --------
    >>> fold_aligned("Ce n’était PAS mon rayon, Élodie")
    "ce n'etait pas mon rayon, elodie"
    >>> fold_aligned("«Suivant»")
    ' suivant '

    """
    # Typed placeholders ("[NOM]") are not words: blanked, offsets unchanged (issue 19).
    text = blank_placeholders(text)
    lowered = text.lower()
    if len(lowered) != len(text):  # a few characters lower-case to two ("İ")
        lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    return lowered.translate(_fold_table())


# ------------------------------------------------------------------------------- loading
def load_definitions(source: str | Path | None = None) -> tuple[BehaviourDefinition, ...]:
    """Read and check a behaviour definitions YAML file (default: the shipped French one).

    Parameters
    ----------
    source : str, Path or None
        Path of a YAML file; ``None`` reads ``behaviours_fr.yaml`` shipped in this package.

    Returns
    -------
    tuple of BehaviourDefinition
        In file order.

    Raises
    ------
    DefinitionsError
        When a field is missing or wrong, an id repeats, a weight is outside (0, 1], a
        pattern does not compile or uses a capturing group, or a macro is unknown.
    """
    if source is None:
        text = resources.files(__package__).joinpath(DEFAULT_FILE).read_text(encoding="utf-8")
        name = DEFAULT_FILE
    else:
        path = Path(source)
        if not path.is_file():
            raise DefinitionsError(f"Behaviour definitions file not found: {str(path)!r}.")
        text = path.read_text(encoding="utf-8")
        name = str(path)
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise DefinitionsError(f"{name}: not valid YAML ({exc}).") from None
    return _parse(data, name)


def _parse(data: Any, name: str) -> tuple[BehaviourDefinition, ...]:
    if not isinstance(data, Mapping) or not isinstance(data.get("behaviours"), list):
        raise DefinitionsError(f"{name}: expected a mapping with a 'behaviours' list.")
    macros = data.get("macros") or {}
    if not isinstance(macros, Mapping):
        raise DefinitionsError(f"{name}: 'macros' must be a mapping, got {type(macros).__name__}.")
    context = data.get("service_context")
    if context is not None:
        if not isinstance(context, str) or not context.strip():
            raise DefinitionsError(
                f"{name}: 'service_context' must be a non-empty pattern, got {context!r}."
            )
        context = _expand(context.strip(), macros, f"{name}: service_context")
    voices: dict[str, str | None] = {}
    for key in ("customer_voice", "staff_voice"):
        value = data.get(key)
        if value is not None:
            if not isinstance(value, str) or not value.strip():
                raise DefinitionsError(
                    f"{name}: {key!r} must be a non-empty pattern, got {value!r}."
                )
            value = _expand(value.strip(), macros, f"{name}: {key}")
        voices[key] = value
    definitions: list[BehaviourDefinition] = []
    seen: set[str] = set()
    for i, entry in enumerate(data["behaviours"]):
        where = f"{name}: behaviours[{i}]"
        if not isinstance(entry, Mapping):
            raise DefinitionsError(f"{where} must be a mapping.")
        fields = {k: _text(entry, k, where) for k in ("id", "label", "description", "coaching")}
        if fields["id"] in seen:
            raise DefinitionsError(f"{where}: id {fields['id']!r} appears twice.")
        seen.add(fields["id"])
        cues_data = entry.get("cues")
        if not isinstance(cues_data, list) or not cues_data:
            raise DefinitionsError(f"{where}: 'cues' must be a non-empty list.")
        cues = tuple(
            _parse_cue(c, fields["id"], macros, f"{where}.cues[{j}]", context, voices)
            for j, c in enumerate(cues_data)
        )
        if len({c.id for c in cues}) != len(cues):
            raise DefinitionsError(f"{where}: cue ids must be unique within a behaviour.")
        definitions.append(BehaviourDefinition(cues=cues, **fields))
    if not definitions:
        raise DefinitionsError(f"{name}: 'behaviours' is empty.")
    return tuple(definitions)


def _text(entry: Mapping[str, Any], key: str, where: str) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        raise DefinitionsError(f"{where}: {key!r} must be a non-empty string, got {value!r}.")
    return value.strip()


def _parse_cue(
    entry: Any,
    behaviour: str,
    macros: Mapping[str, Any],
    where: str,
    context: str | None,
    voices: Mapping[str, str | None],
) -> Cue:
    if not isinstance(entry, Mapping):
        raise DefinitionsError(f"{where} must be a mapping.")
    cue_id = _text(entry, "id", where)
    weight = entry.get("weight")
    if not isinstance(weight, int | float) or isinstance(weight, bool) or not 0 < weight <= 1:
        raise DefinitionsError(f"{where}: 'weight' must be a number in (0, 1], got {weight!r}.")
    patterns: dict[str, str | None] = {}
    for key in ("pattern", "unless_before", "unless_after", "near"):
        raw = entry.get(key)
        if raw is None and key != "pattern":
            patterns[key] = None
            continue
        if not isinstance(raw, str) or not raw.strip():
            raise DefinitionsError(f"{where}: {key!r} must be a non-empty string, got {raw!r}.")
        patterns[key] = _expand(raw.strip(), macros, f"{where}.{key}")
    pattern = patterns["pattern"]
    assert pattern is not None
    needs_context = entry.get("needs_context", False)
    if not isinstance(needs_context, bool):
        raise DefinitionsError(
            f"{where}: 'needs_context' must be true or false, got {needs_context!r}."
        )
    flags: dict[str, bool] = {}
    for key, needed in (("staff_only", "customer_voice"), ("reported", "staff_voice")):
        value = entry.get(key, False)
        if not isinstance(value, bool):
            raise DefinitionsError(f"{where}: {key!r} must be true or false, got {value!r}.")
        if value and voices.get(needed) is None:
            raise DefinitionsError(f"{where}: {key!r} needs a file-level {needed!r} pattern.")
        flags[key] = value
    staff_only = flags["staff_only"]
    return Cue(
        id=cue_id,
        behaviour=behaviour,
        weight=float(weight),
        pattern=pattern,
        unless_before=patterns["unless_before"],
        unless_after=patterns["unless_after"],
        near=patterns["near"],
        context=context if needs_context else None,
        customer_voice=voices.get("customer_voice") if staff_only else None,
        staff_voice=voices.get("staff_voice") if staff_only or flags["reported"] else None,
        reported=flags["reported"],
    )


def _expand(pattern: str, macros: Mapping[str, Any], where: str) -> str:
    for _ in range(5):  # macros may use macros, a few levels deep
        if not _MACRO_RE.search(pattern):
            break

        def sub(match: re.Match[str]) -> str:
            key = match.group(1)
            if key not in macros:
                raise DefinitionsError(
                    f"{where}: unknown macro {{{key}}}; known: {sorted(macros)}."
                )
            return str(macros[key])

        pattern = _MACRO_RE.sub(sub, pattern)
    # " ?" is an optional blank; any other space is one or more blanks.
    pattern = pattern.replace(" ?", r"\s*").replace(" ", r"\s+")
    try:
        compiled = re.compile(pattern)
    except re.error as exc:
        raise DefinitionsError(f"{where}: pattern does not compile ({exc}).") from None
    if compiled.groups:
        raise DefinitionsError(
            f"{where}: pattern has {compiled.groups} capturing group(s); write (?:...) instead."
        )
    return pattern


# ------------------------------------------------------------------------------- matching
class CompiledDefinitions:
    r"""Behaviour definitions compiled for fast matching.

    Python's ``re`` has no multi-pattern search, and fifty alternations tried at every
    character cost more than the rest of the pipeline. So each cue's pattern is parsed once
    to find literals one of which any match must contain ("semblant" or "mine" for
    "fai\w* (?:semblant|mine) ..."); a compiled multi-pattern engine finds all these literals
    in a text at once (``pouls_analysis.matching.PatternGate``: Hyperscan, Aho-Corasick, or
    one trie-shaped regex of ``re``; all find the same literals), and only the cues whose
    literals occur are run. Cues without such a literal always run. The
    gate only skips cues that cannot match, so results are the same as running every cue.

    Parameters
    ----------
    definitions : tuple of BehaviourDefinition
        As returned by :func:`load_definitions`.
    """

    def __init__(self, definitions: tuple[BehaviourDefinition, ...]) -> None:
        self.definitions = definitions
        self.cues: tuple[Cue, ...] = tuple(c for d in definitions for c in d.cues)
        self._regexes = tuple(re.compile(c.pattern) for c in self.cues)
        self._before = tuple(
            re.compile(c.unless_before) if c.unless_before else None for c in self.cues
        )
        self._after = tuple(
            re.compile(c.unless_after) if c.unless_after else None for c in self.cues
        )
        self._near = tuple(re.compile(c.near) if c.near else None for c in self.cues)
        self._context = tuple(re.compile(c.context) if c.context else None for c in self.cues)
        self._customer = tuple(
            re.compile(c.customer_voice) if c.customer_voice else None for c in self.cues
        )
        self._staff = tuple(re.compile(c.staff_voice) if c.staff_voice else None for c in self.cues)
        literals = [necessary_literals(c.pattern) for c in self.cues]
        self.ungated: tuple[str, ...] = tuple(
            c.id for c, found in zip(self.cues, literals, strict=True) if found is None
        )
        # Every cue's literals searched at once by a compiled engine (matching.BACKEND); the
        # gate only skips cues that cannot match, whatever the engine.
        self._gate = PatternGate(literals)

    def cue_hits(self, text: str, folded: str | None = None) -> list[CueHit]:
        """Cue hits in ``text`` (at most one per cue), in definitions order."""
        if folded is None:
            folded = fold_aligned(text)
        candidates = self._gate.candidates(folded)
        hits: list[CueHit] = []
        has_context: dict[str, bool] = {}  # one search per context pattern and text
        for i in sorted(candidates):
            for match in self._regexes[i].finditer(folded):
                start, end = match.span()
                if self._vetoed(i, folded, start, end):
                    continue
                if self._customer[i] is not None and self._customers_voice(
                    i, text, folded, start, end
                ):
                    continue
                if self.cues[i].reported and not self._reported(i, text, folded, start, end):
                    continue
                context = self._context[i]
                if context is not None:  # searched only once a cue matched (rare)
                    if context.pattern not in has_context:
                        has_context[context.pattern] = context.search(folded) is not None
                    if not has_context[context.pattern]:
                        break
                cue = self.cues[i]
                if self._near[i] is not None:
                    # The evidence shows the formula AND the refusal it goes with.
                    start, end = self._near_span(i, folded, start, end) or (start, end)
                start, end = _trim(text, start, end)
                hits.append(CueHit(cue.behaviour, cue.id, cue.weight, start, end))
                break
        return hits

    def _vetoed(self, i: int, folded: str, start: int, end: int) -> bool:
        before = self._before[i]
        if before is not None:
            window = folded[max(0, start - _WINDOW) : start]
            if before.search(window[_last_break(window) :]):
                return True
        after = self._after[i]
        if after is not None:
            window = folded[end : end + _WINDOW]
            stop = _SENTENCE_BREAK.search(window)
            if after.search(window[: stop.start()] if stop else window):
                return True
        return self._near[i] is not None and self._near_span(i, folded, start, end) is None

    def _near_span(self, i: int, folded: str, start: int, end: int) -> tuple[int, int] | None:
        """Span of the hit of cue ``i`` widened to the nearest match of its ``near`` pattern
        (the refusal a courtesy formula goes with), or None when there is none in reach."""
        near = self._near[i]
        assert near is not None
        lo, hi = max(0, start - _NEAR_WINDOW), min(len(folded), end + _NEAR_WINDOW)
        best: tuple[int, int] | None = None
        for match in near.finditer(folded, lo, hi):
            a, b = match.span()
            gap = a - end if a >= end else start - b if b <= start else 0
            if best is None or gap < best[0]:
                best = (gap, a if a < start else b)
        if best is None:
            return None
        edge = best[1]
        return (min(start, edge), max(end, edge))

    def _customers_voice(self, i: int, text: str, folded: str, start: int, end: int) -> bool:
        """Whether the hit of cue ``i`` at ``start:end`` is in the customer's own voice."""
        customer = self._customer[i]
        assert customer is not None
        lo = max(0, start - _WINDOW)
        lo += _last_break(folded[lo:start], _CLAUSE_BREAKS)
        if customer.search(folded, lo, end) is None:
            return False
        staff = self._staff[i]
        if staff is not None and staff.search(folded, lo, end) is not None:
            return False
        return _OPENING_QUOTE.search(text, lo, end) is None

    def _reported(self, i: int, text: str, folded: str, start: int, end: int) -> bool:
        """Whether someone serving speaks or acts in the sentence of the hit of cue ``i``."""
        staff = self._staff[i]
        assert staff is not None
        lo = max(0, start - _REPORTED_WINDOW)
        lo += _last_break(folded[lo:start])
        window = folded[end : end + _WINDOW]
        stop = _SENTENCE_BREAK.search(window)
        hi = end + (stop.start() if stop else len(window))
        if staff.search(folded, lo, hi) is not None:
            return True
        return _OPENING_QUOTE.search(text, lo, hi) is not None


def necessary_literals(pattern: str) -> frozenset[str] | None:
    r"""Literals one of which every match of ``pattern`` contains, or None if none is known.

    Reads the parse tree of ``re`` (its private ``_parser``); any surprise in it gives None,
    which only makes the cue run on every text.

    Examples
    --------
    >>> sorted(necessary_literals(r"\bfai\w* (?:semblant|mine) de"))
    ['mine', 'semblant']
    >>> necessary_literals(r"\w+") is None
    True
    """
    try:
        parser: Any = importlib.import_module("re._parser")
        found = _required(list(parser.parse(pattern)), parser)
    except Exception:  # pragma: no cover - depends on the Python version's re internals
        logger.debug("no literal gate for a cue pattern (parse tree not understood)")
        return None
    if found is None or min(len(x) for x in found) < _MIN_LITERAL:
        return None
    return frozenset(found)


_MIN_LITERAL = 2


def _required(sequence: list[Any], parser: Any) -> frozenset[str] | None:
    """Best set of literals one of which any match of ``sequence`` contains."""
    constants = parser
    candidates: list[frozenset[str]] = []
    run: list[str] = []

    def close_run() -> None:
        if run:
            candidates.append(frozenset(["".join(run)]))
            run.clear()

    for op, av in sequence:
        if op == constants.LITERAL:
            run.append(chr(av))
            continue
        close_run()
        if op == constants.SUBPATTERN:
            sub = _required(list(av[-1]), parser)
        elif op == constants.BRANCH:
            branches = [_required(list(b), parser) for b in av[1]]
            sub = None if any(b is None for b in branches) else frozenset().union(*branches)  # type: ignore[arg-type]
        elif op in (constants.MAX_REPEAT, constants.MIN_REPEAT) and av[0] >= 1:
            sub = _required(list(av[2]), parser)
        else:
            sub = None
        if sub:
            candidates.append(sub)
    close_run()
    if not candidates:
        return None
    return max(candidates, key=lambda c: (min(len(x) for x in c), -len(c)))


def _last_break(window: str, breaks: str = ".!?\n") -> int:
    for i in range(len(window) - 1, -1, -1):
        if window[i] in breaks:
            return i + 1
    return 0


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and (text[start].isspace() or text[start] in ",;:"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:"):
        end -= 1
    return start, end
