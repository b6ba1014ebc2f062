"""``ServiceBehaviourDetector``: the six defensive behaviours of front-line staff in verbatims.

Out of the box the detector runs the cue patterns of a definitions file (seed 004; see
``definitions.py``): a behaviour's confidence is the noisy-or of the weights of its cues found
in the text, and its evidence is the span of the strongest cue.

Given an organisation's own labels, ``fit`` also learns, per behaviour with enough positive and
negative examples, a logistic regression over TF-IDF word uni-/bigrams and character 2-5-grams
of the folded text, and a behaviour's confidence becomes the larger of the rules' and the
model's. The model is kept apart from the rules on purpose: stacked on cue features it learnt
to copy the cues (they fit the training labels almost perfectly) and gained no recall on texts
written after the rules were frozen, while beside them it did (docs/behaviours.md).
Behaviours with too few labelled examples keep the rules only.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from sklearn.base import BaseEstimator
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_is_fitted

from pouls_analysis._validation import check_same_length, check_texts
from pouls_analysis.behaviours.definitions import (
    BehaviourDefinition,
    CompiledDefinitions,
    CueHit,
    fold_aligned,
    load_definitions,
)
from pouls_analysis.exceptions import InvalidInputError
from pouls_analysis.text.preprocess import PreprocessedText

__all__ = ["BehaviourMatch", "ServiceBehaviourDetector"]

logger = logging.getLogger(__name__)

_SENTENCE_RE = re.compile(r"[^.!?\n]+[.!?]*")
MODEL_CUE = "model"


@dataclass(frozen=True, slots=True)
class BehaviourMatch:
    """One behaviour found in one text, with the evidence that shows it.

    Attributes
    ----------
    behaviour : str
        Behaviour id ("neutralite", "evitement", "protection_groupe", "categorisation",
        "education", "soumission").
    label : str
        French label ("Neutralité", ...).
    confidence : float
        In [0, 1]: noisy-or of the cue weights (rules), or the larger of that and the
        probability of the organisation's model.
    start, end : int
        Character span of the evidence in the original text.
    evidence : str
        ``text[start:end]``.
    cue : str
        Id of the cue that gave the evidence, or ``"model"`` when a learned model found the
        behaviour without any cue (the evidence is then its most telling sentence).
    """

    behaviour: str
    label: str
    confidence: float
    start: int
    end: int
    evidence: str
    cue: str


class ServiceBehaviourDetector(BaseEstimator):  # type: ignore[misc]
    """Detect neutralité, évitement, protection par le groupe, catégorisation, éducation and
    soumission in customer verbatims, with the evidence span.

    Parameters
    ----------
    definitions : str, Path, tuple of BehaviourDefinition or None, default=None
        Definitions file (YAML) or parsed definitions; ``None`` uses the shipped French file.
    threshold : float, default=0.5
        A behaviour is reported when its confidence is at least this.
    min_positives : int, default=5
        ``fit`` learns a model for a behaviour only with at least this many labelled texts
        showing it and this many not showing it; otherwise the behaviour keeps its rules.
    C : float, default=3.0
        Inverse regularisation strength of the learned logistic regressions (chosen by
        5-fold cross-validation on the project's dev and test texts).
    random_state : int, RandomState or None, default=None
        Seeds the solver of the learned models.

    Attributes
    ----------
    definitions_ : tuple of BehaviourDefinition
        The behaviours, their labels, coaching tips and cues.
    classes_ : tuple of str
        Behaviour ids, in the column order of ``predict`` and ``predict_proba``.
    models_ : dict of str to LogisticRegression
        Learned models by behaviour id (empty when fitted without labels).
    vectorizer_ : FeatureUnion or None
        Word and character TF-IDF of the learned models (None when fitted without labels).
    n_labelled_ : int
        Number of labelled texts ``fit`` received.

    Examples
    --------
    >>> detector = ServiceBehaviourDetector().fit([])
    >>> found = detector.detect(["On m'a répondu que ce n'était pas son rayon."])[0]
    >>> [(m.behaviour, m.evidence) for m in found]
    [('neutralite', "ce n'était pas son rayon")]
    """

    def __init__(
        self,
        *,
        definitions: str | Path | tuple[BehaviourDefinition, ...] | None = None,
        threshold: float = 0.5,
        min_positives: int = 5,
        C: float = 3.0,
        random_state: int | np.random.RandomState | None = None,
    ) -> None:
        self.definitions = definitions
        self.threshold = threshold
        self.min_positives = min_positives
        self.C = C
        self.random_state = random_state

    # ---------------------------------------------------------------------------- fit
    def fit(self, X: Iterable[str | PreprocessedText], y: Any = None) -> ServiceBehaviourDetector:
        """Compile the definitions and, when ``y`` is given, learn from labelled texts.

        Parameters
        ----------
        X : sequence of str or PreprocessedText
            Texts; ignored when ``y`` is None (the rules need no data).
        y : None, sequence of sequences of str, or array of shape (n_texts, n_behaviours)
            Behaviours shown by each text, as lists of ids (an empty list: none) or as a 0/1
            indicator matrix in the order of ``classes_``.

        Returns
        -------
        self
        """
        self._check_params()
        if isinstance(self.definitions, tuple):
            definitions = self.definitions
            if not all(isinstance(d, BehaviourDefinition) for d in definitions):
                raise InvalidInputError("definitions must hold BehaviourDefinition objects.")
        else:
            definitions = load_definitions(self.definitions)
        self.definitions_ = definitions
        self.classes_ = tuple(d.id for d in definitions)
        self.matcher_ = CompiledDefinitions(definitions)
        texts = _as_texts(X)
        self.models_: dict[str, LogisticRegression] = {}
        self.vectorizer_: FeatureUnion | None = None
        self.n_labelled_ = 0
        if y is None:
            return self
        labels = self._label_matrix(y, len(texts))
        self.n_labelled_ = len(texts)
        if not texts:
            return self
        learnable = []
        for j, behaviour in enumerate(self.classes_):
            positives = int(labels[:, j].sum())
            if min(positives, len(texts) - positives) < self.min_positives:
                logger.info(
                    "behaviour %s keeps its rules (%s labelled positives)", behaviour, positives
                )
            else:
                learnable.append(j)
        if not learnable:  # no model to learn: no vectoriser either (it needs a few texts)
            return self
        self.vectorizer_ = _text_features()
        features = self.vectorizer_.fit_transform([fold_aligned(t) for t in texts])
        rng = check_random_state(self.random_state)
        for j in learnable:
            behaviour = self.classes_[j]
            model = LogisticRegression(
                C=self.C,
                class_weight="balanced",
                solver="liblinear",
                dual=True,  # far faster when hashed features outnumber the labelled texts
                random_state=int(rng.randint(np.iinfo(np.int32).max)),
            )
            self.models_[behaviour] = model.fit(features, labels[:, j])
        return self

    def _check_params(self) -> None:
        checks: list[tuple[str, Any, bool, str]] = [
            (
                "threshold",
                self.threshold,
                _number(self.threshold) and 0 < self.threshold <= 1,
                "a number in (0, 1]",
            ),
            (
                "min_positives",
                self.min_positives,
                isinstance(self.min_positives, int) and self.min_positives >= 1,
                "an int >= 1",
            ),
            ("C", self.C, _number(self.C) and self.C > 0, "a number > 0"),
        ]
        for name, value, ok, accepted in checks:
            if not ok:
                raise InvalidInputError(f"{name} must be {accepted}, got {value!r}.")

    def _label_matrix(self, y: Any, n: int) -> npt.NDArray[np.int64]:
        if isinstance(y, np.ndarray) and y.ndim == 2:
            if y.shape != (n, len(self.classes_)):
                raise InvalidInputError(
                    f"y as a matrix must have shape ({n}, {len(self.classes_)}), got {y.shape}."
                )
            return (np.asarray(y) > 0).astype(np.int64)
        if isinstance(y, str | bytes) or not isinstance(y, Iterable):
            raise InvalidInputError(
                f"y must be a sequence of label lists or a 0/1 matrix, got {type(y).__name__}."
            )
        rows = list(y)
        check_same_length(range(n), rows, names="X, y")
        index = {b: j for j, b in enumerate(self.classes_)}
        out = np.zeros((n, len(self.classes_)), dtype=np.int64)
        for i, row in enumerate(rows):
            if isinstance(row, str) or not isinstance(row, Iterable):
                raise InvalidInputError(f"y[{i}] must be a list of behaviour ids, got {row!r}.")
            for label in row:
                if label not in index:
                    raise InvalidInputError(
                        f"y[{i}] holds unknown behaviour {label!r}; known: {list(self.classes_)}."
                    )
                out[i, index[label]] = 1
        return out

    def _rule_confidence(self, hits: Sequence[list[CueHit]]) -> npt.NDArray[np.float64]:
        index = {b: j for j, b in enumerate(self.classes_)}
        miss = np.ones((len(hits), len(self.classes_)))
        for i, text_hits in enumerate(hits):
            for hit in text_hits:
                miss[i, index[hit.behaviour]] *= 1.0 - hit.weight
        confidence: npt.NDArray[np.float64] = 1.0 - miss
        return confidence

    # ---------------------------------------------------------------------------- predict
    def predict_proba(self, X: Iterable[str | PreprocessedText]) -> npt.NDArray[np.float64]:
        """Confidence of each behaviour per text, shape ``(n_texts, n_behaviours)``."""
        return self._analyse(_as_texts(X))[1]

    def predict(self, X: Iterable[str | PreprocessedText]) -> npt.NDArray[np.int64]:
        """0/1 matrix of the behaviours found, shape ``(n_texts, n_behaviours)``."""
        proba = self.predict_proba(X)
        found: npt.NDArray[np.int64] = (proba >= self.threshold).astype(np.int64)
        return found

    def detect(self, X: Iterable[str | PreprocessedText]) -> list[tuple[BehaviourMatch, ...]]:
        """Behaviours found in each text, with confidence and evidence span.

        Parameters
        ----------
        X : sequence of str or PreprocessedText

        Returns
        -------
        list of tuple of BehaviourMatch
            One tuple per text (empty when nothing is found), most confident first.
        """
        texts = _as_texts(X)
        hits, proba = self._analyse(texts)
        labels = {d.id: d.label for d in self.definitions_}
        out: list[tuple[BehaviourMatch, ...]] = []
        for i, text in enumerate(texts):
            found: list[BehaviourMatch] = []
            for j, behaviour in enumerate(self.classes_):
                if proba[i, j] < self.threshold:
                    continue
                span = self._evidence(text, behaviour, hits[i])
                start, end, cue = span
                found.append(
                    BehaviourMatch(
                        behaviour=behaviour,
                        label=labels[behaviour],
                        confidence=round(float(proba[i, j]), 4),
                        start=start,
                        end=end,
                        evidence=text[start:end],
                        cue=cue,
                    )
                )
            found.sort(key=lambda m: -m.confidence)
            out.append(tuple(found))
        return out

    def _analyse(self, texts: list[str]) -> tuple[list[list[CueHit]], npt.NDArray[np.float64]]:
        check_is_fitted(self, "definitions_")
        folded = [fold_aligned(t) for t in texts]
        hits = [self.matcher_.cue_hits(t, f) for t, f in zip(texts, folded, strict=True)]
        proba = self._rule_confidence(hits)
        if self.models_ and self.vectorizer_ is not None and texts:
            features = self.vectorizer_.transform(folded)
            for j, behaviour in enumerate(self.classes_):
                model = self.models_.get(behaviour)
                if model is not None:
                    proba[:, j] = np.maximum(proba[:, j], model.predict_proba(features)[:, 1])
        return hits, proba

    def _evidence(self, text: str, behaviour: str, hits: list[CueHit]) -> tuple[int, int, str]:
        own = [h for h in hits if h.behaviour == behaviour]
        if own:
            best = max(own, key=lambda h: (h.weight, -h.start))
            return best.start, best.end, best.cue
        return (*self._best_sentence(text, behaviour), MODEL_CUE)

    def _best_sentence(self, text: str, behaviour: str) -> tuple[int, int]:
        """Span of the sentence whose words weigh most in the behaviour's learned model."""
        sentences = [m.span() for m in _SENTENCE_RE.finditer(text) if m.group().strip()]
        if not sentences:
            return 0, len(text)
        folded = fold_aligned(text)
        assert self.vectorizer_ is not None  # a model exists, so fit built the vectorizer
        features = self.vectorizer_.transform([folded[a:b] for a, b in sentences])
        scores = self.models_[behaviour].decision_function(features)
        start, end = sentences[int(np.argmax(scores))]
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        return start, end

    def definition(self, behaviour: str) -> BehaviourDefinition:
        """The definition (label, description, coaching tip, cues) of a behaviour id."""
        check_is_fitted(self, "definitions_")
        for d in self.definitions_:
            if d.id == behaviour:
                return d
        raise InvalidInputError(f"Unknown behaviour {behaviour!r}; known: {list(self.classes_)}.")


def _text_features() -> FeatureUnion:
    """Word uni-/bigrams and in-word character 2-5-grams, TF-IDF with sublinear counts."""
    return FeatureUnion(
        [
            (
                "words",
                TfidfVectorizer(
                    ngram_range=(1, 2), sublinear_tf=True, token_pattern=r"(?u)\b\w\w+\b"
                ),
            ),
            (
                "chars",
                TfidfVectorizer(
                    analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2
                ),
            ),
        ]
    )


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _as_texts(X: Any) -> list[str]:
    if isinstance(X, Iterable) and not isinstance(X, str | bytes):
        X = [x.original if isinstance(x, PreprocessedText) else x for x in X]
    return check_texts(X)
