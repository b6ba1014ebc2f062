"""Out-of-the-box French sentiment: the project's lexicon read with rules, per text and per span.

``LexiconSentiment`` needs no training data. Each opinion word or expression of
``lexicon_fr.txt`` (written by the Pouls project, CC0) adds its weight, then:

1. negation (from ``FrenchPreprocessor``) turns the weight around: a positive word becomes
   0.8 times as negative ("pas bon"), a negative word half as positive ("pas mauvais"),
   unless the lexicon gives the word its own negated weight ("je ne regrette pas": +2,
   "pas reçu": -1.5);
2. intensifiers multiply the next opinion word ("très", "trop", "vraiment": 1.3;
   "extrêmement": 1.5; "assez": 0.85; "un peu": 0.6), a bare "peu" reverses it
   ("peu fiable"), and an intensifier inside a negation softens it ("pas très bon");
3. inside a sentence, the words before the last contrast marker ("mais", "par contre",
   "cependant", "pourtant", "toutefois", "en revanche", "néanmoins", "sauf que") count half
   and those after it 1.5 times; a clause opened by "malgré" counts half;
4. exclamation marks strengthen their sentence (10 % per "!", up to 4), a word written in
   capitals counts 1.3 times ("NUL"), emojis and emoticons count as words;
5. the sum ``s`` becomes a score ``s / sqrt(s² + alpha)`` in [-1, 1].

Non-French texts only get their emojis and emoticons read (the lexicon is French); their
results say so with ``lang`` and ``is_french``.
"""

from __future__ import annotations

import bisect
import functools
import math
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from pouls_analysis._validation import check_texts
from pouls_analysis.exceptions import InvalidInputError
from pouls_analysis.text.preprocess import (
    EMO_NEG,
    EMO_POS,
    FrenchPreprocessor,
    PreprocessedText,
    fold,
)

__all__ = [
    "LexiconSentiment",
    "SentimentLabel",
    "SentimentResult",
    "label_of",
    "load_lexicon",
    "polarity_of_span",
    "rating_of",
]

SentimentLabel = Literal["negative", "neutral", "positive"]
Span = tuple[int, int]

_INTENSIFIERS: dict[str, float] = {
    "tres": 1.3,
    "vraiment": 1.3,
    "trop": 1.3,
    "super": 1.3,
    "hyper": 1.4,
    "ultra": 1.4,
    "extremement": 1.5,
    "tellement": 1.3,
    "si": 1.2,
    "vachement": 1.3,
    "franchement": 1.2,
    "totalement": 1.4,
    "completement": 1.4,
    "absolument": 1.4,
    "particulierement": 1.3,
    "carrement": 1.3,
    "beaucoup": 1.2,
    "enormement": 1.4,
    "bien": 1.2,
    "assez": 0.85,
    "plutot": 0.85,
    "legerement": 0.6,
}
_SOFTENED = 0.7  # an intensifier inside a negation: "pas très bon" is milder than "pas bon"
_CONTRAST = frozenset(
    {"mais", "cependant", "pourtant", "toutefois", "neanmoins", "contre", "revanche"}
)
# A mention's clause also ends at a coordination: "livraison rapide et vendeur désagréable".
_COORDINATION = frozenset({"et", "ou", "ni", "car", "donc", "puis"})
_CAPS_FACTOR = 1.3
_EXCLAMATION_STEP = 0.1
_EXCLAMATION_CAP = 4
_CLAUSE_PUNCT = frozenset(",;:.!?…()")
_CUE_KEYS = frozenset(
    {"ne", "pas", "jamais", "aucun", "aucune", "guere", "nullement", "sans", "non", "ni", "plus"}
)


@dataclass(frozen=True, slots=True)
class SentimentResult:
    """Sentiment of one text.

    Attributes
    ----------
    label : {"negative", "neutral", "positive"}
    score : float
        Polarity in [-1, 1].
    lang : str
        Language of the text ("fr", "en", ..., "und").
    is_french : bool
        False when only emojis and emoticons could be read.
    evidence : tuple of (int, int)
        Character spans (in the original text) of the opinion words and expressions found.
    """

    label: SentimentLabel
    score: float
    lang: str
    is_french: bool
    evidence: tuple[Span, ...]


@dataclass(frozen=True, slots=True)
class _Lexicon:
    words: dict[str, tuple[float, float | None]]
    # First key -> expressions starting with it: (keys, weight, negated weight, has cue).
    expressions: dict[str, list[tuple[tuple[str, ...], float, float | None, bool]]]


def load_lexicon(
    source: str | Path | Mapping[str, float] | None = None,
) -> dict[str, tuple[float, float | None]]:
    """Read a lexicon: ``{term: (weight, weight when negated or None)}``.

    Parameters
    ----------
    source : path, mapping or None
        ``None`` reads the shipped ``lexicon_fr.txt``; a path reads a file in the same format
        (``<weight> <negated weight or "."> <term>`` per line, ``#`` comments); a mapping
        gives ``{term: weight}``.
    """
    if isinstance(source, Mapping):
        out: dict[str, tuple[float, float | None]] = {}
        for term, weight in source.items():
            if not isinstance(term, str) or not isinstance(weight, int | float):
                raise InvalidInputError(
                    f"lexicon entries must be str -> number, got {term!r}: {weight!r}."
                )
            out[term] = (float(weight), None)
        return out
    if source is None:
        text = resources.files(__package__).joinpath("lexicon_fr.txt").read_text("utf-8")
        name = "lexicon_fr.txt"
    else:
        try:
            text = Path(source).read_text(encoding="utf-8")
        except OSError as exc:
            raise InvalidInputError(f"lexicon file {source} cannot be read ({exc}).") from exc
        name = str(source)
    return _parse(text, name)


def _parse(text: str, name: str) -> dict[str, tuple[float, float | None]]:
    out: dict[str, tuple[float, float | None]] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split(maxsplit=2)
        try:
            weight = float(parts[0])
            negated = None if parts[1] == "." else float(parts[1])
            term = parts[2]
        except (IndexError, ValueError):
            raise InvalidInputError(
                f"{name} line {number}: expected '<weight> <negated weight or .> <term>', "
                f"got {line!r}."
            ) from None
        out[term] = (weight, negated)
    return out


def label_of(score: float, *, neutral_band: float = 0.05) -> SentimentLabel:
    """Label of a polarity score: neutral within ``neutral_band`` of zero."""
    if score > neutral_band:
        return "positive"
    if score < -neutral_band:
        return "negative"
    return "neutral"


def rating_of(score: float, *, scale: Literal["stars", "nps"] = "stars") -> int:
    """Map a polarity in [-1, 1] onto stars 1-5 (3 + 2 x score) or NPS 0-10 (5 + 5 x score).

    Examples
    --------
    >>> rating_of(0.0), rating_of(0.9), rating_of(-0.4), rating_of(0.5, scale="nps")
    (3, 5, 2, 8)
    """
    if scale == "nps":
        return int(min(10, max(0, math.floor(5 + 5 * score + 0.5))))
    return int(min(5, max(1, math.floor(3 + 2 * score + 0.5))))


class LexiconSentiment(TransformerMixin, BaseEstimator):  # type: ignore[misc]
    """French sentiment from a lexicon and rules: no training data needed.

    Parameters
    ----------
    lexicon : path, mapping or None, default=None
        ``None`` uses the shipped French lexicon (CC0, written by the project).
    preprocessor : FrenchPreprocessor or None, default=None
        ``None`` builds a default ``FrenchPreprocessor`` in ``fit``.
    alpha : float, default=5.0
        Normalisation of the sum of weights into [-1, 1]: ``s / sqrt(s² + alpha)``.
    contrast_weight : float, default=1.5
        Weight of the words after a contrast marker; words before it get its inverse.
    neutral_band : float, default=0.05
        Scores within this distance of zero are labelled neutral.

    Attributes
    ----------
    lexicon_ : dict
        Term -> (weight, negated weight or None) as read.
    preprocessor_ : FrenchPreprocessor

    Examples
    --------
    >>> model = LexiconSentiment().fit()
    >>> [r.label for r in model.analyze(["Très bon accueil", "Pas terrible, vendeur froid"])]
    ['positive', 'negative']
    >>> result = model.analyze(["Livraison rapide mais produit cassé !"])[0]
    >>> result.label, result.score < 0
    ('negative', True)
    """

    def __init__(
        self,
        *,
        lexicon: str | Path | Mapping[str, float] | None = None,
        preprocessor: FrenchPreprocessor | None = None,
        alpha: float = 5.0,
        contrast_weight: float = 1.5,
        neutral_band: float = 0.05,
    ) -> None:
        self.lexicon = lexicon
        self.preprocessor = preprocessor
        self.alpha = alpha
        self.contrast_weight = contrast_weight
        self.neutral_band = neutral_band

    def __getstate__(self) -> dict[str, Any]:
        state: dict[str, Any] = super().__getstate__()
        state.pop("_recent", None)
        state.pop("_hot", None)
        return state

    def fit(self, X: Sequence[str] | None = None, y: Any = None) -> LexiconSentiment:
        """Validate the parameters and compile the lexicon (no learning from ``X``).

        Parameters
        ----------
        X : sequence of str or None
            Ignored apart from its type.
        y : ignored
        """
        if X is not None:
            check_texts(X)
        for name in ("alpha", "contrast_weight"):
            value = getattr(self, name)
            if not isinstance(value, int | float) or value <= 0:
                raise InvalidInputError(f"{name} must be a number > 0, got {value!r}.")
        band = self.neutral_band
        if not isinstance(band, int | float) or not 0.0 <= band < 1.0:
            raise InvalidInputError(f"neutral_band must be in [0, 1), got {band!r}.")
        if self.preprocessor is not None and not hasattr(self.preprocessor, "transform"):
            raise InvalidInputError(
                "preprocessor must be a FrenchPreprocessor (with transform), got "
                f"{type(self.preprocessor).__name__}."
            )
        if self.preprocessor is None:
            self.preprocessor_ = FrenchPreprocessor().fit()
        else:
            self.preprocessor_ = self.preprocessor
            if not hasattr(self.preprocessor_, "languages_"):
                self.preprocessor_.fit()
        self.lexicon_ = load_lexicon(self.lexicon)
        self._compiled = self._compile(self.lexicon_)
        self.__dict__.pop("_hot", None)
        return self

    def _compile(self, lexicon: Mapping[str, tuple[float, float | None]]) -> _Lexicon:
        words: dict[str, tuple[float, float | None]] = {}
        expressions: dict[str, list[tuple[tuple[str, ...], float, float | None, bool]]] = {}
        terms = list(lexicon)
        docs = self.preprocessor_.transform(terms)
        for term, doc in zip(terms, docs, strict=True):
            weight, negated = lexicon[term]
            keys = tuple(k for k in doc.keys if k[:1].isalnum() or k in (EMO_POS, EMO_NEG))
            if term in (EMO_POS, EMO_NEG):
                keys = (term,)
            if not keys:
                continue
            if len(keys) == 1:
                words[keys[0]] = (weight, negated)
                words.setdefault(fold(term), (weight, negated))
            else:
                has_cue = any(k in _CUE_KEYS for k in keys)
                expressions.setdefault(keys[0], []).append((keys, weight, negated, has_cue))
        for found in expressions.values():
            found.sort(key=lambda e: -len(e[0]))
        # Feminine and plural forms the lemma table leaves alone ("lente" stays "lente").
        for key, entry in list(words.items()):
            for variant in _inflections(key):
                words.setdefault(variant, entry)
        return _Lexicon(words=words, expressions=expressions)

    # ------------------------------------------------------------------ texts
    def analyze(self, X: Sequence[str]) -> list[SentimentResult]:
        """Sentiment of each text, with its evidence spans."""
        check_is_fitted(self, "lexicon_")
        return self.analyze_docs(self.preprocessor_.transform(check_texts(X)))

    def analyze_docs(self, docs: Sequence[PreprocessedText]) -> list[SentimentResult]:
        """Same as ``analyze`` for texts already preprocessed (no second preprocessing)."""
        check_is_fitted(self, "lexicon_")
        return [self._result(doc, self._weights(doc)) for doc in docs]

    def analyze_docs_with_spans(
        self, docs: Sequence[PreprocessedText], spans: Sequence[Sequence[Span]]
    ) -> tuple[list[SentimentResult], list[list[float]]]:
        """``analyze_docs`` and, in the same pass, ``span_polarity`` of each given span.

        ``spans[i]`` lists character spans of ``docs[i]`` (theme mentions); the rules run
        once per text for the text and all its spans.
        """
        check_is_fitted(self, "lexicon_")
        results: list[SentimentResult] = []
        polarities: list[list[float]] = []
        for doc, doc_spans in zip(docs, spans, strict=True):
            weights = self._weights(doc)
            results.append(self._result(doc, weights))
            if doc_spans:
                bounds = _bounds(doc)
                polarities.append([self._span_score(doc, weights, bounds, s) for s in doc_spans])
            else:
                polarities.append([])
        return results, polarities

    def _result(self, doc: PreprocessedText, weights: list[float]) -> SentimentResult:
        score = self._normalise(sum(self._text_factors(doc, weights)))
        return SentimentResult(
            label=label_of(score, neutral_band=self.neutral_band),
            score=score,
            lang=doc.lang,
            is_french=doc.is_french,
            evidence=tuple(doc.spans[i] for i, w in enumerate(weights) if w != 0.0),
        )

    def decision_function(self, X: Sequence[str]) -> npt.NDArray[np.float64]:
        """Polarity score in [-1, 1] of each text, shape (n_texts,)."""
        return np.array([r.score for r in self.analyze(X)], dtype=np.float64)

    def predict(self, X: Sequence[str]) -> npt.NDArray[np.str_]:
        """Label ("negative", "neutral", "positive") of each text."""
        return np.array([r.label for r in self.analyze(X)], dtype=str)

    def transform(self, X: Sequence[str]) -> npt.NDArray[np.float64]:
        """Features for a pipeline: score, positive sum, negative sum; shape (n_texts, 3)."""
        check_is_fitted(self, "lexicon_")
        return self.features_of_docs(self.preprocessor_.transform(check_texts(X)))

    def features_of_docs(self, docs: Sequence[PreprocessedText]) -> npt.NDArray[np.float64]:
        """``transform`` for texts already preprocessed."""
        check_is_fitted(self, "lexicon_")
        out = np.zeros((len(docs), 3), dtype=np.float64)
        for i, doc in enumerate(docs):
            weighted = self._text_factors(doc, self._weights(doc))
            out[i, 0] = self._normalise(sum(weighted))
            out[i, 1] = sum(w for w in weighted if w > 0)
            out[i, 2] = sum(w for w in weighted if w < 0)
        return out

    # ------------------------------------------------------------------ spans
    def polarity_of_span(self, text: str, start: int, end: int) -> float:
        """Polarity in [-1, 1] of the clause around ``text[start:end]``.

        This is the ``polarity(text, start, end)`` callable ``ThemeModel`` accepts: the
        clause holding the span (cut at punctuation and contrast words) is scored with the
        lexicon rules; when it holds no opinion word the whole sentence is used, and 0.0 is
        returned when that is neutral too. The last 256 texts are kept preprocessed, so
        asking for several mentions of the same text preprocesses it once.

        Examples
        --------
        >>> model = LexiconSentiment().fit()
        >>> text = "Accueil très chaleureux, mais livraison en retard."
        >>> model.polarity_of_span(text, 0, 7) > 0, model.polarity_of_span(text, 31, 40) < 0
        (True, True)
        """
        check_is_fitted(self, "lexicon_")
        recent: OrderedDict[str, tuple[PreprocessedText, list[float]]]
        recent = self.__dict__.setdefault("_recent", OrderedDict())
        found = recent.get(text)
        if found is None:
            doc = self.preprocessor_.transform([text])[0]
            found = (doc, self._weights(doc))
            recent[text] = found
            if len(recent) > 256:
                recent.popitem(last=False)
        else:
            recent.move_to_end(text)
        return self._span_score(found[0], found[1], _bounds(found[0]), (start, end))

    def span_polarity(self, doc: PreprocessedText, start: int, end: int) -> float:
        """``polarity_of_span`` for a text already preprocessed (character offsets)."""
        return self.span_polarities(doc, [(start, end)])[0]

    def span_polarities(self, doc: PreprocessedText, spans: Sequence[Span]) -> list[float]:
        """``span_polarity`` of several spans of one text (its rules run once)."""
        check_is_fitted(self, "lexicon_")
        weights = self._weights(doc)
        bounds = _bounds(doc)
        return [self._span_score(doc, weights, bounds, span) for span in spans]

    def _span_score(
        self,
        doc: PreprocessedText,
        weights: list[float],
        bounds: tuple[list[int], list[int]],
        span: Span,
    ) -> float:
        """Polarity of the clause holding ``span``, else of its nearest context that has one.

        Steps, stopping at the first non-zero reading: the clause (cut at punctuation,
        contrast and coordination words); the nearest opinionated clause on each side in the
        same sentence, turned around when a contrast word stands between ("joli mais le
        service…"); the whole sentence (contrast and "!" factors); the whole text, at half
        weight (the tone of the other sentences is a weaker hint). An empty span (an aspect
        with no evidence word) is read on the whole text.
        """
        if not len(doc):
            return 0.0
        # Token spans are ordered and do not overlap (tokens split from one word share its
        # span), so starts and ends both increase: the overlapping tokens are a range.
        starts, ends = bounds
        start, end = span
        if end <= start:
            return self._normalise(sum(self._text_factors(doc, weights)))
        first = bisect.bisect_right(ends, start)
        last = bisect.bisect_left(starts, end)
        if first >= last:
            # No token overlaps the span: use the first token starting after it.
            first = bisect.bisect_left(starts, start)
            if first >= len(starts):
                return 0.0
            last = first + 1
        left, right = _clause_of(doc, first, last)
        score = sum(weights[left:right])
        sentence = doc.sentence_of(first)
        if score == 0.0:
            score = _neighbour_clauses(doc, weights, (left, right), sentence)
        if score == 0.0:
            score = sum(self._text_factors(doc, weights)[sentence[0] : sentence[1]])
        if score == 0.0:
            score = 0.5 * sum(self._text_factors(doc, weights))
        return self._normalise(score)

    # ------------------------------------------------------------------ rules
    def _normalise(self, total: float) -> float:
        return float(total / math.sqrt(total * total + self.alpha)) if total else 0.0

    def _weights(self, doc: PreprocessedText) -> list[float]:
        """Weight of each token after negation, intensifiers and capitals (0.0 for most)."""
        n = len(doc.tokens)
        weights = [0.0] * n
        if not doc.is_french:
            for i, token in enumerate(doc.tokens):
                if token in (EMO_POS, EMO_NEG):
                    weights[i] = self._compiled.words[token][0]
            return weights
        words = self._compiled.words
        expressions = self._compiled.expressions
        keys = doc.keys
        tokens = doc.tokens
        negated = doc.negated
        hot = self._hot_keys()
        # Only tokens whose key starts an expression or is a word of the lexicon (or whose
        # form is) can carry a weight; the others are skipped without further lookups.
        found = [i for i, key in enumerate(keys) if key in hot or tokens[i] in words]
        resume = 0  # tokens before this index belong to an expression already matched
        for i in found:
            if i < resume:
                continue
            key = keys[i]
            candidates = expressions.get(key)
            if candidates:
                matched = self._expression(doc, i, candidates)
                if matched:
                    length, weight = matched
                    weights[i] = weight * self._intensity(doc, i)
                    resume = i + length
                    continue
            entry = words.get(key)
            if entry is None:
                entry = words.get(tokens[i])
            if entry is not None and not (key in _INTENSIFIERS and self._modifies_next(doc, i)):
                weight, negated_weight = entry
                if negated[i] and key not in (EMO_POS, EMO_NEG):
                    weight = _negate(weight, negated_weight)
                weight *= self._intensity(doc, i)
                start, end = doc.spans[i]
                surface = doc.original[start:end]
                if len(surface) > 2 and surface.isupper() and not doc.original.isupper():
                    weight *= _CAPS_FACTOR
                weights[i] = weight
        return weights

    def _hot_keys(self) -> frozenset[str]:
        """Keys that are lexicon words or start an expression (computed once per model)."""
        hot: frozenset[str] | None = self.__dict__.get("_hot")
        if hot is None:
            hot = frozenset(self._compiled.words) | frozenset(self._compiled.expressions)
            self._hot = hot
        return hot

    def _expression(
        self,
        doc: PreprocessedText,
        i: int,
        candidates: list[tuple[tuple[str, ...], float, float | None, bool]],
    ) -> tuple[int, float] | None:
        keys = doc.keys
        for expression, weight, negated_weight, has_cue in candidates:
            length = len(expression)
            if tuple(keys[i : i + length]) == expression:
                if not has_cue and any(doc.negated[i : i + length]):
                    weight = _negate(weight, negated_weight)
                return length, weight
        return None

    def _modifies_next(self, doc: PreprocessedText, i: int) -> bool:
        """True when the word at ``i`` intensifies the next one ("super bon", "bien trop")."""
        if i + 1 >= len(doc.keys):
            return False
        nxt = doc.keys[i + 1]
        return nxt in _INTENSIFIERS or nxt in self._compiled.words or nxt == "peu"

    def _intensity(self, doc: PreprocessedText, i: int) -> float:
        """Product of the intensifiers just before token ``i`` (up to three tokens back)."""
        factor = 1.0
        keys = doc.keys
        j = i - 1
        while j >= 0 and i - j <= 3:
            key = keys[j]
            if key in _INTENSIFIERS:
                factor *= _SOFTENED if doc.negated[j] else _INTENSIFIERS[key]
            elif key == "peu":
                factor *= 0.6 if j > 0 and keys[j - 1] == "un" else -0.6
            elif key in ("pas", "ne", "n'", "plus", "du", "tout"):
                pass
            else:
                break
            j -= 1
        return factor

    def _text_factors(self, doc: PreprocessedText, weights: list[float]) -> list[float]:
        """Weights after contrast ("mais") and exclamation factors, sentence by sentence."""
        if not any(weights):
            return weights
        out = list(weights)
        keys = doc.keys
        for first, last in doc.sentences:
            if not any(weights[first:last]):
                continue  # the factors below only multiply: a sentence of zeros stays so
            contrast = None
            exclamations = 0
            for j in range(first, last):
                key = keys[j]
                if key in _CONTRAST or (key == "sauf" and j + 1 < last and keys[j + 1] == "que"):
                    contrast = j
                elif key[:1] == "!":
                    exclamations += len(key)
            factor = 1.0 + _EXCLAMATION_STEP * min(exclamations, _EXCLAMATION_CAP)
            for j in range(first, last):
                if contrast is not None:
                    out[j] *= 1.0 / self.contrast_weight if j < contrast else self.contrast_weight
                out[j] *= factor
            self._malgre(doc, first, last, out)
        return out

    @staticmethod
    def _malgre(doc: PreprocessedText, first: int, last: int, out: list[float]) -> None:
        keys = doc.keys
        for j in range(first, last):
            if keys[j] == "malgre":
                k = j
                while k < last and not _is_break(doc, k):
                    out[k] *= 0.5
                    k += 1


_ENDINGS = (
    ("eux", "euse"),
    ("if", "ive"),
    ("el", "elle"),
    ("on", "onne"),
    ("en", "enne"),
    ("et", "ette"),
    ("er", "ere"),
    ("al", "aux"),
    ("", "e"),
)


def _inflections(key: str) -> list[str]:
    """Feminine and plural forms of an adjective-like key ("lent" -> "lente", "lentes")."""
    if not key.isalpha() or len(key) < 3:
        return []
    out = [key + "s"]
    for ending, feminine in _ENDINGS:
        if key.endswith(ending) and not key.endswith("e"):
            stem = key[: len(key) - len(ending)] if ending else key
            out += [stem + feminine, stem + feminine + ("" if feminine == "aux" else "s")]
            break
    return out


def _negate(weight: float, negated_weight: float | None) -> float:
    if negated_weight is not None:
        return negated_weight
    return weight * (-0.8 if weight > 0 else -0.5)


def _bounds(doc: PreprocessedText) -> tuple[list[int], list[int]]:
    """Start and end offsets of the tokens of ``doc`` (both non-decreasing)."""
    return [s for s, _ in doc.spans], [e for _, e in doc.spans]


def _clause_of(doc: PreprocessedText, first: int, last: int) -> Span:
    """Token range of the clause holding tokens ``[first, last)``."""
    left, right = first, last
    while left > 0 and not _is_break(doc, left - 1):
        left -= 1
    while right < len(doc) and not _is_break(doc, right):
        right += 1
    return left, right


def _neighbour_clauses(
    doc: PreprocessedText, weights: list[float], clause: Span, sentence: Span
) -> float:
    """Sum of the nearest opinionated clause on each side of ``clause`` in its sentence.

    A neighbour across a contrast word counts the other way round: in "le cadre est joli
    mais le service…" the service is not praised. 0.0 when no clause of the sentence has
    an opinion word.
    """
    total = 0.0
    for step in (-1, 1):
        turned = False
        i = clause[0] - 1 if step < 0 else clause[1]  # the break token on that side
        while sentence[0] <= i < sentence[1]:
            if _is_break(doc, i):
                turned = turned or doc.keys[i] in _CONTRAST
                i += step
                continue
            a, b = _clause_of(doc, i, i + 1)
            a, b = max(a, sentence[0]), min(b, sentence[1])
            found = sum(weights[a:b])
            if found:
                total += -found if turned else found
                break
            i = a - 1 if step < 0 else b
    return total


def _is_break(doc: PreprocessedText, i: int) -> bool:
    key = doc.keys[i]
    return key[:1] in _CLAUSE_PUNCT or key in _CONTRAST or key in _COORDINATION


def polarity_of_span(text: str, start: int, end: int) -> float:
    """Polarity in [-1, 1] of the clause around ``text[start:end]`` with the shipped lexicon.

    A module-level shortcut to ``LexiconSentiment().fit().polarity_of_span`` (one default
    model per process), usable as ``ThemeModel(polarity=polarity_of_span)``.

    Examples
    --------
    >>> polarity_of_span("Le vendeur était très aimable.", 11, 30) > 0.5
    True
    """
    return _default_model().polarity_of_span(text, start, end)


@functools.cache
def _default_model() -> LexiconSentiment:
    return LexiconSentiment().fit()
