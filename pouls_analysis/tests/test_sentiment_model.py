from __future__ import annotations

import numpy as np
import pytest

from pouls_analysis.exceptions import InvalidInputError
from pouls_analysis.sentiment.model import SentimentModel, labels_of_scores

# Hand-written reviews (not from any data set), three scores, four of each.
TEXTS = [
    "Très bon accueil, vendeuse adorable.",
    "Service nul, personne pour aider.",
    "Correct sans plus.",
    "Excellent conseil, je recommande.",
    "Attente horrible et caissière désagréable.",
    "Moyen, ni bien ni mal.",
    "Parfait, livraison rapide.",
    "Produit cassé, remboursement refusé.",
    "Acceptable pour le prix.",
    "Génial, équipe au top.",
    "Décevant, je ne reviendrai pas.",
    "Passable, quelques défauts.",
]
STARS = [5, 1, 3] * 4


@pytest.fixture(scope="module")
def model() -> SentimentModel:
    return SentimentModel(calibration_folds=2, random_state=0).fit(TEXTS, STARS)


def test_probabilities_are_calibrated_per_score_and_grouped_per_label(
    model: SentimentModel,
) -> None:
    proba = model.predict_proba(["Accueil adorable, je recommande.", "Nul, désagréable."])
    assert proba.shape == (2, 3) and model.classes_.tolist() == [1, 3, 5]
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    grouped = model.predict_label_proba(["Accueil adorable, je recommande."])
    np.testing.assert_allclose(grouped.sum(axis=1), 1.0)
    assert model.predict(["Accueil adorable, je recommande.", "Nul, désagréable."]).tolist() == [
        "positive",
        "negative",
    ]
    assert model.predict_rating(["Excellent, parfait."]).tolist() == [5]
    score = model.predict_score(["Excellent, parfait."])[0]
    assert 3 < score <= 5
    assert -1 <= model.decision_function(["Nul."])[0] < 0


def test_analyze_docs_gives_label_score_and_lexicon_evidence(model: SentimentModel) -> None:
    docs = model.preprocessor_.transform(["Vendeuse adorable, parfait."])
    (result,) = model.analyze_docs(docs)
    assert result.label == "positive" and result.score > 0 and result.evidence


def test_nps_scale_is_read_from_the_scores() -> None:
    nps = SentimentModel(char_ngrams=None, calibration_folds=2, random_state=0)
    nps.fit(TEXTS, [10, 2, 7] * 4)
    assert nps.scale_ == "nps"
    assert nps.predict(["Génial, je recommande."]).tolist() == ["positive"]
    assert labels_of_scores([0, 6, 7, 8, 9, 10], "nps") == [
        "negative",
        "negative",
        "neutral",
        "neutral",
        "positive",
        "positive",
    ]


def test_score_is_label_accuracy(model: SentimentModel) -> None:
    expected = np.mean(model.predict(TEXTS) == np.array(labels_of_scores(STARS, "stars")))
    assert model.score(TEXTS, STARS) == pytest.approx(expected)
    assert expected >= 0.6  # 12 texts with calibration on two folds: the poles are learned


@pytest.mark.parametrize(
    ("scores", "message"),
    [
        ([5] * 12, "two distinct scores"),
        ([5, 1, 3] * 3 + [5, 1, 2], "score 2 has 1"),
        ([5, 1, 3.5] * 4, "whole scores"),
        ([5, 1, 11] * 4, "between 0 and 10"),
        ([5, 1] * 3, "same length"),
    ],
)
def test_bad_scores_are_refused_with_a_clear_message(scores: list[float], message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        SentimentModel(calibration_folds=2).fit(TEXTS, scores)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"scale": "percent"}, "scale"),
        ({"word_ngrams": (2, 1)}, "word_ngrams"),
        ({"C": 0}, "C must be"),
        ({"calibration_folds": 1}, "calibration_folds"),
        ({"min_df": 0}, "min_df"),
    ],
)
def test_bad_parameters_are_refused_in_fit(params: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        SentimentModel(**params).fit(TEXTS, STARS)  # type: ignore[arg-type]
