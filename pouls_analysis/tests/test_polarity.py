from __future__ import annotations

import numpy as np
import pytest
from sklearn.base import clone

from pouls_analysis.exceptions import InvalidInputError, NotFittedError
from pouls_analysis.themes.polarity import AspectPolarityModel, clause_bounds, lexicon_polarity

TEXTS = [
    "Le serveur était charmant et attentionné.",
    "Le serveur était odieux, aucune excuse.",
    "Plats délicieux, cuisson parfaite.",
    "Plats froids et sans goût, immangeable.",
    "Accueil souriant, service rapide.",
    "Service lent, serveuse désagréable.",
    "Un dessert savoureux et copieux.",
    "Un dessert industriel et fade.",
]
POLARITIES = ["positive", "negative"] * 4
SPANS = [(3, 10), (3, 10), (0, 5), (0, 5), (0, 7), (0, 7), (3, 10), (3, 10)]
THEMES = ["service", "service", "food", "food", "service", "service", "food", "food"]


def test_clause_bounds_stop_at_contrast_words() -> None:
    text = "Le cadre est joli mais le service est lent"
    start = text.index("service")
    left, right = clause_bounds(text, start, start + 7)
    assert text[left:right] == "le service est lent"


def test_negation_flips_the_lexicon() -> None:
    assert lexicon_polarity(["c", "etre", "bon"]) > 0
    assert lexicon_polarity(["ce", "ne", "etre", "pas", "bon"]) < 0


def test_estimator_contract() -> None:
    model = AspectPolarityModel(C=2.0, random_state=0)
    assert clone(model).get_params() == model.get_params()
    with pytest.raises(NotFittedError):
        model.predict(TEXTS, spans=SPANS, themes=THEMES)
    assert model.fit(TEXTS, POLARITIES, spans=SPANS, themes=THEMES) is model
    assert model.predict([], spans=[], themes=[]).tolist() == []
    one = model.predict(["Serveur charmant"], spans=[(0, 7)], themes=["service"])
    assert one.tolist() == ["positive"]


def test_it_learns_polarities_and_is_deterministic() -> None:
    first = AspectPolarityModel(random_state=0).fit(TEXTS, POLARITIES, spans=SPANS, themes=THEMES)
    second = AspectPolarityModel(random_state=0).fit(TEXTS, POLARITIES, spans=SPANS, themes=THEMES)
    new = ["Serveuse désagréable et lente", "Dessert délicieux"]
    spans, themes = [(0, 8), (0, 7)], ["service", "food"]
    predicted = first.predict(new, spans=spans, themes=themes)
    assert predicted.tolist() == ["negative", "positive"]
    np.testing.assert_array_equal(predicted, second.predict(new, spans=spans, themes=themes))


def test_it_refuses_a_single_polarity_and_mismatched_lengths() -> None:
    with pytest.raises(InvalidInputError, match="two polarities"):
        AspectPolarityModel().fit(TEXTS[:2], ["positive"] * 2, spans=SPANS[:2], themes=THEMES[:2])
    with pytest.raises(InvalidInputError, match="same length"):
        AspectPolarityModel().fit(TEXTS, POLARITIES, spans=SPANS[:3], themes=THEMES)


def _span_polarity(text: str, target: str) -> float:
    from pouls_analysis.sentiment.lexicon import LexiconSentiment

    start = text.index(target) if target else 0
    return LexiconSentiment().fit().polarity_of_span(text, start, start + len(target))


def test_a_clause_without_opinion_reads_its_neighbour_turned_around_across_mais() -> None:
    assert _span_polarity("Belle terrasse, mais côté cuisine, on repassera.", "cuisine") < 0
    assert _span_polarity("Terrasse agréable, et côté cuisine aussi.", "cuisine") > 0


def test_a_sentence_without_opinion_reads_the_rest_of_the_text() -> None:
    text = "Quelle soirée décevante. Le serveur a pris la commande au bout de quarante minutes."
    assert _span_polarity(text, "serveur") < 0
    text = "Une soirée parfaite. Le serveur a pris le temps de nous présenter la carte."
    assert _span_polarity(text, "serveur") > 0


def test_the_own_clause_wins_over_its_neighbours() -> None:
    text = "Le dessert était délicieux mais le service était lent."
    assert _span_polarity(text, "dessert") > 0
    assert _span_polarity(text, "service") < 0
    assert _span_polarity("Le plat n'était pas bon.", "plat") < 0
    assert _span_polarity("Le dessert 😍", "dessert") > 0


def test_an_empty_span_reads_the_whole_text() -> None:
    assert _span_polarity("Nous avons attendu une heure, inadmissible.", "") < 0
