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
        ({"binary_head": "yes"}, "binary_head"),
    ],
)
def test_bad_parameters_are_refused_in_fit(params: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        SentimentModel(**params).fit(TEXTS, STARS)  # type: ignore[arg-type]


def test_binary_head_learns_nb_weights_and_splits_only_the_polar_probability(
    model: SentimentModel,
) -> None:
    assert model.binary_classifier_ is not None and model.log_count_ratio_ is not None
    words = SentimentModel(char_ngrams=None, min_df=1, calibration_folds=2, random_state=0)
    words.fit(TEXTS, STARS)
    assert words.binary_word_vectorizer_ is not None and words.log_count_ratio_ is not None
    vocabulary = words.binary_word_vectorizer_.vocabulary_
    # Keys are folded lemmas: "recommande" is in a 5-star text only, "nul" in a 1-star one;
    # 3-star texts are left out of the head ("moyen" has no n-gram there).
    assert words.log_count_ratio_[vocabulary["recommander"]] > 0
    assert words.log_count_ratio_[vocabulary["nul"]] < 0
    assert "moyen" not in vocabulary
    texts = ["Accueil adorable, je recommande.", "Nul, désagréable.", "Correct."]
    proba, labels = model.predict_score_and_label_proba(texts)
    np.testing.assert_allclose(proba, model.predict_proba(texts))
    np.testing.assert_allclose(labels, model.predict_label_proba(texts))
    np.testing.assert_allclose(labels.sum(axis=1), 1.0)
    # Neutral stays the score model's P(3 stars); negative + positive share the rest.
    np.testing.assert_allclose(labels[:, 1], proba[:, 1])
    score_only = model._group(proba)
    np.testing.assert_allclose(labels[:, 0] + labels[:, 2], score_only[:, 0] + score_only[:, 2])
    assert not np.allclose(labels, score_only)


def test_without_binary_head_labels_sum_the_score_probabilities() -> None:
    plain = SentimentModel(binary_head=False, calibration_folds=2, random_state=0)
    plain.fit(TEXTS, STARS)
    assert plain.binary_classifier_ is None and plain.log_count_ratio_ is None
    texts = ["Accueil adorable, je recommande.", "Nul, désagréable."]
    proba = plain.predict_proba(texts)
    np.testing.assert_allclose(
        plain.predict_label_proba(texts), np.column_stack([proba[:, 0], proba[:, 1], proba[:, 2]])
    )


def test_binary_head_is_left_out_when_one_pole_has_no_text() -> None:
    one_pole = SentimentModel(char_ngrams=None, calibration_folds=2, random_state=0)
    one_pole.fit(TEXTS, [3, 1, 3] * 4)
    assert one_pole.binary_classifier_ is None
    assert one_pole.predict_label_proba(["Nul."])[0, 2] == 0.0


def test_binary_head_is_left_out_when_no_polar_ngram_is_frequent_enough() -> None:
    texts = ["Génial.", "Nul.", "Moyen.", "Parfait.", "Horrible.", "Moyen."]
    sparse_poles = SentimentModel(char_ngrams=None, calibration_folds=2, random_state=0)
    sparse_poles.fit(texts, [5, 1, 3, 5, 1, 3])
    assert sparse_poles.binary_classifier_ is None
    assert sparse_poles.binary_word_vectorizer_ is None
    np.testing.assert_allclose(sparse_poles.predict_label_proba(["Moyen."]).sum(axis=1), 1.0)


def test_binary_head_without_char_ngrams_uses_words_only() -> None:
    words_only = SentimentModel(char_ngrams=None, calibration_folds=2, random_state=0)
    words_only.fit(TEXTS, STARS)
    assert words_only.binary_char_vectorizer_ is None
    assert words_only.binary_classifier_ is not None
    assert words_only.predict(["Génial, je recommande.", "Service nul."]).tolist() == [
        "positive",
        "negative",
    ]
