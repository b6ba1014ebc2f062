"""ThemeModel: multi-label themes from a taxonomy, improved by analysts' (partial) labels.

Zero-shot, a theme's confidence grows with its seed lemmas and expressions found in the text
(``requires`` gates them) and with the similarity of the text's words to the theme centroid
(word vectors of its seeds and examples). With labels, one logistic regression per theme reads
those zero-shot scores plus lemma n-grams and the text's mean vector; a theme without enough
labels, or whose classifier does no better than the rules on its own labels (cross-validated),
keeps its zero-shot score. Everything is computed on sparse matrices over a batch, with
lemmas from a lookup table (no spaCy pipeline per text).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin, clone
from sklearn.feature_extraction.text import TfidfTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_is_fitted

from pouls_analysis._validation import check_same_length, check_texts
from pouls_analysis.exceptions import InvalidInputError
from pouls_analysis.matching import AVAILABLE_BACKENDS, SequenceMatcher
from pouls_analysis.text.preprocess import PreprocessedText
from pouls_analysis.themes.lexical import LemmaAnalyzer, LemmaDoc
from pouls_analysis.themes.polarity import Polarity, mention_polarity, polarity_label
from pouls_analysis.themes.taxonomy import Taxonomy, load_taxonomy

__all__ = ["ThemeModel", "ThemeMention", "TextThemes"]

logger = logging.getLogger(__name__)

Labels = Sequence[str] | Mapping[str, bool] | None

_NEAREST_MARGIN = 0.05
_VECTOR_WEIGHT = 0.8


@dataclass(frozen=True, slots=True)
class ThemeMention:
    """A theme found in a text, with its confidence, polarity and evidence span."""

    theme: str
    confidence: float
    polarity: Polarity
    polarity_score: float
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class TextThemes:
    """All themes of one text; ``uncovered`` texts (no theme) go to discovery."""

    mentions: tuple[ThemeMention, ...]

    @property
    def uncovered(self) -> bool:
        """True when no theme reached the threshold."""
        return not self.mentions

    @property
    def themes(self) -> tuple[str, ...]:
        """Theme ids, most confident first."""
        return tuple(m.theme for m in self.mentions)


class ThemeModel(TransformerMixin, BaseEstimator):  # type: ignore[misc]
    """Assign taxonomy themes to French texts, zero-shot or learned from partial labels.

    Parameters
    ----------
    taxonomy : str, Path or Taxonomy, default="retail_fr"
        A shipped taxonomy name (``"retail_fr"``, ``"restaurants_fr"``), a YAML path or a
        Taxonomy.
    preprocessor : object or None, default=None
        Gives lemma ids and spans: ``analyze(texts) -> list[LemmaDoc]``, ``keys``,
        ``vectors_of(ids)``, ``rows()``, ``table()``, ``row_matrix()``, ``lemma_ids(phrase)``,
        ``is_content()``. ``None`` builds a
        ``LemmaAnalyzer`` in ``fit``.
    classifier : estimator or None, default=None
        Binary classifier cloned per theme for supervised fitting (``predict_proba``);
        ``None`` uses a balanced logistic regression.
    polarity : callable or None, default=None
        ``polarity(text, start, end) -> float`` in [-1, 1] for a mention; ``None`` reads the
        clause around the evidence with the built-in lexicon.
    threshold : float, default=0.5
        Confidence from which a theme is assigned.
    similarity_floor : float, default=0.45
        Cosine similarity to a theme centroid below which a word adds nothing.
    min_labels : int, default=8
        Labelled texts (with at least two of each answer) a theme needs before its own
        classifier is trained; below that it stays zero-shot. A classifier is then kept only
        if, cross-validated on the labels (3 folds, fewer for a rare answer), its F1 is at
        least the zero-shot rules' F1 on the same texts.
    random_state : int, RandomState or None, default=None
        Seed for the classifiers.
    matcher : {"hyperscan", "ahocorasick", "python"} or None, default=None
        Engine that finds the expressions of every theme at once
        (:mod:`pouls_analysis.matching`); ``None`` uses the fastest one installed. All give
        the same results.

    Attributes
    ----------
    taxonomy_ : Taxonomy
    themes_ : tuple of str
        Ids of the detectable themes: the columns of ``transform``.
    centroids_ : ndarray of shape (n_themes, dim)
    classifiers_ : dict
        Theme id -> fitted classifier, for the themes learned from labels.
    filters_ : frozenset of str
        Learned themes whose labels were all on texts the zero-shot rules assigned (an
        analyst's accept / reject review): their classifier only confirms or withdraws the
        zero-shot assignments.

    Examples
    --------
    >>> model = ThemeModel(taxonomy="retail_fr").fit([])
    >>> model.predict(["Livraison en retard et colis abîmé"])[0][:1]
    ('delivery',)
    """

    def __init__(
        self,
        *,
        taxonomy: str | Path | Taxonomy = "retail_fr",
        preprocessor: Any = None,
        classifier: Any = None,
        polarity: Callable[[str, int, int], float] | None = None,
        threshold: float = 0.5,
        similarity_floor: float = 0.45,
        min_labels: int = 8,
        random_state: Any = None,
        matcher: str | None = None,
    ) -> None:
        self.taxonomy = taxonomy
        self.preprocessor = preprocessor
        self.classifier = classifier
        self.polarity = polarity
        self.threshold = threshold
        self.similarity_floor = similarity_floor
        self.min_labels = min_labels
        self.random_state = random_state
        self.matcher = matcher

    # ------------------------------------------------------------------ fit
    def fit(self, X: Sequence[str], y: Sequence[Labels] | None = None) -> ThemeModel:
        """Build the theme rules and centroids; learn from labels when ``y`` is given.

        Steps: validate; load the taxonomy; build seed tables and centroids; when ``y`` is
        given, train one classifier per theme on the texts labelled for it.

        Parameters
        ----------
        X : sequence of str
        y : sequence or None
            Per text: ``None`` (not labelled), a list of theme ids (the complete set: other
            themes are negatives), or a mapping ``{theme_id: bool}`` (only those themes known).
        """
        texts = check_texts(X)
        self._check_params()
        self.taxonomy_ = load_taxonomy(self.taxonomy)
        detectable = self.taxonomy_.detectable
        self.themes_ = tuple(t.id for t in detectable)
        self.preprocessor_ = LemmaAnalyzer() if self.preprocessor is None else self.preprocessor
        pre = self.preprocessor_
        # A seed that splits into several tokens ("après-vente") is matched as an expression.
        single = [[pre.lemma_ids(w) for w in t.lemmas] for t in detectable]
        self.seed_ids_ = [frozenset(ids[0] for ids in seeds if len(ids) == 1) for seeds in single]
        self.requires_ids_ = [
            frozenset(i for w in t.requires for i in pre.lemma_ids(w)) for t in detectable
        ]
        self.expression_ids_ = [
            tuple(tuple(pre.lemma_ids(e)) for e in t.expressions)
            + tuple(tuple(ids) for ids in seeds if len(ids) > 1)
            for t, seeds in zip(detectable, single, strict=True)
        ]
        self.centroids_ = self._centroids(detectable)
        self.classifiers_: dict[str, Any] = {}
        self.filters_: frozenset[str] = frozenset()
        if y is not None:
            check_same_length(texts, list(y), names="X, y")
            self._fit_supervised(texts, list(y))
        return self

    def _check_params(self) -> None:
        for name in ("threshold", "similarity_floor"):
            value = getattr(self, name)
            if not isinstance(value, int | float) or not 0.0 <= value <= 1.0:
                raise InvalidInputError(f"{name} must be a number in [0, 1], got {value!r}.")
        if not isinstance(self.min_labels, int) or self.min_labels < 2:
            raise InvalidInputError(f"min_labels must be an int >= 2, got {self.min_labels!r}.")
        if self.matcher is not None and self.matcher not in AVAILABLE_BACKENDS:
            raise InvalidInputError(
                f"matcher must be None or one of {AVAILABLE_BACKENDS} (installed here), "
                f"got {self.matcher!r}."
            )
        if self.polarity is not None and not callable(self.polarity):
            raise InvalidInputError(
                f"polarity must be a callable (text, start, end) -> float or None, "
                f"got {type(self.polarity).__name__}."
            )

    def _centroids(self, themes: Sequence[Any]) -> npt.NDArray[np.float32]:
        pre = self.preprocessor_
        rows = []
        for theme in themes:
            seed = [i for w in theme.lemmas for i in pre.lemma_ids(w)]
            seed += [i for e in theme.expressions for i in pre.lemma_ids(e)]
            example = [i for x in theme.examples for i in pre.lemma_ids(x)]
            content = pre.is_content()
            ids = [i for i in seed if content[i]] + [i for i in example if content[i]]
            weights = [2.0] * sum(content[i] for i in seed) + [1.0] * sum(
                content[i] for i in example
            )
            vec = (
                np.average(pre.vectors_of(ids), axis=0, weights=weights)
                if ids
                else np.zeros(pre.table().shape[1], dtype=np.float32)
            )
            norm = float(np.linalg.norm(vec))
            rows.append(vec / norm if norm else vec)
        return np.asarray(rows, dtype=np.float32).reshape(len(themes), -1)

    def _fit_supervised(self, texts: list[str], y: list[Labels]) -> None:
        targets = self._label_matrix(y)
        docs = self.preprocessor_.analyze(texts)
        zero_shot, _ = self._zero_shot(docs)
        self.tfidf_ = TfidfTransformer(sublinear_tf=True)
        self.ngram_ids_: dict[tuple[int, int], int] = {}
        counts = self._ngram_counts(docs, grow=True)
        self.tfidf_.fit(counts)
        features = self._features(docs, zero_shot, counts)
        random_state = check_random_state(self.random_state)
        filters = set()
        for k, theme in enumerate(self.themes_):
            known = targets[:, k] >= 0
            answers = targets[known, k]
            minority = min(int(answers.sum()), int((answers == 0).sum()))
            # Two of each answer at least: the cross-validation below needs them.
            if known.sum() < self.min_labels or minority < 2:
                continue
            if self.classifier is None:
                clf: Any = LogisticRegression(
                    C=4.0, class_weight="balanced", max_iter=2000, random_state=random_state
                )
            else:
                clf = clone(self.classifier)
            rows = np.flatnonzero(known)
            assigned = zero_shot[rows, k] >= self.threshold
            # Labels given only on texts the zero-shot model assigned (an analyst accepting or
            # rejecting its themes) say nothing about the texts it missed: such a classifier
            # may only confirm or withdraw assignments, not make new ones.
            within = bool(assigned.all())
            if not self._learns_better(clf, features[rows], answers, assigned, random_state):
                logger.info(
                    "theme model: %s keeps its zero-shot score (labels: %s)", theme, rows.size
                )
                continue
            clf.fit(features[rows], answers)
            self.classifiers_[theme] = clf
            if within:
                filters.add(theme)
        self.filters_ = frozenset(filters)
        logger.info("theme model: %s themes learned from labels", len(self.classifiers_))

    def _learns_better(
        self,
        clf: Any,
        features: sparse.csr_matrix,
        answers: npt.NDArray[np.int8],
        assigned: npt.NDArray[np.bool_],
        random_state: np.random.RandomState,
    ) -> bool:
        """Whether the classifier, cross-validated on the labels, beats the zero-shot rules.

        A few labels train a worse model than the taxonomy's rules (on SemEval restaurants,
        50 labelled sentences cost 4 points of F1 before this check): a theme takes its
        learned classifier only when its 3-fold F1 on the analyst's labels is at least the
        zero-shot assignments' F1 on the same texts.
        """
        minority = min(int(answers.sum()), int((answers == 0).sum()))
        folds = StratifiedKFold(
            n_splits=min(3, minority), shuffle=True, random_state=random_state.randint(2**31 - 1)
        )
        proba = cross_val_predict(clone(clf), features, answers, cv=folds, method="predict_proba")
        positive = list(np.unique(answers)).index(1)
        learned = f1_score(answers, proba[:, positive] >= self.threshold, zero_division=0.0)
        return bool(learned >= f1_score(answers, assigned, zero_division=0.0))

    def _label_matrix(self, y: list[Labels]) -> npt.NDArray[np.int8]:
        index = {t: k for k, t in enumerate(self.themes_)}
        out = np.full((len(y), len(self.themes_)), -1, dtype=np.int8)
        for i, labels in enumerate(y):
            if labels is None:
                continue
            if isinstance(labels, Mapping):
                items = list(labels.items())
            elif isinstance(labels, str):
                raise InvalidInputError(f"y[{i}] must be a list of theme ids, got a str.")
            else:
                out[i] = 0
                items = [(t, True) for t in labels]
            for theme, value in items:
                if theme not in index:
                    raise InvalidInputError(
                        f"y[{i}] names theme {theme!r}, which is not a detectable theme of "
                        f"taxonomy {self.taxonomy_.name!r} (accepted: {', '.join(self.themes_)})."
                    )
                out[i, index[theme]] = int(bool(value))
        return out

    # ------------------------------------------------------------ features
    def _zero_shot(
        self, docs: Sequence[LemmaDoc]
    ) -> tuple[npt.NDArray[np.float64], list[dict[int, int]]]:
        """Zero-shot scores (n, k) and, per text, where each theme's expressions start.

        Seed lemmas are counted with one sparse product; expressions are looked up from their
        first lemma, so the cost grows with the number of tokens, not of expressions.
        """
        n, k = len(docs), len(self.themes_)
        width = len(self.preprocessor_.keys)
        bag = _bag(docs, width, binary=True)
        rules = np.asarray((bag @ _incidence(self.seed_ids_, width)).todense(), dtype=np.float64)
        matcher, owners = self._expression_matcher()
        evidence: list[dict[int, int]] = [{} for _ in range(n)]
        for d, i, e in matcher.find([doc.ids for doc in docs]):
            t = owners[e]
            rules[d, t] += 1.5
            first = evidence[d].get(t)
            if first is None or i < first:
                evidence[d][t] = i
        gated = [t for t in range(k) if self.requires_ids_[t]]
        if gated:
            present = bag @ _incidence([self.requires_ids_[t] for t in gated], width)
            rules[:, gated] *= np.asarray(present.todense()) > 0
        soft = self._similarity(docs)
        confidence = 1.0 - np.exp(-(rules + _VECTOR_WEIGHT * soft))
        return confidence, evidence

    def _expression_matcher(self) -> tuple[SequenceMatcher, list[int]]:
        """Every theme's expressions in one compiled matcher, and the theme of each one.

        Built on first use (and after unpickling) for the backend chosen at import.
        """
        cached = self.__dict__.get("_matcher")
        if cached is None or cached[2] is not self.expression_ids_:
            pairs = [(t, e) for t, found in enumerate(self.expression_ids_) for e in found if e]
            matcher = SequenceMatcher([e for _, e in pairs], backend=self.matcher)
            cached = (matcher, [t for t, _ in pairs], self.expression_ids_)
            self.__dict__["_matcher"] = cached
        return cached[0], cached[1]

    def __getstate__(self) -> dict[str, Any]:
        state: dict[str, Any] = super().__getstate__()
        state.pop("_matcher", None)
        return state

    def _evidence(
        self,
        doc: LemmaDoc,
        theme: int,
        expression_at: int | None,
        first_at: dict[int, int] | None = None,
    ) -> int:
        """Token index standing for a theme: first seed or expression, else the closest word.

        ``first_at`` (id -> index of its first occurrence in ``doc``) may be given when
        several themes of the same text are looked up.
        """
        if not len(doc.ids):
            return -1
        if first_at is None:
            first_at = _first_positions(doc)
        seeds = first_at.keys() & self.seed_ids_[theme]
        found = [min(first_at[t] for t in seeds)] if seeds else []
        if expression_at is not None:
            # "au téléphone" starts with a function word: point at its first content word.
            content = self.preprocessor_.is_content()
            window = doc.ids[expression_at : expression_at + 4].tolist()
            shift = next((j for j, i in enumerate(window) if content[i]), 0)
            found.append(expression_at + shift)
        if found:
            return min(found)
        pre = self.preprocessor_
        similarity = pre.vectors_of(doc.ids) @ self.centroids_[theme]
        similarity[~pre.is_content()[doc.ids]] = -1.0
        return int(np.argmax(similarity))

    def _similarity(self, docs: Sequence[LemmaDoc]) -> npt.NDArray[np.float64]:
        pre = self.preprocessor_
        content = pre.is_content()
        # Similarities are computed once per row of the model's table, then read per id.
        sims = (pre.table() @ self.centroids_.T)[pre.rows()]
        sims[~content] = 0.0
        floor = self.similarity_floor
        gain = np.clip((sims - floor) / max(1.0 - floor, 1e-6), 0.0, None)
        # A word only speaks for the theme(s) it is closest to: all theme centroids share a
        # "customer relationship" direction that would otherwise spread every word everywhere.
        if sims.shape[1] > 1:
            gain[sims < sims.max(axis=1, keepdims=True) - _NEAREST_MARGIN] = 0.0
        bag = _bag(docs, len(content), binary=True)
        result: npt.NDArray[np.float64] = np.minimum(np.asarray(bag @ gain), 1.5)
        return result

    def _ngram_counts(self, docs: Sequence[LemmaDoc], *, grow: bool) -> sparse.csr_matrix:
        rows, cols = [], []
        table = self.ngram_ids_
        for d, doc in enumerate(docs):
            ids = doc.ids.tolist()
            grams = [(i, -1) for i in ids] + list(zip(ids, ids[1:], strict=False))
            for gram in grams:
                col = table.get(gram)
                if col is None and grow:
                    col = table[gram] = len(table)
                if col is not None:
                    rows.append(d)
                    cols.append(col)
        data = np.ones(len(rows))
        return sparse.csr_matrix((data, (rows, cols)), shape=(len(docs), max(len(table), 1)))

    def _features(
        self,
        docs: Sequence[LemmaDoc],
        zero_shot: npt.NDArray[np.float64],
        counts: sparse.csr_matrix | None = None,
    ) -> sparse.csr_matrix:
        if counts is None:
            counts = self._ngram_counts(docs, grow=False)
        pre = self.preprocessor_
        bag = _bag(docs, len(pre.keys), binary=False)
        totals = np.maximum(np.asarray(bag.sum(axis=1)), 1.0)
        mean = sparse.csr_matrix(np.asarray((bag @ pre.row_matrix()) @ pre.table()) / totals)
        blocks = [self.tfidf_.transform(counts), sparse.csr_matrix(zero_shot * 2.0), mean]
        stacked: sparse.csr_matrix = sparse.hstack(blocks).tocsr()
        return stacked

    # ----------------------------------------------------------- outputs
    def transform(self, X: Sequence[str] | Sequence[PreprocessedText]) -> npt.NDArray[np.float64]:
        """Confidence of each theme for each text, shape (n_texts, n_themes)."""
        check_is_fitted(self, "themes_")
        return self._confidence(self._analyze(X))[0]

    def _analyze(self, X: Sequence[str] | Sequence[PreprocessedText]) -> list[LemmaDoc]:
        """Token ids of the texts; texts the preprocessor has split are not split again."""
        items = list(X) if not isinstance(X, str | bytes) else X
        if (
            items
            and all(isinstance(x, PreprocessedText) for x in items)
            and hasattr(self.preprocessor_, "analyze_docs")
        ):
            docs: list[LemmaDoc] = self.preprocessor_.analyze_docs(items)
            return docs
        texts = [x.original if isinstance(x, PreprocessedText) else x for x in items]
        found: list[LemmaDoc] = self.preprocessor_.analyze(check_texts(texts))
        return found

    def _confidence(
        self, docs: Sequence[LemmaDoc]
    ) -> tuple[npt.NDArray[np.float64], list[dict[int, int]]]:
        confidence, evidence = self._zero_shot(docs)
        if self.classifiers_ and docs:
            features = self._features(docs, confidence)
            for k, theme in enumerate(self.themes_):
                clf = self.classifiers_.get(theme)
                if clf is not None:
                    positive = list(clf.classes_).index(1)
                    learned = clf.predict_proba(features)[:, positive]
                    if theme in self.filters_:
                        assigned = confidence[:, k] >= self.threshold
                        learned = np.where(assigned, learned, confidence[:, k])
                    confidence[:, k] = learned
        return confidence, evidence

    def predict(self, X: Sequence[str] | Sequence[PreprocessedText]) -> list[tuple[str, ...]]:
        """Theme ids reaching the threshold, most confident first."""
        return [t.themes for t in self.annotate(X)]

    def annotate(self, X: Sequence[str] | Sequence[PreprocessedText]) -> list[TextThemes]:
        """Themes of each text with confidence, polarity and evidence span.

        ``X`` may hold texts already preprocessed by ``FrenchPreprocessor`` (as the analysis
        pipeline gives): their words are read from the preprocessor's split.
        """
        check_is_fitted(self, "themes_")
        docs = self._analyze(X)
        confidence, evidence = self._confidence(docs)
        keys = self.preprocessor_.keys
        out = []
        for d, doc in enumerate(docs):
            order = np.argsort(-confidence[d], kind="stable")
            mentions = []
            first_at = None
            for k in order:
                if confidence[d, k] < self.threshold:
                    break
                if first_at is None:
                    first_at = _first_positions(doc)
                token = self._evidence(doc, int(k), evidence[d].get(int(k)), first_at)
                start, end = doc.span(token) if token >= 0 else (0, 0)
                score = (
                    self.polarity(doc.text, start, end)
                    if self.polarity is not None
                    else mention_polarity(doc, keys, start, end)
                )
                mentions.append(
                    ThemeMention(
                        theme=self.themes_[k],
                        confidence=round(float(confidence[d, k]), 4),
                        polarity=polarity_label(score),
                        polarity_score=round(float(score), 4),
                        start=start,
                        end=end,
                    )
                )
            out.append(TextThemes(mentions=tuple(mentions)))
        return out


def _first_positions(doc: LemmaDoc) -> dict[int, int]:
    """Index of the first occurrence of each token id of ``doc``."""
    ids = doc.ids.tolist()
    # Built from the end, so that the first occurrence is the one kept.
    return dict(zip(reversed(ids), range(len(ids) - 1, -1, -1), strict=True))


def _incidence(groups: Sequence[frozenset[int]], width: int) -> sparse.csr_matrix:
    """Sparse (width, len(groups)) matrix with a 1 where an id belongs to a group."""
    rows = [i for group in groups for i in group if i < width]
    cols = [g for g, group in enumerate(groups) for i in group if i < width]
    return sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(max(width, 1), len(groups)))


def _bag(docs: Sequence[LemmaDoc], width: int, *, binary: bool) -> sparse.csr_matrix:
    """Sparse (n_docs, width) matrix of token ids per document."""
    lengths = [len(doc.ids) for doc in docs]
    indptr = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
    indices = (
        np.concatenate([doc.ids for doc in docs]) if docs and sum(lengths) else np.array([], int)
    )
    matrix = sparse.csr_matrix(
        (np.ones(len(indices)), indices, indptr), shape=(len(docs), max(width, 1))
    )
    matrix.sum_duplicates()
    if binary:
        matrix.data[:] = 1.0
    return matrix
