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
    "cohen_kappa",
    "cross_validate",
    "load_labelled",
    "score",
    "wilson_interval",
]

_Z95 = 1.959964  # two-sided 95 % normal quantile

DEFAULT_DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "behaviours_fr.jsonl"


class Scores(TypedDict):
    """Per-behaviour and micro-averaged figures (JSON shape of the evaluate command)."""

    n_texts: int
    per_behaviour: dict[str, dict[str, Any]]
    micro: dict[str, Any]


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
    """Precision, recall and F1 per behaviour (text level) and micro-averaged, with counts
    (``support`` labelled, ``predicted`` detected, ``right`` both) and 95 % Wilson intervals
    (``precision_ci95``, ``recall_ci95``; None when the count under them is 0)."""
    per: dict[str, dict[str, Any]] = {}
    for j, behaviour in enumerate(classes):
        per[behaviour] = _prf(gold[:, j], predicted[:, j])
    return {"n_texts": int(gold.shape[0]), "per_behaviour": per, "micro": _prf(gold, predicted)}


def wilson_interval(successes: int, n: int, z: float = _Z95) -> tuple[float, float] | None:
    """Wilson score interval of a proportion ``successes / n`` (95 % by default).

    Unlike the normal approximation it stays inside [0, 1] and is honest for the small
    counts behaviour evaluations have (3 right of 4 detections: 0.30-0.95).

    Parameters
    ----------
    successes, n : int
        Right detections and detections (precision), or found and labelled (recall).
    z : float, default=1.96
        Normal quantile of the two-sided level.

    Returns
    -------
    (low, high) rounded to 3 decimals, or None when ``n`` is 0.

    Examples
    --------
    >>> wilson_interval(3, 4)
    (0.301, 0.954)
    >>> wilson_interval(0, 0) is None
    True
    """
    if n <= 0:
        return None
    if not 0 <= successes <= n:
        raise InvalidInputError(f"successes must be in [0, {n}], got {successes}.")
    p = successes / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * float(np.sqrt(p * (1 - p) / n + z * z / (4 * n * n))) / denominator
    return round(max(0.0, centre - half), 3), round(min(1.0, centre + half), 3)


def cohen_kappa(a: Sequence[bool], b: Sequence[bool]) -> float | None:
    """Cohen's kappa of two annotators' yes/no decisions on the same items.

    Returns None when it is undefined (no items, or both annotators give one same answer to
    every item, so chance agreement is 1).

    Examples
    --------
    >>> cohen_kappa([True, True, False, False], [True, False, False, False])
    0.5
    """
    if len(a) != len(b):
        raise InvalidInputError(
            f"cohen_kappa needs two equal-length lists, got {len(a)}, {len(b)}."
        )
    n = len(a)
    if n == 0:
        return None
    observed = sum(x == y for x, y in zip(a, b, strict=True)) / n
    pa, pb = sum(map(bool, a)) / n, sum(map(bool, b)) / n
    chance = pa * pb + (1 - pa) * (1 - pb)
    if chance >= 1:
        return None
    return round((observed - chance) / (1 - chance), 3)


def _prf(gold: npt.NDArray[np.int64], predicted: npt.NDArray[np.int64]) -> dict[str, Any]:
    tp = int(((gold == 1) & (predicted == 1)).sum())
    fp = int(((gold == 0) & (predicted == 1)).sum())
    fn = int(((gold == 1) & (predicted == 0)).sum())
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "support": tp + fn,
        "predicted": tp + fp,
        "right": tp,
        "precision": round(precision, 3),
        "precision_ci95": wilson_interval(tp, tp + fp),
        "recall": round(recall, 3),
        "recall_ci95": wilson_interval(tp, tp + fn),
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
        # "seen_*": blind texts of which a precision check read a detection (not blind).
        held_out = [r for r in rows if not r.split.startswith(("dev", "train", "seen"))]
        if held_out and len(held_out) < len(rows):
            # Every split the rules were not tuned on, pooled: the figure to quote.
            report["rules_held_out"] = {
                "splits": sorted({r.split for r in held_out}),
                **evaluate_rules(held_out, clone(base).fit([])),
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
