from __future__ import annotations

import doctest
import json
import pickle
from pathlib import Path

import numpy as np
import pytest
from sklearn.base import clone

from pouls_analysis.exceptions import InvalidInputError, NotFittedError
from pouls_analysis.sentiment import lexicon as lexicon_module
from pouls_analysis.sentiment.lexicon import (
    LexiconSentiment,
    label_of,
    load_lexicon,
    polarity_of_span,
    rating_of,
)
from pouls_analysis.text.preprocess import FrenchPreprocessor

DATA = Path(__file__).parent / "data"
ROWS = [json.loads(line) for line in (DATA / "sentiment_fr.jsonl").open(encoding="utf-8")]


@pytest.fixture(scope="module")
def model() -> LexiconSentiment:
    return LexiconSentiment().fit()


def score(model: LexiconSentiment, text: str) -> float:
    return model.analyze([text])[0].score


def test_clone_and_get_params_round_trip() -> None:
    model = LexiconSentiment(alpha=3.0, contrast_weight=2.0, lexicon={"super": 2.0})
    copy = clone(model)
    assert copy.get_params() == model.get_params()


def test_fit_returns_self() -> None:
    model = LexiconSentiment()
    assert model.fit(["Très bien"]) is model


def test_it_refuses_to_predict_before_fit() -> None:
    with pytest.raises(NotFittedError):
        LexiconSentiment().predict(["Très bien"])


@pytest.mark.parametrize(
    "params",
    [{"alpha": 0}, {"contrast_weight": -1.0}, {"neutral_band": 1.5}, {"preprocessor": "fr"}],
)
def test_it_validates_parameters_in_fit(params: dict[str, object]) -> None:
    with pytest.raises(InvalidInputError):
        LexiconSentiment(**params).fit()  # type: ignore[arg-type]


def test_empty_and_one_text_inputs(model: LexiconSentiment) -> None:
    assert model.analyze([]) == []
    assert model.predict([]).shape == (0,)
    assert model.transform([]).shape == (0, 3)
    (result,) = model.analyze(["Merci"])
    assert result.label == "positive" and result.evidence == ((0, 5),)
    assert model.analyze([""])[0].label == "neutral"


def test_same_output_after_pickling(model: LexiconSentiment) -> None:
    texts = [row["text"] for row in ROWS]
    restored = pickle.loads(pickle.dumps(model))
    np.testing.assert_array_equal(restored.decision_function(texts), model.decision_function(texts))


@pytest.mark.parametrize("row", ROWS, ids=[row["text"][:30] for row in ROWS])
def test_hand_written_texts_get_their_label(model: LexiconSentiment, row: dict[str, str]) -> None:
    assert model.predict([row["text"]])[0] == row["label"]


def test_negation_turns_the_polarity(model: LexiconSentiment) -> None:
    assert score(model, "Le vendeur est aimable") > 0 > score(model, "Le vendeur n'est pas aimable")
    assert score(model, "C'est mauvais") < 0 < score(model, "C'est pas mauvais")
    # The lexicon's own negated weights: a negated "regretter" is praise.
    assert score(model, "Je ne regrette pas") > 0.5


def test_intensifiers_and_diminishers(model: LexiconSentiment) -> None:
    base = score(model, "Service lent")
    assert score(model, "Service très lent") < base < score(model, "Service un peu lent") < 0
    assert score(model, "Produit peu fiable") < 0
    assert 0 > score(model, "Pas très bon") > score(model, "Pas bon")


def test_the_clause_after_mais_weighs_more(model: LexiconSentiment) -> None:
    assert score(model, "Produit cassé mais vendeur aimable et efficace") > 0
    assert score(model, "Vendeur aimable mais produit cassé") < 0


def test_exclamations_capitals_and_emojis(model: LexiconSentiment) -> None:
    assert score(model, "Nul !!!") < score(model, "Nul") < 0
    assert score(model, "Ce produit est NUL") < score(model, "Ce produit est nul")
    assert score(model, "Commande retirée 😍") > 0 > score(model, "Commande retirée :(")


def test_non_french_texts_only_read_emojis(model: LexiconSentiment) -> None:
    english, emoji = model.analyze(["The staff was awful", "The staff was awful 😡"])
    assert not english.is_french and english.score == 0.0
    assert emoji.lang == "en" and emoji.label == "negative"


def test_polarity_of_a_span_reads_its_clause(model: LexiconSentiment) -> None:
    text = "Accueil très chaleureux, mais la livraison était en retard."
    welcome = model.polarity_of_span(text, 0, 7)
    delivery = model.polarity_of_span(text, text.index("livraison"), text.index("livraison") + 9)
    assert welcome > 0.5 and delivery < -0.3
    doc = model.preprocessor_.transform([text])[0]
    assert model.span_polarity(doc, 0, 7) == welcome
    # A clause without opinion words takes its sentence's polarity.
    plain = "Le rayon jardin, franchement décevant."
    assert model.polarity_of_span(plain, 3, 8) < 0
    assert polarity_of_span(text, 0, 7) == welcome


def test_transform_gives_score_and_sums(model: LexiconSentiment) -> None:
    features = model.transform(["Vendeur aimable mais caisse lente"])
    assert features.shape == (1, 3)
    assert features[0, 1] > 0 > features[0, 2]


def test_custom_lexicon_mapping_and_file(tmp_path: Path) -> None:
    model = LexiconSentiment(lexicon={"pépite": 2.0}).fit()
    assert model.predict(["Une vraie pépite"])[0] == "positive"
    path = tmp_path / "lexique.txt"
    path.write_text("# test\n-2 . couac\n1.0 -3.0 livrer\n", encoding="utf-8")
    model = LexiconSentiment(lexicon=path).fit()
    assert model.predict(["Un couac"])[0] == "negative"
    assert score(model, "Jamais livré") < -0.7
    path.write_text("pas un nombre\n", encoding="utf-8")
    with pytest.raises(InvalidInputError, match="line 1"):
        load_lexicon(path)


def test_it_accepts_a_preprocessor_part() -> None:
    pre = FrenchPreprocessor(detect_language=False)
    model = LexiconSentiment(preprocessor=pre).fit()
    assert model.analyze(["The staff was rude"])[0].lang == "fr"


def test_labels_and_ratings() -> None:
    assert label_of(0.0) == "neutral" and label_of(0.3) == "positive"
    assert [rating_of(s) for s in (-1.0, -0.5, 0.0, 0.5, 1.0)] == [1, 2, 3, 4, 5]
    assert rating_of(-1.0, scale="nps") == 0 and rating_of(1.0, scale="nps") == 10


def test_the_shipped_lexicon_is_large_and_balanced() -> None:
    entries = load_lexicon()
    positive = sum(weight > 0 for weight, _ in entries.values())
    negative = sum(weight < 0 for weight, _ in entries.values())
    assert positive > 200 and negative > 250


def test_docstring_examples_run() -> None:
    result = doctest.testmod(lexicon_module)
    assert result.failed == 0 and result.attempted > 0
