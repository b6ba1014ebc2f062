from __future__ import annotations

import doctest
import pickle

import numpy as np
import pytest
from sklearn.base import clone

from pouls_analysis.exceptions import InvalidInputError, NotFittedError
from pouls_analysis.text import preprocess
from pouls_analysis.text.preprocess import EMO_NEG, EMO_POS, FrenchPreprocessor, fold


@pytest.fixture(scope="module")
def pre() -> FrenchPreprocessor:
    return FrenchPreprocessor().fit()


def negated_lemmas(pre: FrenchPreprocessor, text: str) -> list[str]:
    doc = pre.transform([text])[0]
    return [lemma for lemma, neg in zip(doc.lemmas, doc.negated, strict=True) if neg]


def test_clone_and_get_params_round_trip() -> None:
    model = FrenchPreprocessor(languages=("fr", "en"), lemmatizer="spacy", short_text_words=2)
    copy = clone(model)
    assert copy.get_params() == model.get_params()
    assert copy.get_params()["languages"] == ("fr", "en")


def test_fit_returns_self() -> None:
    model = FrenchPreprocessor()
    assert model.fit(["Bonjour"]) is model


def test_it_refuses_to_transform_before_fit() -> None:
    with pytest.raises(NotFittedError):
        FrenchPreprocessor().transform(["Bonjour"])


@pytest.mark.parametrize(
    "params",
    [
        {"languages": ("en", "de")},
        {"languages": ("fr", "xx")},
        {"lemmatizer": "stanza"},
        {"short_text_words": -1},
        {"short_text_other_confidence": 2.0},
    ],
)
def test_it_validates_parameters_in_fit(params: dict[str, object]) -> None:
    with pytest.raises(InvalidInputError):
        FrenchPreprocessor(**params).fit()  # type: ignore[arg-type]


def test_it_refuses_a_single_string(pre: FrenchPreprocessor) -> None:
    with pytest.raises(InvalidInputError, match="wrap it in a list"):
        pre.transform("Bonjour")


def test_empty_and_one_text_inputs(pre: FrenchPreprocessor) -> None:
    assert pre.transform([]) == []
    (empty,) = pre.transform([""])
    assert empty.tokens == () and empty.sentences == () and empty.lang == "und"
    assert not empty.is_french
    assert empty.mean_vector().shape == (300,)
    assert not empty.mean_vector().any()


def test_same_output_twice_and_after_pickling(pre: FrenchPreprocessor) -> None:
    texts = ["Vendeur pas aimable !!!", "Livraison rapide 👍"]
    first = pre.transform(texts)
    assert pre.transform(texts) == first
    restored = pickle.loads(pickle.dumps(pre))
    assert restored.transform(texts) == first


def test_tokens_keep_spans_into_the_original(pre: FrenchPreprocessor) -> None:
    text = "L'accueil était troooop long, svp faites qqch."
    doc = pre.transform([text])[0]
    assert len(doc.tokens) == len(doc.lemmas) == len(doc.keys) == len(doc.spans)
    assert len(doc.negated) == len(doc.vector_rows) == len(doc)
    index = doc.tokens.index("trop")
    start, end = doc.spans[index]
    assert text[start:end] == "troooop"
    assert doc.normalized == "L'accueil était trop long, s'il vous plaît faites quelque chose."


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("trooop biiien", ["trop", "bien"]),
        ("bcp de pb", ["beaucoup", "de", "problème"]),
        ("tjs jms", ["toujours", "jamais"]),
        ("mdr ptdr", ["mdr", "mdr"]),
        ("c nul", ["c'", "est", "nul"]),
        ("j ai", ["j'", "ai"]),
        ("Top :) :-( 😍 😡", ["top", EMO_POS, EMO_NEG, EMO_POS, EMO_NEG]),
        ("Nul !!!!!!", ["nul", "!!!"]),
        ("voir https://exemple.fr/page", ["voir", "url"]),
    ],
)
def test_normalisation(pre: FrenchPreprocessor, text: str, expected: list[str]) -> None:
    assert list(pre.transform([text])[0].tokens) == expected


def test_lemmas_come_from_the_lookup_table_and_keys_are_folded(pre: FrenchPreprocessor) -> None:
    doc = pre.transform(["Les vendeuses étaient déçues"])[0]
    assert doc.lemmas == ("le", "vendeur", "être", "déçu")
    assert doc.keys == ("le", "vendeur", "etre", "decu")
    # A form written without its accent still finds its lemma.
    assert pre.transform(["Colis recu"])[0].lemmas[1] == "recevoir"


@pytest.mark.parametrize(
    ("text", "negated"),
    [
        ("Le vendeur n'était pas aimable", ["être", "aimable"]),
        ("Je ne recommande plus ce magasin", ["recommander", "ce", "magasin"]),
        ("Il n'y a jamais personne", ["y", "avoir"]),
        ("C'est pas terrible", ["terrible"]),
        ("J'aime pas du tout", ["aimer", "du", "tout"]),
        ("Livré sans problème et rapidement", ["problème"]),
        ("Pas cher et efficace", ["cher"]),
        ("Produit non conforme", ["conforme"]),
        ("Aucun souci, merci", ["souci"]),
        ("Il n'y a que des compliments", []),
        ("Pas bon, mais rapide", ["bon"]),
    ],
)
def test_negation_scope(pre: FrenchPreprocessor, text: str, negated: list[str]) -> None:
    assert negated_lemmas(pre, text) == negated


def test_sentences_split_on_punctuation_and_line_breaks(pre: FrenchPreprocessor) -> None:
    doc = pre.transform(["Accueil parfait. Caisse lente !\nMerci"])[0]
    assert doc.sentence_texts() == ("Accueil parfait.", "Caisse lente !", "Merci")
    assert doc.sentence_of(doc.tokens.index("caisse")) == doc.sentences[1]


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Le magasin était propre et le personnel très aimable.", "fr"),
        ("The staff was very rude and the delivery was late.", "en"),
        ("El producto llegó roto y nadie contesta por teléfono.", "es"),
        ("Die Lieferung war sehr spät und das Paket beschädigt.", "de"),
        ("Top", "fr"),
        ("Nickel", "fr"),
        ("👍👍", "und"),
    ],
)
def test_language_is_flagged(pre: FrenchPreprocessor, text: str, lang: str) -> None:
    doc = pre.transform([text])[0]
    assert doc.lang == lang
    assert doc.is_french is (lang == "fr")


def test_non_french_texts_take_the_simple_path(pre: FrenchPreprocessor) -> None:
    doc = pre.transform(["The staff was not friendly :("])[0]
    assert doc.tokens == ("the", "staff", "was", "not", "friendly", EMO_NEG)
    assert doc.lemmas == doc.tokens and not any(doc.negated)


def test_language_detection_can_be_switched_off() -> None:
    pre = FrenchPreprocessor(detect_language=False).fit()
    assert pre.transform(["The staff was rude"])[0].lang == "fr"


def test_mean_vectors_average_content_words(pre: FrenchPreprocessor) -> None:
    docs = pre.transform(["Le vendeur aimable", "vendeur aimable", "le la les"])
    vectors = pre.mean_vectors(docs)
    assert vectors.shape == (3, 300) and vectors.dtype == np.float32
    np.testing.assert_allclose(vectors[0], vectors[1])
    assert not vectors[2].any()
    np.testing.assert_allclose(docs[0].mean_vector(), vectors[0])


def test_spacy_lemmatizer_keeps_the_same_tokens(pre: FrenchPreprocessor) -> None:
    heavy = FrenchPreprocessor(lemmatizer="spacy").fit()
    text = "Les serveuses étaient aimables"
    fast, slow = pre.transform([text])[0], heavy.transform([text])[0]
    assert slow.tokens == fast.tokens and slow.spans == fast.spans
    assert slow.lemmas[1] == "serveuse"


def test_fold() -> None:
    assert fold("Déçue à l'Œil") == "decue a l'oeil"


def test_docstring_examples_run() -> None:
    result = doctest.testmod(preprocess)
    assert result.failed == 0 and result.attempted > 0
