"""Scores of the sentiment models on (text, stars) files: binary and 5-class.

Used by ``pouls evaluate sentiment``, on CSV or JSON Lines files (``read_star_rows``). Two
protocols, both on star ratings 1-5:

- **binary**: texts rated 1-2 (negative) or 4-5 (positive) only, 3-star texts left out, as
  is usual for review corpora; the learned model says positive when its label probability
  P(positive) >= P(negative) (with the binary head, the mean of both heads'
  P(positive | polar) >= 0.5; see ``SentimentModel``), the
  lexicon model when its score is >= 0 (a score of exactly 0 is counted as "undecided" too);
- **5-class**: every text; the learned model predicts the most probable star, the lexicon
  model maps its score onto stars with ``rating_of`` (3 + 2 x score).

Accuracy and macro-F1 (``sklearn.metrics``) are given in percent; the 5-class macro-F1
averages over the star values present in the truth.
"""

from __future__ import annotations

import csv
import json
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
    "read_star_rows",
    "scores_of",
]


@dataclass
class StarRows:
    """Texts and their stars read from a file, with the rows that could not be read."""

    texts: list[str] = field(default_factory=list)
    stars: list[int] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)


def read_star_rows(
    path: Path, *, text_column: str = "text", label_column: str = "stars"
) -> StarRows:
    """Read (text, stars) rows from a CSV (header line) or a JSON Lines file (``.jsonl``,
    ``.ndjson``: one object per line), told apart by the file extension.

    ``text_column`` may name several columns separated by commas ("title,pros,cons"): their
    non-empty values are joined with ". " (a plain space after a part that already ends with
    . ! ? or …). A row without text, with stars outside 1-5 or (JSON Lines) that is not a
    JSON object is skipped and listed with its line number and reason (never silently).
    """
    columns = [name.strip() for name in text_column.split(",") if name.strip()]
    if not columns:
        raise InvalidInputError(f"no text column named in {text_column!r}.")
    if path.suffix.lower() in (".jsonl", ".ndjson"):
        records, available = _json_lines(path)
    else:
        records, available = _csv_rows(path)
    for name in (*columns, label_column):
        if name not in available:
            raise InvalidInputError(
                f"{path}: no column {name!r}; columns are {', '.join(available) or 'none'}."
            )
    rows = StarRows()
    for line, record in records:
        if isinstance(record, str):
            rows.skipped.append((line, record))
            continue
        text = _joined([_cell(record.get(name)) for name in columns])
        raw = _cell(record.get(label_column))
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


def read_star_csv(
    path: Path, *, text_column: str = "text", label_column: str = "stars"
) -> StarRows:
    """``read_star_rows`` (kept under its first name: CSV and JSON Lines alike)."""
    return read_star_rows(path, text_column=text_column, label_column=label_column)


_Record = dict[str, Any] | str  # a row, or the reason it could not be read


def _csv_rows(path: Path) -> tuple[list[tuple[int, _Record]], list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        available = list(reader.fieldnames or [])
        records: list[tuple[int, _Record]] = [(reader.line_num, dict(row)) for row in reader]
    return records, available


def _json_lines(path: Path) -> tuple[list[tuple[int, _Record]], list[str]]:
    records: list[tuple[int, _Record]] = []
    available: dict[str, None] = {}
    with path.open(encoding="utf-8") as handle:
        for line, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            try:
                value = json.loads(raw)
            except json.JSONDecodeError as exc:
                records.append((line, f"not valid JSON ({exc.msg})"))
                continue
            if not isinstance(value, dict):
                records.append((line, "not a JSON object"))
                continue
            available.update(dict.fromkeys(value))
            records.append((line, value))
    return records, list(available)


def _cell(value: Any) -> str:
    """A CSV or JSON value as stripped text ("" for a missing or null value)."""
    if value is None or isinstance(value, dict | list):
        return ""
    return str(value).strip()


def _joined(parts: Sequence[str]) -> str:
    out = ""
    for part in parts:
        if not part:
            continue
        if out:
            out += " " if out[-1] in ".!?…" else ". "
        out += part
    return out


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
                f1_score(
                    truth,
                    predicted_stars,
                    labels=sorted(set(truth.tolist())),
                    average="macro",
                    zero_division=0,
                )
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
    proba, labels = model.predict_score_and_label_proba(texts)
    stars = np.asarray(model.classes_[proba.argmax(axis=1)], dtype=np.int64)
    positive = labels[:, 2] >= labels[:, 0]
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
