"""Precision and recall of the behaviour detector on a labelled file.

Each record: ``{"id": ..., "split": "dev"|"test"|..., "text": ..., "labels": [behaviour ids]}``
as JSON Lines, or the same columns in a CSV; ``split`` is optional and labels may be French
names (``labelled.py`` lists what is accepted).
The project's own set (``pouls_analysis/tests/data/behaviours_fr.jsonl``) was written by hand
and split ``dev``/``test`` by a hash of the text before any rule was written; the rules were
tuned on ``dev`` errors only. The same person wrote the texts and the rules, so ``test`` still
flatters them; ``blind`` was written after the rules were frozen and is the honest figure.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, TypedDict

import numpy as np
import numpy.typing as npt
from sklearn.base import clone
from sklearn.model_selection import KFold

from pouls_analysis.behaviours.definitions import BehaviourDefinition
from pouls_analysis.behaviours.detector import ServiceBehaviourDetector
from pouls_analysis.behaviours.labelled import LabelledText
from pouls_analysis.behaviours.labelled import load_labelled as read_labelled
from pouls_analysis.exceptions import InvalidInputError

__all__ = [
    "DEFAULT_DATA",
    "LabelledText",
    "Scores",
    "cross_validate",
    "load_labelled",
    "score",
]

DEFAULT_DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "behaviours_fr.jsonl"


class Scores(TypedDict):
    """Per-behaviour and micro-averaged figures (JSON shape of the evaluate command)."""

    n_texts: int
    per_behaviour: dict[str, dict[str, float | int]]
    micro: dict[str, float | int]


def load_labelled(
    path: str | Path = DEFAULT_DATA,
    definitions: str | Path | Sequence[BehaviourDefinition] | None = None,
) -> list[LabelledText]:
    """Read a labelled JSON Lines, JSON or CSV file (see ``labelled.py`` for the shapes)."""
    return read_labelled(path, definitions)


def _indicator(rows: Sequence[LabelledText], classes: Sequence[str]) -> npt.NDArray[np.int64]:
    index = {c: j for j, c in enumerate(classes)}
    out = np.zeros((len(rows), len(classes)), dtype=np.int64)
    for i, row in enumerate(rows):
        for label in row.labels:
            if label not in index:
                raise InvalidInputError(
                    f"Text {row.id!r} has unknown behaviour {label!r}; known: {list(classes)}."
                )
            out[i, index[label]] = 1
    return out


def score(
    gold: npt.NDArray[np.int64], predicted: npt.NDArray[np.int64], classes: Sequence[str]
) -> Scores:
    """Precision, recall and F1 per behaviour (text level) and micro-averaged."""
    per: dict[str, dict[str, float | int]] = {}
    for j, behaviour in enumerate(classes):
        per[behaviour] = _prf(gold[:, j], predicted[:, j])
    return {"n_texts": int(gold.shape[0]), "per_behaviour": per, "micro": _prf(gold, predicted)}


def _prf(gold: npt.NDArray[np.int64], predicted: npt.NDArray[np.int64]) -> dict[str, float | int]:
    tp = int(((gold == 1) & (predicted == 1)).sum())
    fp = int(((gold == 0) & (predicted == 1)).sum())
    fn = int(((gold == 1) & (predicted == 0)).sum())
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "support": tp + fn,
        "predicted": tp + fp,
        "precision": round(precision, 3),
        "recall": round(recall, 3),
        "f1": round(f1, 3),
    }


def evaluate_rules(
    rows: Sequence[LabelledText], detector: ServiceBehaviourDetector | None = None
) -> Scores:
    """Score a rules-only (or already fitted) detector on ``rows``."""
    if detector is None:
        detector = ServiceBehaviourDetector().fit([])
    gold = _indicator(rows, detector.classes_)
    return score(gold, detector.predict([r.text for r in rows]), detector.classes_)


def train_and_score(
    train: Sequence[LabelledText],
    test: Sequence[LabelledText],
    detector: ServiceBehaviourDetector | None = None,
) -> Scores:
    """Fit a clone of ``detector`` on ``train`` labels and score it on ``test``."""
    model = clone(detector if detector is not None else ServiceBehaviourDetector(random_state=0))
    model.fit([r.text for r in train], [list(r.labels) for r in train])
    gold = _indicator(test, model.classes_)
    return score(gold, model.predict([r.text for r in test]), model.classes_)


def cross_validate(
    rows: Sequence[LabelledText],
    *,
    n_splits: int = 5,
    random_state: int = 0,
    detector: ServiceBehaviourDetector | None = None,
) -> Scores:
    """K-fold cross-validated figures of the supervised mode (predictions pooled over folds)."""
    base = detector if detector is not None else ServiceBehaviourDetector(random_state=random_state)
    classes = clone(base).fit([]).classes_
    gold = _indicator(rows, classes)
    predicted = np.zeros_like(gold)
    texts = [r.text for r in rows]
    folds = KFold(n_splits=n_splits, shuffle=True, random_state=random_state)
    for train_idx, test_idx in folds.split(texts):
        model = clone(base).fit(
            [texts[i] for i in train_idx], [list(rows[i].labels) for i in train_idx]
        )
        predicted[test_idx] = model.predict([texts[i] for i in test_idx])
    return score(gold, predicted, classes)


def full_report(
    rows: Sequence[LabelledText],
    *,
    n_splits: int = 5,
    detector: ServiceBehaviourDetector | None = None,
) -> dict[str, Any]:
    """Everything the ``pouls evaluate behaviours`` command prints (see docs/behaviours.md).

    1. rules only, on the whole file (``rules``: the headline when the file has no split);
    2. rules only, per split (when the file has a ``split`` field);
    3. supervised: trained on ``dev`` (or ``train``) labels, scored on ``test``;
    4. supervised: trained on ``dev`` + ``test`` labels, scored on ``blind``;
    5. supervised: k-fold cross-validation inside ``test`` (texts the rules were not tuned on);
    6. supervised: k-fold cross-validation on all texts (optimistic when the rules saw some).

    ``detector`` (unfitted, default ``ServiceBehaviourDetector(random_state=0)``) sets the
    definitions and parameters used throughout.
    """
    base = detector if detector is not None else ServiceBehaviourDetector(random_state=0)
    splits = sorted({r.split for r in rows})
    report: dict[str, Any] = {"n_texts": len(rows)}
    report["rules"] = evaluate_rules(rows, clone(base).fit([]))
    if splits != ["all"]:
        report["splits"] = {
            split: {
                "rules": evaluate_rules([r for r in rows if r.split == split], clone(base).fit([]))
            }
            for split in splits
        }
    dev = [r for r in rows if r.split in ("dev", "train")]  # "train" as other files name it
    test = [r for r in rows if r.split == "test"]
    blind = [r for r in rows if r.split == "blind"]
    if dev and test:
        report["supervised_dev_to_test"] = train_and_score(dev, test, base)
    if (dev or test) and blind:
        report["supervised_devtest_to_blind"] = train_and_score(dev + test, blind, base)
    if len(test) >= n_splits:
        report["supervised_cv_test"] = cross_validate(test, n_splits=n_splits, detector=base)
    if len(rows) >= n_splits:
        report["supervised_cv_all"] = cross_validate(rows, n_splits=n_splits, detector=base)
    return report
