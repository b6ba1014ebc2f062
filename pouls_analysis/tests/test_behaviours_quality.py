"""Floors on the held-out parts of the hand-written set, so that regressions fail.

Measured when written (``pouls evaluate behaviours``; see docs/behaviours.md): rules on
``test`` per behaviour precision >= 0.889 (évitement 0.828 since round 2) and recall
>= 0.75; rules on ``blind`` precision >= 0.692 per behaviour and micro recall 0.358 (0.35
since round 2); supervised (dev + test labels) on ``blind``
micro F1 0.80, per behaviour precision >= 0.78 and recall >= 0.60. The floors sit a little
below these figures.
"""

from __future__ import annotations

import pytest

from pouls_analysis.behaviours import BEHAVIOUR_IDS, ServiceBehaviourDetector
from pouls_analysis.behaviours.evaluate import (
    LabelledText,
    Scores,
    evaluate_rules,
    load_labelled,
    train_and_score,
)


@pytest.fixture(scope="module")
def rows() -> list[LabelledText]:
    return load_labelled()


def _part(rows: list[LabelledText], split: str) -> list[LabelledText]:
    return [r for r in rows if r.split == split]


def test_the_set_has_enough_examples_per_behaviour(rows: list[LabelledText]) -> None:
    for behaviour in BEHAVIOUR_IDS:
        assert sum(behaviour in r.labels for r in rows) >= 60
    assert sum(not r.labels for r in rows) >= 360


@pytest.mark.parametrize("behaviour", BEHAVIOUR_IDS)
def test_rules_stay_above_their_floor_on_the_test_split(
    rows: list[LabelledText], behaviour: str
) -> None:
    figures = evaluate_rules(_part(rows, "test"))["per_behaviour"][behaviour]
    # Round 2 (docs/behaviours.md) made a staff member hanging up on the customer évitement,
    # as customers describe it in real texts; this set labels some such texts otherwise, and
    # évitement precision on test went from 0.889 to 0.828.
    floor = 0.80 if behaviour == "evitement" else 0.85
    assert figures["precision"] >= floor, figures
    assert figures["recall"] >= 0.70, figures


def test_rules_stay_above_their_floor_on_the_blind_split(rows: list[LabelledText]) -> None:
    scores: Scores = evaluate_rules(_part(rows, "blind"))
    for behaviour, figures in scores["per_behaviour"].items():
        assert figures["precision"] >= 0.65, (behaviour, figures)
    assert scores["micro"]["recall"] >= 0.33, scores["micro"]


def test_supervised_mode_stays_above_its_floor_on_the_blind_split(
    rows: list[LabelledText],
) -> None:
    train = _part(rows, "dev") + _part(rows, "test")
    scores = train_and_score(train, _part(rows, "blind"), ServiceBehaviourDetector(random_state=0))
    assert scores["micro"]["f1"] >= 0.75, scores["micro"]
    for behaviour, figures in scores["per_behaviour"].items():
        assert figures["precision"] >= 0.72, (behaviour, figures)
        assert figures["recall"] >= 0.55, (behaviour, figures)
