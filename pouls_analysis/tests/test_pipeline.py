from __future__ import annotations

import pytest

from pouls_analysis.exceptions import InvalidInputError
from pouls_analysis.pipeline import AnalysisPipeline

TEXTS = [
    "Livraison en retard et vendeur désagréable.",
    "Accueil très chaleureux, mais l'attente à la caisse était trop longue !",
    "The product is great and arrived on time.",
    "Top !",
    "",
    "Le conseiller ne m'a jamais rappelé, c'est pas normal :(",
    "Prix correct, produit conforme. Je recommande.",
    "On m'a répondu que ce n'était pas leur service, allez voir ailleurs.",
    "J ai pas aimé, bcp trop cher svp 😡",
]


@pytest.fixture(scope="module")
def pipeline() -> AnalysisPipeline:
    return AnalysisPipeline(random_state=0).fit()


def test_french_and_other_texts(pipeline: AnalysisPipeline) -> None:
    first, _, english, *_ = pipeline.analyze(TEXTS)
    assert (first.lang, first.sentiment.label) == ("fr", "negative")
    assert {"delivery"} <= {m.theme for m in first.themes or ()}
    assert not english.is_french and english.themes is None and english.behaviours is None


def test_mention_polarity_is_the_lexicon_span_polarity(pipeline: AnalysisPipeline) -> None:
    docs = pipeline.preprocessor_.transform(TEXTS)
    for doc, result in zip(docs, pipeline.analyze_docs(docs), strict=True):
        for mention in result.themes or ():
            expected = pipeline.lexicon_.span_polarity(doc, mention.start, mention.end)
            assert mention.polarity_score == round(expected, 4)
        spans = [(m.start, m.end) for m in result.themes or ()]
        separate = [pipeline.lexicon_.span_polarity(doc, *span) for span in spans]
        assert pipeline.lexicon_.span_polarities(doc, spans) == separate


def test_processes_give_the_same_results_in_order(pipeline: AnalysisPipeline) -> None:
    texts = TEXTS * 3
    expected = pipeline.analyze(texts)
    parallel = AnalysisPipeline(random_state=0, n_jobs=2, chunk_size=4).fit()
    assert parallel.analyze(texts) == expected
    # Below two chunks the batch stays in this process.
    assert parallel.analyze(texts[:5]) == expected[:5]


@pytest.mark.parametrize("params", [{"n_jobs": 0}, {"chunk_size": 0}, {"n_jobs": 1.5}])
def test_it_refuses_bad_process_settings(params: dict[str, object]) -> None:
    with pytest.raises(InvalidInputError):
        AnalysisPipeline(**params).fit()  # type: ignore[arg-type]


def test_a_fitted_theme_model_given_is_the_one_used() -> None:
    from pouls_analysis.themes.model import ThemeModel

    texts = ["La borne était en panne.", "Borne hors service.", "Prix trop élevés."] * 4
    labels = [{"checkout_payment": i % 3 != 2} for i in range(len(texts))]
    learned = ThemeModel(taxonomy="retail_fr", random_state=0).fit(texts, labels)
    fitted = AnalysisPipeline(theme_model=learned, behaviours=False, random_state=0).fit()
    assert fitted.themes_ is learned
    assert AnalysisPipeline(theme_model=learned, themes=False).fit().themes_ is None
