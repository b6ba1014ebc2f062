from __future__ import annotations

import json
import pickle
from pathlib import Path

import numpy as np
import pytest
from sklearn.base import clone

from pouls_analysis.exceptions import InvalidInputError, NotFittedError
from pouls_analysis.themes.model import ThemeModel

DATA = Path(__file__).parent / "data"
ROWS = [json.loads(line) for line in (DATA / "themes_retail_fr.jsonl").open(encoding="utf-8")]


@pytest.fixture(scope="module")
def zero_shot() -> ThemeModel:
    return ThemeModel(random_state=0).fit([])


def test_clone_and_get_params_round_trip() -> None:
    model = ThemeModel(taxonomy="restaurants_fr", threshold=0.6, random_state=3)
    copy = clone(model)
    assert copy.get_params() == model.get_params()
    assert copy.get_params()["taxonomy"] == "restaurants_fr"


def test_fit_returns_self() -> None:
    model = ThemeModel()
    assert model.fit(["Livraison rapide"]) is model


def test_it_refuses_to_predict_before_fit() -> None:
    with pytest.raises(NotFittedError):
        ThemeModel().predict(["Livraison rapide"])


def test_empty_and_one_text_inputs(zero_shot: ThemeModel) -> None:
    assert zero_shot.transform([]).shape == (0, len(zero_shot.themes_))
    assert zero_shot.predict([]) == []
    assert zero_shot.predict(["Le colis est arrivé en retard"])[0][0] == "delivery"
    assert zero_shot.annotate([""])[0].uncovered


def test_bad_parameters_and_inputs_are_refused_in_fit() -> None:
    with pytest.raises(InvalidInputError, match="threshold"):
        ThemeModel(threshold=2.0).fit([])
    with pytest.raises(InvalidInputError, match="single str"):
        ThemeModel().fit("Livraison")
    with pytest.raises(InvalidInputError, match="not a detectable theme"):
        ThemeModel().fit(["Livraison"], [["teleportation"]])


def test_zero_shot_finds_the_theme_of_each_hand_written_complaint(zero_shot: ThemeModel) -> None:
    predicted = zero_shot.predict([row["text"] for row in ROWS])
    pairs = list(zip(ROWS, predicted, strict=True))
    recall = np.mean([set(row["themes"]) <= set(p) for row, p in pairs])
    precision = np.mean([p[0] in row["themes"] for row, p in pairs if p])
    assert recall >= 0.9
    assert precision >= 0.8


def test_mentions_carry_polarity_and_an_evidence_span(zero_shot: ThemeModel) -> None:
    text = "Le vendeur était très aimable mais la livraison a une semaine de retard"
    mentions = {m.theme: m for m in zero_shot.annotate([text])[0].mentions}
    assert mentions["friendliness"].polarity == "positive"
    assert mentions["delivery"].polarity == "negative"
    delivery = mentions["delivery"]
    assert text[delivery.start : delivery.end] == "livraison"


def test_a_text_with_no_theme_is_flagged_for_discovery(zero_shot: ThemeModel) -> None:
    (annotation,) = zero_shot.annotate(["Le chien du voisin aboie dans la galerie"])
    assert annotation.uncovered


def test_partial_labels_teach_a_theme_the_taxonomy_misses_and_leave_the_others() -> None:
    # "la borne" (self-checkout kiosk) is in no seed: analysts label a few texts for checkout
    # only, and say nothing about any other theme.
    labelled = [
        ("La borne a refusé ma carte", True),
        ("La borne était encore en panne", True),
        ("Borne bloquée, il a fallu appeler quelqu'un", True),
        ("La borne ne lit pas les codes-barres", True),
        ("Borne lente et compliquée", True),
        ("Encore une borne hors service", True),
        ("Le rayon fruits était bien achalandé", False),
        ("Bel accueil à l'entrée", False),
        ("Le parking est trop petit", False),
        ("Produit cassé à l'ouverture", False),
        ("Retard de livraison", False),
        ("Vendeuse charmante", False),
    ]
    texts = [t for t, _ in labelled] + ["Colis perdu par le transporteur"]
    y = [{"checkout_payment": answer} for _, answer in labelled] + [None]
    model = ThemeModel(random_state=0).fit(texts, y)
    before = ThemeModel(random_state=0).fit([])
    new = ["La borne me demande de recommencer"]
    assert "checkout_payment" not in before.predict(new)[0]
    assert "checkout_payment" in model.predict(new)[0]
    assert set(model.classifiers_) == {"checkout_payment"}
    assert model.predict(["Le livreur a perdu mon colis"])[0][0] == "delivery"


def test_same_random_state_gives_the_same_output() -> None:
    texts = [row["text"] for row in ROWS]
    y = [row["themes"] for row in ROWS]
    first = ThemeModel(random_state=1, min_labels=2).fit(texts, y).transform(texts)
    second = ThemeModel(random_state=1, min_labels=2).fit(texts, y).transform(texts)
    np.testing.assert_array_equal(first, second)


def test_a_fitted_model_survives_pickling(zero_shot: ThemeModel) -> None:
    copy = pickle.loads(pickle.dumps(zero_shot))
    text = ["Impossible de joindre le service client"]
    np.testing.assert_allclose(copy.transform(text), zero_shot.transform(text))


@pytest.mark.parametrize("name", ["retail_fr", "restaurants_fr"])
def test_each_shipped_theme_recognises_its_own_examples(name: str) -> None:
    model = ThemeModel(taxonomy=name).fit([])
    examples = [(t.id, e) for t in model.taxonomy_.detectable for e in t.examples]
    predicted = model.predict([e for _, e in examples])
    missed = [e for (theme, e), p in zip(examples, predicted, strict=True) if theme not in p]
    assert not missed


def test_a_hyphenated_seed_matches_with_or_without_the_hyphen(zero_shot: ThemeModel) -> None:
    for text in ["Le service après-vente est injoignable", "Le service après vente traîne"]:
        assert "after_sales_repairs" in zero_shot.predict([text])[0]
