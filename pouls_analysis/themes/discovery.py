"""Discovery: group the texts no theme covers, and name each group with French keywords.

Texts become the mean of their content words' vectors. Up to ``max_exact`` texts, Ward
agglomerative clustering gives stable groups even on 20 texts (where density-based topic models
call most of them noise); above it, MiniBatchKMeans learns centroids on a sample and every text
is assigned in chunks, which keeps memory flat up to millions of texts. Groups smaller than
``min_cluster_size`` are left out (label -1). Each group is labelled by class-based TF-IDF on
lemmas (stop words removed) and by the texts closest to its centroid.
"""

from __future__ import annotations

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
from pouls_analysis.themes.lexical import NEGATION_CUES, LemmaAnalyzer, LemmaDoc

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
        ``None`` picks ``round(sqrt(n / 2))`` clipped to [2, 200].
    min_cluster_size : int, default=3
        Smaller groups are labelled -1 and not reported.
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

    Examples
    --------
    >>> texts = ["Le parking est trop petit", "Aucune place de parking", "Parking payant cher",
    ...          "Musique trop forte", "La musique est assourdissante", "Musique insupportable"]
    >>> found = ThemeDiscoverer(n_clusters=2, min_cluster_size=2, random_state=0).fit(texts)
    >>> sorted(t.keywords[0] for t in found.themes_)
    ['musique', 'parking']
    """

    def __init__(
        self,
        *,
        preprocessor: Any = None,
        clusterer: Any = None,
        n_clusters: int | None = None,
        min_cluster_size: int = 3,
        max_exact: int = 5000,
        n_keywords: int = 6,
        n_representatives: int = 3,
        random_state: Any = None,
    ) -> None:
        self.preprocessor = preprocessor
        self.clusterer = clusterer
        self.n_clusters = n_clusters
        self.min_cluster_size = min_cluster_size
        self.max_exact = max_exact
        self.n_keywords = n_keywords
        self.n_representatives = n_representatives
        self.random_state = random_state

    def fit(self, X: Sequence[str], y: None = None) -> ThemeDiscoverer:
        """Cluster ``X`` and label the clusters.

        Steps: idf over the texts; embed and cluster (Ward up to ``max_exact`` texts, else
        MiniBatchKMeans on a sample and assignment chunk by chunk); drop small clusters and
        number the others by size; class-based TF-IDF keywords; representatives.
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
            return self
        k = min(self.n_clusters or int(np.clip(round(np.sqrt(n / 2)), 2, 200)), n)
        if n <= self.max_exact:
            kept = self.preprocessor_.analyze(texts)
            self.idf_ = self._idf(iter([(0, kept)]))
            vectors = self._embed(kept)
            raw = self._cluster_exact(vectors, k)
            found = int(raw.max()) + 1 if len(raw) else 0
            sums = np.zeros((max(found, 1), vectors.shape[1]))
            np.add.at(sums, raw[raw >= 0], vectors[raw >= 0])
            self._relabel(raw, sums)
            closeness = np.einsum("ij,ij->i", vectors, self.centroids_[self.labels_])
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
        self.themes_ = self._describe(counts, surface, candidates)
        logger.info("discovery: %s texts, %s themes", n, len(self.themes_))
        return self

    def _check_params(self) -> None:
        if self.n_clusters is not None and (
            not isinstance(self.n_clusters, int) or self.n_clusters < 1
        ):
            raise InvalidInputError(
                f"n_clusters must be None or an int >= 1, got {self.n_clusters!r}."
            )
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
        """Sparse (n_themes, vocabulary) lemma counts and the surface forms seen per lemma."""
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
                rows.extend([label] * len(ids))
                cols.extend(ids)
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
        keywords = _class_tfidf_keywords(sparse.csr_matrix(counts), self.n_keywords)
        sizes = np.bincount(self.labels_[self.labels_ >= 0], minlength=n_themes)
        themes = []
        for i in range(n_themes):
            best = sorted(candidates.get(i, []), reverse=True)
            names = tuple(surface[w].most_common(1)[0][0] for w in keywords[i] if w in surface)
            themes.append(
                DiscoveredTheme(
                    label=i,
                    size=int(sizes[i]),
                    keywords=names,
                    representatives=tuple(-index for _, index in best),
                )
            )
        return tuple(themes)

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
