"""Typed placeholders of the pseudonymiser are not words (issue 19, item 2)."""

from __future__ import annotations

import pytest

from pouls_analysis.pipeline import AnalysisPipeline
from pouls_analysis.privacy import Pseudonymiser
from pouls_analysis.privacy.placeholders import blank_placeholders, drop_placeholders
from pouls_analysis.text.preprocess import FrenchPreprocessor
from pouls_analysis.themes.discovery import ThemeDiscoverer
from pouls_analysis.themes.lexical import LemmaAnalyzer
from pouls_analysis.themes.model import ThemeModel
from pouls_analysis.themes.verbatims import select_verbatims

# The same complaint with the raw number, with the pseudonymiser's placeholder, and with
# nothing. Before the rule, the placeholder alone was read as « téléphone » and gave the
# theme « Joignabilité téléphonique ».
PHONE = "Colis jamais arrivé. Vous pouvez me contacter au {}."
VARIANTS = [PHONE.format("06 12 34 56 78"), PHONE.format("[TÉLÉPHONE]"), PHONE.format("")]


@pytest.fixture(scope="module")
def pipeline() -> AnalysisPipeline:
    return AnalysisPipeline(random_state=0).fit()


def test_the_pseudonymiser_writes_the_placeholder_of_the_test() -> None:
    masked = Pseudonymiser(use_ner=False).fit().transform([VARIANTS[0]])
    assert masked == [VARIANTS[1]]


def test_raw_number_placeholder_and_nothing_get_the_same_themes_and_sentiment(
    pipeline: AnalysisPipeline,
) -> None:
    results = pipeline.analyze(VARIANTS)
    themes = [sorted(m.theme for m in r.themes or ()) for r in results]
    assert themes[0] == themes[1] == themes[2] == ["delivery"]
    assert "phone_reachability" not in themes[1]
    sentiments = [(r.sentiment.label, r.sentiment.score) for r in results]
    assert sentiments[0] == sentiments[1] == sentiments[2]
    assert sentiments[0][0] == "negative"
    # The delivery mention is read in the same clause, so its polarity is the same too.
    polarities = [[m.polarity_score for m in r.themes or ()] for r in results]
    assert polarities[0] == polarities[1] == polarities[2]
    assert results[0].behaviours == results[1].behaviours == results[2].behaviours


@pytest.mark.parametrize("placeholder", ["[NOM]", "[EMAIL]", "[ADRESSE]", "[IBAN]", "[NIR]"])
def test_every_placeholder_reads_as_nothing(pipeline: AnalysisPipeline, placeholder: str) -> None:
    template = "Vendeuse très aimable, merci à {} ! Le retour du colis était simple."
    with_it, without = pipeline.analyze([template.format(placeholder), template.format("")])
    assert [m.theme for m in with_it.themes or ()] == [m.theme for m in without.themes or ()]
    assert with_it.sentiment.score == without.sentiment.score
    assert "email_answers" not in [m.theme for m in with_it.themes or ()]


def test_placeholders_give_no_token_and_spans_stay_on_the_original() -> None:
    text = "Merci à [NOM], joignable au [TÉLÉPHONE] !"
    doc = FrenchPreprocessor().fit().transform([text])[0]
    assert doc.tokens == ("merci", "à", ",", "joignable", "au", "!")
    assert [doc.original[a:b] for a, b in doc.spans] == ["Merci", "à", ",", "joignable", "au", "!"]
    assert "[" not in doc.normalized and "NOM" not in doc.normalized
    analyzer = LemmaAnalyzer()
    lemma_doc = analyzer.analyze([text])[0]
    assert [analyzer.keys[i] for i in lemma_doc.ids] == ["merci", "a", "joignable", "au"]
    assert text[lemma_doc.starts[2] : lemma_doc.ends[2]] == "joignable"


def test_blanking_keeps_offsets_and_only_touches_placeholders() -> None:
    text = "Au [TÉLÉPHONE] ou [telephone] ou [URGENT]"
    blanked = blank_placeholders(text)
    assert len(blanked) == len(text)
    assert blanked == "Au " + " " * len("[TÉLÉPHONE]") + " ou [telephone] ou [URGENT]"
    assert drop_placeholders(text) == "Au  ou [telephone] ou [URGENT]"


def test_stand_alone_theme_model_ignores_placeholders() -> None:
    model = ThemeModel(random_state=0).fit([])
    found = model.predict(VARIANTS)
    assert found[0] == found[1] == found[2] == ("delivery",)


def test_discovery_keywords_never_come_from_placeholders() -> None:
    texts = [
        f"{start} [NOM] [TÉLÉPHONE] [EMAIL] {end}"
        for start, end in [
            ("Le chien", "aboyait dans le magasin"),
            ("Un chien", "courait entre les rayons"),
            ("Le chien du vigile", "faisait peur"),
            ("Encore un chien", "sans laisse"),
            ("La musique", "était trop forte"),
            ("Musique", "beaucoup trop forte en caisse"),
            ("La musique du magasin", "forte et pénible"),
            ("Musique trop forte", "encore"),
        ]
    ]
    model = ThemeDiscoverer(n_clusters=2, random_state=0).fit(texts)
    keywords = {k for theme in model.themes_ for k in theme.keywords}
    assert keywords and not keywords & {"nom", "téléphone", "telephone", "email"}


def test_verbatim_length_does_not_count_placeholders() -> None:
    short = "Super [NOM] [TÉLÉPHONE] [ADRESSE] !"  # 35 characters, 8 without the placeholders
    chosen = select_verbatims([short, "Livraison rapide et colis bien emballé, merci."], k=2)
    assert [v.index for v in chosen] == [1]


def test_behaviours_do_not_read_placeholders(pipeline: AnalysisPipeline) -> None:
    from pouls_analysis.behaviours.definitions import fold_aligned

    assert fold_aligned("Merci [NOM] !") == "merci       !"
    template = "Le vendeur {} m'a dit que ce n'était pas son rayon et il est parti."
    texts = [template.format("[NOM]"), template.format("")]
    found = [r.behaviours for r in pipeline.analyze(texts)]
    assert [(m.behaviour, m.confidence) for m in found[0] or ()] == [
        (m.behaviour, m.confidence) for m in found[1] or ()
    ]
    assert found[0]
