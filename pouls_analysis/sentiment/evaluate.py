"""Scores of the sentiment models on (text, stars) files: binary and 5-class.

Used by ``pouls evaluate sentiment``. Two protocols, both on star ratings 1-5:

- **binary**: texts rated 1-2 (negative) or 4-5 (positive) only, 3-star texts left out, as
  is usual for review corpora; the learned model says positive when P(4-5) >= P(1-2), the
  lexicon model when its score is >= 0 (a score of exactly 0 is counted as "undecided" too);
- **5-class**: every text; the learned model predicts the most probable star, the lexicon
  model maps its score onto stars with ``rating_of`` (3 + 2 x score).

Accuracy and macro-F1 (``sklearn.metrics``) are given in percent.
"""

from __future__ import annotations

import csv
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from sklearn.base import clone
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import StratifiedKFold, train_test_split

from pouls_analysis.exceptions import InvalidInputError
from pouls_analysis.sentiment.lexicon import LexiconSentiment, rating_of
from pouls_analysis.sentiment.model import SentimentModel
from pouls_analysis.text.preprocess import FrenchPreprocessor

__all__ = [
    "StarRows",
    "cross_validate",
    "evaluate_split",
    "holdout_split",
    "read_star_csv",
    "scores_of",
]


@dataclass
class StarRows:
    """Texts and their stars read from a CSV, with the rows that could not be read."""

    texts: list[str] = field(default_factory=list)
    stars: list[int] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)


def read_star_csv(
    path: Path, *, text_column: str = "text", label_column: str = "stars"
) -> StarRows:
    """Read (text, stars) rows; a row without text or with stars outside 1-5 is skipped and
    listed with its line number and reason (never silently)."""
    rows = StarRows()
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        columns = reader.fieldnames or []
        for name in (text_column, label_column):
            if name not in columns:
                raise InvalidInputError(
                    f"{path}: no column {name!r}; columns are {', '.join(columns) or 'none'}."
                )
        for row in reader:
            line = reader.line_num
            text, raw = (row.get(text_column) or "").strip(), (row.get(label_column) or "").strip()
            if not text:
                rows.skipped.append((line, f"empty {text_column!r}"))
                continue
            try:
                stars = float(raw)
            except ValueError:
                rows.skipped.append((line, f"{label_column!r} is not a number: {raw!r}"))
                continue
            if stars not in (1, 2, 3, 4, 5):
                rows.skipped.append((line, f"{label_column!r} must be a whole 1-5, got {raw!r}"))
                continue
            rows.texts.append(text)
            rows.stars.append(int(stars))
    return rows


def holdout_split(
    rows: StarRows, fraction: float, random_state: int = 0
) -> tuple[StarRows, StarRows]:
    """A stratified split of one file: (train, test) with ``fraction`` of the texts in test."""
    if not 0 < fraction < 1:
        raise InvalidInputError(f"the held-out fraction must be between 0 and 1, got {fraction}.")
    train_idx, test_idx = train_test_split(
        np.arange(len(rows.texts)),
        test_size=fraction,
        random_state=random_state,
        stratify=rows.stars,
    )

    def subset(indices: npt.NDArray[np.int64]) -> StarRows:
        return StarRows([rows.texts[i] for i in indices], [rows.stars[i] for i in indices])

    return subset(train_idx), subset(test_idx)


def scores_of(
    stars: Sequence[int],
    predicted_stars: npt.NDArray[np.int64],
    positive: npt.NDArray[np.bool_],
    undecided: npt.NDArray[np.bool_] | None = None,
) -> dict[str, Any]:
    """Binary and 5-class accuracy and macro-F1 (percent) of one system."""
    truth = np.asarray(stars)
    polar = truth != 3
    binary_truth = truth[polar] >= 4
    binary_pred = positive[polar]
    out: dict[str, Any] = {
        "binary": {
            "texts": int(polar.sum()),
            "accuracy": _pct(accuracy_score(binary_truth, binary_pred)),
            "macro_f1": _pct(f1_score(binary_truth, binary_pred, average="macro")),
        },
        "five_class": {
            "texts": int(truth.size),
            "accuracy": _pct(accuracy_score(truth, predicted_stars)),
            "macro_f1": _pct(
                f1_score(truth, predicted_stars, labels=[1, 2, 3, 4, 5], average="macro")
            ),
        },
    }
    if undecided is not None:
        out["binary"]["undecided"] = int(undecided[polar].sum())
    return out


def _pct(value: float) -> float:
    return round(100.0 * float(value), 2)


def _learned_predictions(
    model: SentimentModel, texts: Sequence[str]
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.bool_]]:
    proba = model.predict_proba(texts)
    classes = model.classes_
    stars = np.asarray(classes[proba.argmax(axis=1)], dtype=np.int64)
    positive = proba[:, classes >= 4].sum(axis=1) >= proba[:, classes <= 2].sum(axis=1)
    return stars, positive


def _lexicon_predictions(
    lexicon: LexiconSentiment, texts: Sequence[str]
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    scores = lexicon.decision_function(texts)
    stars = np.array([rating_of(float(s)) for s in scores], dtype=np.int64)
    return stars, scores >= 0, scores == 0


def evaluate_split(
    train: StarRows,
    test: StarRows,
    *,
    model: SentimentModel | None = None,
    preprocessor: FrenchPreprocessor | None = None,
) -> dict[str, Any]:
    """Fit the learned model on ``train``, score it and the lexicon model on ``test``."""
    preprocessor = preprocessor or FrenchPreprocessor().fit()
    model = model if model is not None else SentimentModel(random_state=0)
    model.set_params(preprocessor=preprocessor)
    started = time.perf_counter()
    model.fit(train.texts, train.stars)
    fit_seconds = time.perf_counter() - started
    stars, positive = _learned_predictions(model, test.texts)
    lexicon = LexiconSentiment(preprocessor=preprocessor).fit()
    lex_stars, lex_positive, undecided = _lexicon_predictions(lexicon, test.texts)
    return {
        "train_texts": len(train.texts),
        "test_texts": len(test.texts),
        "learned": {
            **scores_of(test.stars, stars, positive),
            "fit_seconds": round(fit_seconds, 1),
        },
        "lexicon": scores_of(test.stars, lex_stars, lex_positive, undecided),
    }


def cross_validate(
    rows: StarRows,
    *,
    folds: int = 5,
    model: SentimentModel | None = None,
    random_state: int = 0,
) -> dict[str, Any]:
    """Stratified k-fold on one file: every text is predicted once by a model that did not
    see it; figures are pooled over the folds (per-fold binary accuracy listed too)."""
    if folds < 2:
        raise InvalidInputError(f"folds must be at least 2, got {folds}.")
    truth = np.asarray(rows.stars)
    preprocessor = FrenchPreprocessor().fit()
    base = model if model is not None else SentimentModel(random_state=0)
    stars = np.zeros(truth.size, dtype=np.int64)
    positive = np.zeros(truth.size, dtype=bool)
    per_fold: list[float] = []
    started = time.perf_counter()
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=random_state)
    for train_idx, test_idx in splitter.split(np.zeros(truth.size), truth):
        fitted = clone(base).set_params(preprocessor=preprocessor)
        fitted.fit([rows.texts[i] for i in train_idx], truth[train_idx].tolist())
        fold_stars, fold_positive = _learned_predictions(fitted, [rows.texts[i] for i in test_idx])
        stars[test_idx], positive[test_idx] = fold_stars, fold_positive
        polar = truth[test_idx] != 3
        per_fold.append(_pct(np.mean(fold_positive[polar] == (truth[test_idx][polar] >= 4))))
    seconds = time.perf_counter() - started
    lexicon = LexiconSentiment(preprocessor=preprocessor).fit()
    lex_stars, lex_positive, undecided = _lexicon_predictions(lexicon, rows.texts)
    return {
        "texts": len(rows.texts),
        "folds": folds,
        "learned": {
            **scores_of(rows.stars, stars, positive),
            "binary_accuracy_per_fold": per_fold,
            "seconds": round(seconds, 1),
        },
        "lexicon": scores_of(rows.stars, lex_stars, lex_positive, undecided),
    }
