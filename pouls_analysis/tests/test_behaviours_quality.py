"""Floors on the held-out parts of the hand-written set, so that regressions fail.

Measured with the labels and rules of round 3 (``pouls evaluate behaviours``; the set
relabelled under ../shared/BEHAVIOURS.md, docs/behaviours.md section 1): rules on ``test``
per behaviour precision >= 0.842 and recall >= 0.80 except soumission (0.308: under the
guide a courtesy formula is soumission only beside a refusal or inaction, which most of
this set's soumission texts imply rather than say); rules on ``blind`` precision >= 0.625
per behaviour and micro recall 0.358; supervised (dev + test labels) on ``blind`` micro
F1 0.769, per behaviour precision >= 0.571 and recall >= 0.562. The floors sit a little
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
        # 56 soumission texts since the guide's relabelling (courtesy without refusal is none)
        assert sum(behaviour in r.labels for r in rows) >= 50
    assert sum(not r.labels for r in rows) >= 360


@pytest.mark.parametrize("behaviour", BEHAVIOUR_IDS)
def test_rules_stay_above_their_floor_on_the_test_split(
    rows: list[LabelledText], behaviour: str
) -> None:
    figures = evaluate_rules(_part(rows, "test"))["per_behaviour"][behaviour]
    assert figures["precision"] >= 0.80, figures
    # The guide's soumission needs the refusal to be said beside the formula (see above).
    assert figures["recall"] >= (0.25 if behaviour == "soumission" else 0.70), figures


def test_rules_stay_above_their_floor_on_the_blind_split(rows: list[LabelledText]) -> None:
    scores: Scores = evaluate_rules(_part(rows, "blind"))
    for behaviour, figures in scores["per_behaviour"].items():
        assert figures["precision"] >= 0.60, (behaviour, figures)
    assert scores["micro"]["recall"] >= 0.33, scores["micro"]


def test_supervised_mode_stays_above_its_floor_on_the_blind_split(
    rows: list[LabelledText],
) -> None:
    train = _part(rows, "dev") + _part(rows, "test")
    scores = train_and_score(train, _part(rows, "blind"), ServiceBehaviourDetector(random_state=0))
    assert scores["micro"]["f1"] >= 0.75, scores["micro"]
    for behaviour, figures in scores["per_behaviour"].items():
        assert figures["precision"] >= 0.55, (behaviour, figures)
        assert figures["recall"] >= 0.55, (behaviour, figures)
