"""Compiled multi-pattern matching: every pattern at once, over a whole batch of texts.

Theme expressions ("service client", "au téléphone") are sequences of token ids; looking
each one up at every token of every text is per-token Python work. ``SequenceMatcher``
finds all of them in one pass of a compiled automaton over the batch, with the first
backend that imports, chosen once at import (``BACKEND``):

- ``"hyperscan"``: Intel's Hyperscan (PyPI ``hyperscan``; wheels for CPython 3.11 on x86_64
  Linux). The batch is one byte string, four bytes per token.
- ``"ahocorasick"``: an Aho-Corasick automaton (PyPI ``pyahocorasick``, pure C, wheels for
  most platforms). The batch is one ``str``, one character per token.
- ``"python"``: no extra package; sequences are looked up by their first token in a dict.

All backends give the same occurrences (a test runs every available backend on the
project's corpora): every occurrence of every sequence, overlapping ones included.

Service-behaviour cues are Python regular expressions with look-arounds; ``PatternGate``
says which of them may match a text, all at once: with Hyperscan, every pattern compiled in
its prefiltering mode (a superset of the matches of each pattern); with Aho-Corasick or
Python's ``re``, the literals one of which every match must contain. Only the patterns
passed by the gate are then run by ``re``, so the matches are those of ``re`` whatever the
backend.
"""

from __future__ import annotations

import importlib.util
import logging
import re
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = ["AVAILABLE_BACKENDS", "BACKEND", "PatternGate", "SequenceMatcher"]

#: Backends importable here, fastest first.
AVAILABLE_BACKENDS: tuple[str, ...] = tuple(
    name
    for name, module in (("hyperscan", "hyperscan"), ("ahocorasick", "ahocorasick"))
    if importlib.util.find_spec(module) is not None
) + ("python",)

#: The backend used when none is asked for.
BACKEND: str = AVAILABLE_BACKENDS[0]

logger = logging.getLogger(__name__)

# One occurrence: (text index in the batch, token index in the text, sequence index).
Hit = tuple[int, int, int]

# Token ids are shifted by one (0 separates the texts of a batch); in a str, code points from
# the surrogate range on are moved past it (a str cannot hold lone surrogates).
_SURROGATES = 0xD800
_SURROGATE_SPAN = 0x800
_MAX_CHAR = 0x10FFFF


class SequenceMatcher:
    """All occurrences of many token-id sequences in many texts, in one pass.

    Parameters
    ----------
    sequences : sequence of tuple of int
        Token-id sequences (non-negative ids); empty ones never match; duplicates are each
        reported.
    backend : {"hyperscan", "ahocorasick", "python"} or None, default=None
        ``None`` uses ``BACKEND``.

    Examples
    --------
    >>> matcher = SequenceMatcher([(5, 6), (6,), (6, 6)])
    >>> import numpy as np
    >>> sorted(matcher.find([np.array([1, 5, 6]), np.array([5, 6, 6])]))
    [(0, 1, 0), (0, 2, 1), (1, 0, 0), (1, 1, 1), (1, 1, 2), (1, 2, 1)]
    """

    def __init__(self, sequences: Sequence[tuple[int, ...]], backend: str | None = None) -> None:
        self.backend = BACKEND if backend is None else backend
        if self.backend not in AVAILABLE_BACKENDS:
            raise ValueError(
                f"backend {self.backend!r} is not available here (available: "
                f"{', '.join(AVAILABLE_BACKENDS)})."
            )
        # Each distinct sequence is compiled once and stands for every index it was given at.
        self._unique: list[tuple[int, ...]] = []
        self._owners: list[tuple[int, ...]] = []
        where: dict[tuple[int, ...], list[int]] = {}
        for index, sequence in enumerate(sequences):
            if sequence:
                where.setdefault(tuple(int(i) for i in sequence), []).append(index)
        for sequence, owners in where.items():
            self._unique.append(sequence)
            self._owners.append(tuple(owners))
        self._engine: Any = None
        if self._unique:
            self._engine = getattr(self, f"_compile_{self.backend}")()

    def __getstate__(self) -> dict[str, Any]:
        # Compiled automata are rebuilt after unpickling rather than serialised.
        state = dict(self.__dict__)
        state["_engine"] = None
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        if self._unique:
            self._engine = getattr(self, f"_compile_{self.backend}")()

    def find(self, texts: Sequence[npt.NDArray[np.int64]]) -> list[Hit]:
        """Every occurrence, as ``(text index, token index, sequence index)``.

        The order of the occurrences is not specified.
        """
        if not self._unique or not texts:
            return []
        found: list[Hit] = getattr(self, f"_find_{self.backend}")(texts)
        return found

    # ------------------------------------------------------------------ python
    def _compile_python(self) -> dict[int, list[tuple[int, tuple[int, ...]]]]:
        first: dict[int, list[tuple[int, tuple[int, ...]]]] = {}
        for u, sequence in enumerate(self._unique):
            first.setdefault(sequence[0], []).append((u, sequence))
        return first

    def _find_python(self, texts: Sequence[npt.NDArray[np.int64]]) -> list[Hit]:
        first = self._engine
        hits: list[Hit] = []
        for d, array in enumerate(texts):
            ids = array.tolist()
            for i, token in enumerate(ids):
                for u, sequence in first.get(token, ()):
                    if tuple(ids[i : i + len(sequence)]) == sequence:
                        hits.extend((d, i, owner) for owner in self._owners[u])
        return hits

    # --------------------------------------------------------------- batches
    def _flat(self, texts: Sequence[npt.NDArray[np.int64]]) -> tuple[Any, Any]:
        """The batch as one array (ids + 1, a 0 after each text) and each text's offset."""
        lengths = np.fromiter((len(t) + 1 for t in texts), dtype=np.int64, count=len(texts))
        offsets = np.zeros(len(texts), dtype=np.int64)
        np.cumsum(lengths[:-1], out=offsets[1:])
        flat = np.zeros(int(lengths.sum()), dtype=np.int64)
        for offset, array in zip(offsets.tolist(), texts, strict=True):
            flat[offset : offset + len(array)] = array
            flat[offset : offset + len(array)] += 1
        return flat, offsets

    def _hits(self, offsets: Any, starts: list[int], uniques: list[int]) -> list[Hit]:
        """Occurrences from their start in the flat batch and their distinct sequence."""
        if not starts:
            return []
        where = np.asarray(starts, dtype=np.int64)
        texts = np.searchsorted(offsets, where, side="right") - 1
        positions = where - offsets[texts]
        hits: list[Hit] = []
        owners = self._owners
        for d, i, u in zip(texts.tolist(), positions.tolist(), uniques, strict=True):
            hits.extend((d, i, owner) for owner in owners[u])
        return hits

    # ------------------------------------------------------------- hyperscan
    def _compile_hyperscan(self) -> Any:
        import hyperscan

        expressions = [
            "".join(f"\\x{b:02x}" for b in _words(sequence).tobytes()).encode("ascii")
            for sequence in self._unique
        ]
        database = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
        database.compile(
            expressions=expressions,
            ids=list(range(len(expressions))),
            elements=len(expressions),
            flags=0,
        )
        return database

    def _find_hyperscan(self, texts: Sequence[npt.NDArray[np.int64]]) -> list[Hit]:
        flat, offsets = self._flat(texts)
        data = flat.astype(">u4").tobytes()
        lengths = [4 * len(s) for s in self._unique]
        starts: list[int] = []
        uniques: list[int] = []

        def on_match(u: int, _from: int, to: int, _flags: int, _context: Any) -> None:
            start = to - lengths[u]
            # A match that does not start on a token boundary straddles two tokens.
            if start % 4 == 0:
                starts.append(start // 4)
                uniques.append(u)

        self._engine.scan(data, match_event_handler=on_match)
        return self._hits(offsets, starts, uniques)

    # ----------------------------------------------------------- ahocorasick
    def _compile_ahocorasick(self) -> Any:
        import ahocorasick

        automaton = ahocorasick.Automaton()
        for u, sequence in enumerate(self._unique):
            automaton.add_word(_chars(np.asarray(sequence, dtype=np.int64) + 1), (u, len(sequence)))
        automaton.make_automaton()
        return automaton

    def _find_ahocorasick(self, texts: Sequence[npt.NDArray[np.int64]]) -> list[Hit]:
        flat, offsets = self._flat(texts)
        if len(flat) and int(flat.max()) >= _MAX_CHAR - _SURROGATE_SPAN:
            return self._find_python(texts)  # more distinct tokens than code points
        starts: list[int] = []
        uniques: list[int] = []
        for end, (u, length) in self._engine.iter(_chars(flat)):
            starts.append(end - length + 1)
            uniques.append(u)
        return self._hits(offsets, starts, uniques)


def _words(sequence: tuple[int, ...]) -> npt.NDArray[Any]:
    """A sequence as the big-endian 32-bit words of the hyperscan batch (ids + 1)."""
    return (np.asarray(sequence, dtype=np.int64) + 1).astype(">u4")


def _chars(values: npt.NDArray[np.int64]) -> str:
    """Shifted ids as a str, one character each (past the surrogate range)."""
    shifted = values + np.where(values >= _SURROGATES, _SURROGATE_SPAN, 0)
    text: str = shifted.astype("<u4").tobytes().decode("utf-32-le")
    return text


class PatternGate:
    """Which of many regular expressions may match a text, tested all at once.

    Each pattern comes with literals one of which every match of it contains (found by
    parsing it). All the literals are searched at once (Hyperscan, Aho-Corasick, or one
    alternation of ``re``); ``candidates(text)`` holds the patterns whose literal occurs,
    plus those without literals: every pattern that matches ``text`` is among them. The
    backends find the same literals, so they give the same candidates. (Hyperscan could also
    compile the patterns themselves in its prefiltering mode, a stronger gate; on the
    service-behaviour cues, with their bounded repeats of Unicode classes, its compiler ran
    for minutes, so it gates on the literals too.)

    Parameters
    ----------
    literals : sequence of (frozenset of str, or None)
        For each pattern, literals one of which every match contains (None: unknown, the
        pattern is always a candidate).
    backend : {"hyperscan", "ahocorasick", "python"} or None, default=None

    Examples
    --------
    >>> gate = PatternGate([{"rayon"}, {"allez", "allons"}, None])
    >>> sorted(gate.candidates("ce n'est pas mon rayon"))
    [0, 2]
    """

    def __init__(
        self,
        literals: Sequence[frozenset[str] | set[str] | None],
        backend: str | None = None,
    ) -> None:
        self.backend = BACKEND if backend is None else backend
        if self.backend not in AVAILABLE_BACKENDS:
            raise ValueError(
                f"backend {self.backend!r} is not available here (available: "
                f"{', '.join(AVAILABLE_BACKENDS)})."
            )
        self.literals = tuple(None if not x else frozenset(x) for x in literals)
        self.always = frozenset(i for i, found in enumerate(self.literals) if found is None)
        owners: dict[str, set[int]] = {}
        for i, found in enumerate(self.literals):
            for literal in found or ():
                owners.setdefault(literal, set()).add(i)
        self._words = sorted(owners)
        self._owners = [frozenset(owners[w]) for w in self._words]
        self._engine: Any = None
        if self._words:
            self._engine = getattr(self, f"_compile_{self.backend}")()

    def __getstate__(self) -> dict[str, Any]:
        return {"literals": self.literals, "backend": self.backend}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["literals"], state["backend"])  # type: ignore[misc]

    def _compile_hyperscan(self) -> Any:
        import hyperscan

        database = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
        database.compile(
            expressions=[
                "".join(f"\\x{b:02x}" for b in w.encode("utf-8")).encode("ascii")
                for w in self._words
            ],
            ids=list(range(len(self._words))),
            elements=len(self._words),
            flags=hyperscan.HS_FLAG_SINGLEMATCH,
        )
        return database

    def _compile_ahocorasick(self) -> Any:
        import ahocorasick

        automaton = ahocorasick.Automaton()
        for k, word in enumerate(self._words):
            automaton.add_word(word, k)
        automaton.make_automaton()
        return automaton

    def _compile_python(self) -> Any:
        # One trie-shaped regex finds the longest literal at each position (in a look-ahead,
        # so that literals overlapping it are tried too); a found literal stands for the
        # literals that are its prefix, which occur there as well.
        index = {w: k for k, w in enumerate(self._words)}
        self._prefixes = {
            w: [index[w[:n]] for n in range(1, len(w) + 1) if w[:n] in index] for w in self._words
        }
        return re.compile(f"(?=({_trie_regex(self._words)}))")

    def found(self, text: str) -> set[int]:
        """Indices (into the sorted literals) of the literals occurring in ``text``."""
        if self._engine is None:
            return set()
        seen: set[int] = set()
        if self.backend == "hyperscan":

            def on_match(k: int, _from: int, _to: int, _flags: int, _context: Any) -> None:
                seen.add(k)

            self._engine.scan(text.encode("utf-8"), match_event_handler=on_match)
        elif self.backend == "ahocorasick":
            seen.update(k for _, k in self._engine.iter(text))
        else:
            for word in set(self._engine.findall(text)):
                seen.update(self._prefixes[word])
        return seen

    def candidates(self, text: str) -> set[int]:
        """Indices of the patterns that may match ``text`` (all those that do)."""
        out = set(self.always)
        for k in self.found(text):
            out |= self._owners[k]
        return out


def _trie_regex(literals: Iterable[str]) -> str:
    """One regex matching the longest of ``literals`` at a position (a trie of alternations).

    Each alternative starts with a literal character, which ``re`` rejects in one step, so
    the regex costs about one comparison per first letter per position.
    """
    trie: dict[str, Any] = {}
    for literal in literals:
        node = trie
        for char in literal:
            node = node.setdefault(char, {})
        node[""] = {}
    return _emit(trie)


def _emit(node: dict[str, Any]) -> str:
    ends = "" in node
    parts = [re.escape(char) + _emit(child) for char, child in sorted(node.items()) if char]
    if not parts:
        return ""
    body = parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"
    if ends:
        return f"(?:{body})?"
    return body
