"""Discovery: group the texts no theme covers, and name each group with French keywords.

By default (up to ``max_exact`` texts) a group is a subject several texts name with the same
word: the content lemma (not a stop word, a negation or an opinion word of the sentiment
lexicon) found in the most texts not grouped yet opens a group of those texts, and so on while
a word still gathers ``min_cluster_size`` of them. A word found in more than ``max_share`` of
the texts ("magasin") is the setting, not a subject, and opens no group. Texts that share no
such word with enough others stay out of every group (label -1, « divers »): on 20 texts most
do, which is the honest answer. Because a group needs a word the texts share, a group's
texts grow as the sample grows but rarely change group (nested samples agree), and its label
starts with that word. With ``n_clusters`` or a ``clusterer``, texts become the idf-weighted
mean of their content words' vectors and Ward clustering (or the given clusterer) groups them.
Above ``max_exact`` texts, MiniBatchKMeans learns centroids on a sample and every text is
assigned in chunks, which keeps memory flat up to millions of texts. Groups smaller than
``min_cluster_size`` are left out. Keywords are ranked by class-based TF-IDF over lemmas found
in at least two texts of the group (never a word of a single text).
"""

from __future__ import annotations

import functools
import heapq
import logging
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import sparse
from sklearn.base import BaseEstimator, clone
from sklearn.cluster import AgglomerativeClustering, MiniBatchKMeans
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_is_fitted

from pouls_analysis._validation import check_texts
from pouls_analysis.exceptions import InvalidInputError
from pouls_analysis.themes.lexical import NEGATION_CUES, LemmaAnalyzer, LemmaDoc, strip_accents

__all__ = ["DiscoveredTheme", "ThemeDiscoverer"]

logger = logging.getLogger(__name__)

_CHUNK = 20_000


@dataclass(frozen=True, slots=True)
class DiscoveredTheme:
    """One group of texts: its keywords, the indices of representative texts, its size."""

    label: int
    size: int
    keywords: tuple[str, ...]
    representatives: tuple[int, ...]


class ThemeDiscoverer(BaseEstimator):  # type: ignore[misc]
    """Cluster uncovered texts and label the clusters with French keywords.

    Parameters
    ----------
    preprocessor : object or None, default=None
        Same contract as ``ThemeModel``'s; ``None`` builds a ``LemmaAnalyzer``.
    clusterer : estimator or None, default=None
        Used up to ``max_exact`` texts: cloned, then ``fit_predict(vectors)``; label -1 means
        noise (so HDBSCAN or DBSCAN fit). ``None`` uses Ward agglomerative clustering with
        ``n_clusters`` groups.
    n_clusters : int or None, default=None
        Number of Ward clusters of the word vectors. ``None`` groups by shared words up to
        ``max_exact`` texts, and above it uses ``round(sqrt(n / 2))`` clipped to [2, 200]
        k-means centroids.
    min_cluster_size : int, default=3
        Smaller groups are labelled -1 (« divers ») and not reported.
    max_share : float, default=1/3
        A word found in more than this share of the texts opens no group (shared-word
        grouping only).
    max_exact : int, default=5000
        Above this many texts, MiniBatchKMeans on a sample replaces agglomerative clustering.
    n_keywords : int, default=6
    n_representatives : int, default=3
    random_state : int, RandomState or None, default=None
        Seed of MiniBatchKMeans and of the sample (agglomerative clustering is deterministic).

    Attributes
    ----------
    labels_ : ndarray of shape (n_texts,)
        Cluster of each text, -1 for left-out texts.
    themes_ : tuple of DiscoveredTheme
        Largest first.
    centroids_ : ndarray of shape (n_themes, dim)
    n_unassigned_ : int
        Texts in no group (« divers »).

    Examples
    --------
    >>> texts = ["Le parking est trop petit", "Aucune place de parking", "Musique trop forte",
    ...          "La musique est assourdissante", "Une seule caisse ouverte",
    ...          "Caisse fermée à midi", "Le chien du voisin aboie"]
    >>> found = ThemeDiscoverer(min_cluster_size=2, random_state=0).fit(texts)
    >>> sorted(t.keywords[0] for t in found.themes_), found.n_unassigned_
    (['caisse', 'musique', 'parking'], 1)
    """

    def __init__(
        self,
        *,
        preprocessor: Any = None,
        clusterer: Any = None,
        n_clusters: int | None = None,
        min_cluster_size: int = 3,
        max_share: float = 1 / 3,
        max_exact: int = 5000,
        n_keywords: int = 6,
        n_representatives: int = 3,
        random_state: Any = None,
    ) -> None:
        self.preprocessor = preprocessor
        self.clusterer = clusterer
        self.n_clusters = n_clusters
        self.min_cluster_size = min_cluster_size
        self.max_share = max_share
        self.max_exact = max_exact
        self.n_keywords = n_keywords
        self.n_representatives = n_representatives
        self.random_state = random_state

    def fit(self, X: Sequence[str], y: None = None) -> ThemeDiscoverer:
        """Cluster ``X`` and label the clusters.

        Steps: idf over the texts; embed; group (by shared words up to ``max_exact`` texts,
        or Ward / the given clusterer; above ``max_exact``, MiniBatchKMeans on a sample and
        assignment chunk by chunk); drop small groups and number the others by size;
        class-based TF-IDF keywords; representatives.
        """
        texts = check_texts(X)
        self._check_params()
        self.preprocessor_ = LemmaAnalyzer() if self.preprocessor is None else self.preprocessor
        n = len(texts)
        self.themes_: tuple[DiscoveredTheme, ...] = ()
        if n == 0:
            self.labels_ = np.array([], dtype=np.int64)
            self.centroids_ = np.zeros((0, 0), dtype=np.float32)
            self.idf_ = np.zeros(0)
            self.n_unassigned_ = 0
            return self
        k = min(self.n_clusters or int(np.clip(round(np.sqrt(n / 2)), 2, 200)), n)
        anchors: dict[int, int] = {}
        if n <= self.max_exact:
            kept = self.preprocessor_.analyze(texts)
            self.idf_ = self._idf(iter([(0, kept)]))
            vectors = self._embed(kept)
            if self.n_clusters is None and self.clusterer is None:
                raw, anchors = self._group_by_shared_words(kept)
            else:
                raw = self._cluster_exact(vectors, k)
            found = int(raw.max()) + 1 if len(raw) else 0
            sums = np.zeros((max(found, 1), vectors.shape[1]))
            np.add.at(sums, raw[raw >= 0], vectors[raw >= 0])
            self._relabel(raw, sums)
            grouped = self.labels_ >= 0
            closeness = np.zeros(n)
            if grouped.any():
                closeness[grouped] = np.einsum(
                    "ij,ij->i", vectors[grouped], self.centroids_[self.labels_[grouped]]
                )
            candidates = self._candidates(texts, self.labels_, closeness, 0, {})
            counts, surface = self._counts(iter([(0, kept)]))
        else:
            # Beyond max_exact nothing of size n x dim is kept: memory stays flat up to 10^6.
            self.idf_ = self._idf(self._chunks(texts))
            raw, sums, raw_candidates = self._cluster_sampled(texts, k)
            self._relabel(raw, sums)
            mapping = {int(r): int(lab) for r, lab in zip(raw, self.labels_, strict=True)}
            candidates = {
                mapping[c]: found for c, found in raw_candidates.items() if mapping.get(c, -1) >= 0
            }
            counts, surface = self._counts(self._chunks(texts))
        # The anchor word of each shared-word group, under its final number.
        first_words = {
            int(self.labels_[np.flatnonzero(raw == group)[0]]): word
            for group, word in anchors.items()
            if (raw == group).any() and self.labels_[np.flatnonzero(raw == group)[0]] >= 0
        }
        self.themes_ = self._describe(counts, surface, candidates, first_words)
        self.n_unassigned_ = int((self.labels_ < 0).sum())
        logger.info(
            "discovery: %s texts, %s themes, %s unassigned",
            n,
            len(self.themes_),
            self.n_unassigned_,
        )
        return self

    def _group_by_shared_words(
        self, docs: Sequence[LemmaDoc]
    ) -> tuple[npt.NDArray[np.int64], dict[int, int]]:
        """Raw groups of texts that share a subject word, and each group's word id.

        Steps: the content lemmas of each text (no stop word, negation or opinion word); a
        text x word incidence; then, while a word not found in more than ``max_share`` of
        the texts gathers at least ``min_cluster_size`` texts not grouped yet, the word
        gathering the most (ties: the rarer word overall, then the first seen) opens a
        group of them.
        """
        pre = self.preprocessor_
        n = len(docs)
        excluded = [pre.key_id(cue) for cue in NEGATION_CUES]
        excluded += [pre.key_id(word) for word in _opinion_keys()]
        content = pre.is_content().copy()
        content[excluded] = False
        rows: list[int] = []
        cols: list[int] = []
        for d, doc in enumerate(docs):
            ids = {int(i) for i in doc.ids.tolist() if content[i]}
            rows.extend([d] * len(ids))
            cols.extend(sorted(ids))
        raw = np.full(n, -1, dtype=np.int64)
        if not cols:
            return raw, {}
        width = len(pre.keys)
        incidence = sparse.csc_matrix(
            (np.ones(len(rows), dtype=np.float64), (rows, cols)), shape=(n, width)
        )
        df = np.asarray(incidence.sum(axis=0)).ravel()
        allowed = (df >= self.min_cluster_size) & (df <= self.max_share * n)
        free = np.ones(n, dtype=np.float64)
        anchors: dict[int, int] = {}
        while True:
            gain = np.asarray(incidence.T @ free).ravel() * allowed
            # Largest gain first; among equals the rarer word, then the smaller id.
            best = int(np.lexsort((np.arange(width), df, -gain))[0])
            if gain[best] < self.min_cluster_size:
                break
            members = np.flatnonzero(incidence[:, best].toarray().ravel() * free)
            raw[members] = len(anchors)
            free[members] = 0.0
            anchors[len(anchors)] = best
            allowed[best] = False
        return raw, anchors

    def _check_params(self) -> None:
        if self.n_clusters is not None and (
            not isinstance(self.n_clusters, int) or self.n_clusters < 1
        ):
            raise InvalidInputError(
                f"n_clusters must be None or an int >= 1, got {self.n_clusters!r}."
            )
        if not isinstance(self.max_share, int | float) or not 0 < self.max_share <= 1:
            raise InvalidInputError(f"max_share must be in (0, 1], got {self.max_share!r}.")
        for name in ("min_cluster_size", "max_exact", "n_keywords", "n_representatives"):
            value = getattr(self, name)
            if not isinstance(value, int) or value < 1:
                raise InvalidInputError(f"{name} must be an int >= 1, got {value!r}.")

    def _chunks(self, texts: Sequence[str]) -> Iterator[tuple[int, list[LemmaDoc]]]:
        for start in range(0, len(texts), _CHUNK):
            yield start, self.preprocessor_.analyze(texts[start : start + _CHUNK])

    def _idf(self, chunks: Iterator[tuple[int, list[LemmaDoc]]]) -> npt.NDArray[np.float64]:
        """Smoothed inverse document frequency of each vocabulary id."""
        df: Counter[int] = Counter()
        n = 0
        for _, docs in chunks:
            n += len(docs)
            for doc in docs:
                df.update(set(doc.ids.tolist()))
        size = len(self.preprocessor_.keys)
        counts = np.zeros(size)
        counts[list(df)] = list(df.values())
        return np.log((1.0 + n) / (1.0 + counts)) + 1.0

    def _embed(self, docs: Sequence[LemmaDoc]) -> npt.NDArray[np.float32]:
        # Words shared by most texts ("magasin") would pull every text together: weight by idf.
        pre = self.preprocessor_
        negations = [pre.key_id(c) for c in NEGATION_CUES]
        content = pre.is_content().copy()
        content[negations] = False
        size = len(content)
        idf = np.ones(size)
        idf[: len(self.idf_)] = self.idf_[:size]
        idf[len(self.idf_) :] = self.idf_.max() if len(self.idf_) else 1.0
        out = np.zeros((len(docs), pre.table().shape[1]), dtype=np.float32)
        for d, doc in enumerate(docs):
            ids = doc.ids[content[doc.ids]] if len(doc.ids) else doc.ids
            if len(ids):
                out[d] = idf[ids] @ pre.vectors_of(ids)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        unit: npt.NDArray[np.float32] = out / norms
        return unit

    def _cluster_exact(self, vectors: npt.NDArray[np.float32], k: int) -> npt.NDArray[np.int64]:
        if self.clusterer is not None:
            part = self.clusterer
            model = clone(part) if hasattr(part, "get_params") else part
            labels = np.asarray(model.fit_predict(vectors), dtype=np.int64)
            if labels.shape != (len(vectors),):
                raise InvalidInputError(
                    f"clusterer.fit_predict must return one label per text, got shape "
                    f"{labels.shape} for {len(vectors)} texts."
                )
            return labels
        if k < 2 or len(vectors) < 2:
            return np.zeros(len(vectors), dtype=np.int64)
        model = AgglomerativeClustering(n_clusters=k, linkage="ward")
        return np.asarray(model.fit_predict(vectors), dtype=np.int64)

    def _cluster_sampled(
        self, texts: Sequence[str], k: int
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64], dict[int, list[tuple[float, int]]]]:
        """Raw labels, per-cluster vector sums and best candidates, one chunk at a time."""
        n = len(texts)
        rng = check_random_state(self.random_state)
        sample = np.sort(rng.choice(n, size=min(n, 20 * self.max_exact), replace=False))
        sample_vectors = self._embed(self.preprocessor_.analyze([texts[i] for i in sample]))
        kmeans = MiniBatchKMeans(
            n_clusters=k, random_state=rng.randint(2**31 - 1), batch_size=4096, n_init=1
        )
        kmeans.fit(sample_vectors)
        centers = kmeans.cluster_centers_ / np.maximum(
            np.linalg.norm(kmeans.cluster_centers_, axis=1, keepdims=True), 1e-9
        )
        raw = np.empty(n, dtype=np.int64)
        sums = np.zeros((k, centers.shape[1]))
        candidates: dict[int, list[tuple[float, int]]] = {}
        for start, docs in self._chunks(texts):
            vectors = self._embed(docs)
            labels = np.asarray(kmeans.predict(vectors), dtype=np.int64)
            raw[start : start + len(docs)] = labels
            np.add.at(sums, labels, vectors)
            closeness = np.einsum("ij,ij->i", vectors, centers[labels])
            self._candidates(texts, labels, closeness, start, candidates)
        return raw, sums, candidates

    def _candidates(
        self,
        texts: Sequence[str],
        labels: npt.NDArray[np.int64],
        closeness: npt.NDArray[np.float64],
        start: int,
        best: dict[int, list[tuple[float, int]]],
    ) -> dict[int, list[tuple[float, int]]]:
        """Keep, per cluster, the texts closest to its centre, preferring readable lengths."""
        keep = self.n_representatives
        for offset, (label, close) in enumerate(zip(labels.tolist(), closeness, strict=True)):
            if label < 0:
                continue
            index = start + offset
            score = float(close) + 0.1 * _readability(texts[index])
            found = best.setdefault(label, [])
            if len(found) < keep:
                heapq.heappush(found, (score, -index))
            elif (score, -index) > found[0]:
                heapq.heapreplace(found, (score, -index))
        return best

    def _relabel(self, raw: npt.NDArray[np.int64], sums: npt.NDArray[np.float64]) -> None:
        """Keep clusters of at least min_cluster_size, numbered by decreasing size."""
        sizes = Counter(raw[raw >= 0].tolist())
        kept = [
            c
            for c, size in sorted(sizes.items(), key=lambda kv: (-kv[1], kv[0]))
            if size >= self.min_cluster_size
        ]
        mapping = np.full(len(sums), -1, dtype=np.int64)
        mapping[kept] = np.arange(len(kept))
        self.labels_ = np.where(raw >= 0, mapping[np.maximum(raw, 0)], -1)
        centroids = sums[kept] if kept else np.zeros((0, sums.shape[1]))
        norms = np.maximum(np.linalg.norm(centroids, axis=1, keepdims=True), 1e-9)
        self.centroids_ = (centroids / norms).astype(np.float32)

    def _counts(
        self, chunks: Iterator[tuple[int, list[LemmaDoc]]]
    ) -> tuple[sparse.csr_matrix, dict[int, Counter[str]]]:
        """Sparse (n_themes, vocabulary) texts per lemma and the surface forms seen per lemma."""
        pre = self.preprocessor_
        n_themes = len(self.centroids_)
        total: sparse.csr_matrix | None = None
        surface: dict[int, Counter[str]] = {}
        for start, docs in chunks:
            labels = self.labels_[start : start + len(docs)].tolist()
            rows: list[int] = []
            cols: list[int] = []
            for doc, label in zip(docs, labels, strict=True):
                if label < 0:
                    continue
                ids = doc.ids.tolist()
                # Each lemma once per text: the counts are document frequencies, so a word
                # repeated in one text never looks shared.
                distinct = sorted(set(ids))
                rows.extend([label] * len(distinct))
                cols.extend(distinct)
                for token_id, begin, end in zip(ids, doc.starts, doc.ends, strict=True):
                    surface.setdefault(token_id, Counter())[doc.text[begin:end].lower()] += 1
            width = len(pre.keys)
            part = sparse.csr_matrix(
                (np.ones(len(rows)), (rows, cols)), shape=(max(n_themes, 1), width)
            )
            if total is not None:
                # The vocabulary may have grown in this chunk: widen the running total.
                widened = (total.data, total.indices, total.indptr)
                part = part + sparse.csr_matrix(widened, shape=(max(n_themes, 1), width))
            total = part
        assert total is not None  # fit never calls this with no chunk
        return total, surface

    def _describe(
        self,
        counts: sparse.csr_matrix,
        surface: dict[int, Counter[str]],
        candidates: dict[int, list[tuple[float, int]]],
        first_words: dict[int, int],
    ) -> tuple[DiscoveredTheme, ...]:
        pre = self.preprocessor_
        n_themes = len(self.centroids_)
        if n_themes == 0:
            return ()
        negations = {pre.key_id(cue) for cue in NEGATION_CUES}
        content = pre.is_content().copy()
        content[list(negations)] = False
        counts = sparse.csr_matrix(counts, shape=(max(n_themes, 1), len(content)))
        counts = counts @ sparse.diags(content.astype(np.float64))
        sizes = np.bincount(self.labels_[self.labels_ >= 0], minlength=n_themes)
        # A label word must be found in two texts of the group at least (in groups of two
        # or more): a word of a single text ("diskpart") says nothing of the group.
        shared = sparse.csr_matrix(counts, copy=True)
        row_of = np.repeat(np.arange(shared.shape[0]), np.diff(shared.indptr))
        shared.data = np.where(shared.data >= np.minimum(sizes, 2)[row_of], shared.data, 0.0)
        shared.eliminate_zeros()
        keywords = _class_tfidf_keywords(shared, self.n_keywords)
        themes = []
        for i in range(n_themes):
            best = sorted(candidates.get(i, []), reverse=True)
            ranked = keywords[i]
            if i in first_words:
                ranked = [first_words[i], *[w for w in ranked if w != first_words[i]]]
            ranked = ranked[: self.n_keywords]
            names = tuple(surface[w].most_common(1)[0][0] for w in ranked if w in surface)
            themes.append(
                DiscoveredTheme(
                    label=i,
                    size=int(sizes[i]),
                    keywords=names,
                    representatives=tuple(-index for _, index in best),
                )
            )
        return tuple(themes)

    def transform(self, X: Sequence[str]) -> npt.NDArray[np.float32]:
        """Unit vectors of ``X`` as grouped in ``fit`` (idf-weighted mean word vectors)."""
        check_is_fitted(self, "labels_")
        texts = check_texts(X)
        if not texts:
            return np.zeros((0, self.preprocessor_.table().shape[1]), dtype=np.float32)
        return self._embed(self.preprocessor_.analyze(texts))

    def predict(self, X: Sequence[str]) -> npt.NDArray[np.int64]:
        """Nearest discovered theme of each new text (-1 when there is none)."""
        check_is_fitted(self, "labels_")
        texts = check_texts(X)
        if not texts or not len(self.centroids_):
            return np.full(len(texts), -1, dtype=np.int64)
        vectors = self._embed(self.preprocessor_.analyze(texts))
        nearest: npt.NDArray[np.int64] = np.argmax(vectors @ self.centroids_.T, axis=1).astype(
            np.int64
        )
        nearest[~vectors.any(axis=1)] = -1
        return nearest


@functools.cache
def _opinion_keys() -> frozenset[str]:
    """Folded single-word entries of the sentiment lexicon: opinions, not subjects."""
    from pouls_analysis.sentiment.lexicon import load_lexicon

    return frozenset(strip_accents(term.lower()) for term in load_lexicon() if " " not in term)


def _class_tfidf_keywords(counts: sparse.csr_matrix, n_keywords: int) -> list[list[int]]:
    """Top ids per class by c-TF-IDF: tf(t, c) * log(1 + mean words per class / freq(t))."""
    per_class = np.asarray(counts.sum(axis=1)).ravel()
    frequency = np.asarray(counts.sum(axis=0)).ravel()
    average = per_class.sum() / max(counts.shape[0], 1)
    idf = np.log1p(average / np.maximum(frequency, 1.0))
    out: list[list[int]] = []
    for c in range(counts.shape[0]):
        row = counts.getrow(c)
        if not row.nnz:
            out.append([])
            continue
        scores = row.data / max(per_class[c], 1.0) * idf[row.indices]
        order = np.lexsort((row.indices, -scores))[:n_keywords]
        out.append([int(row.indices[o]) for o in order if scores[o] > 0])
    return out


def _readability(text: str) -> float:
    """1 for texts of 40 to 240 characters, less outside."""
    size = len(text)
    if size < 40:
        return size / 40
    if size > 240:
        return max(0.0, 1 - (size - 240) / 240)
    return 1.0
