from __future__ import annotations

import json
from pathlib import Path

import pytest

from pouls_analysis.exceptions import InvalidInputError
from pouls_analysis.themes.verbatims import contains_personal_data, select_verbatims

DATA = Path(__file__).parent / "data"
ROWS = [json.loads(line) for line in (DATA / "verbatims_fr.jsonl").open(encoding="utf-8")]
TEXTS = [row["text"] for row in ROWS]


@pytest.mark.parametrize(
    "text",
    [
        "Écrivez à paul.durand@orange.fr",
        "Mon numéro : 06.12.34.56.78",
        "Appelez le +33 6 12 34 56 78",
        "IBAN FR76 3000 6000 0112 3456 7890 189",
        "Carte 4970 1012 3456 7890 débitée deux fois",
        "Madame Lefèvre nous a mal reçus",
        "Je m'appelle Julien et j'attends toujours",
        "Livrez au 12 rue de la Paix à Lille",
        "Merci à Kevin pour sa patience",
    ],
)
def test_unmasked_personal_details_are_detected(text: str) -> None:
    assert contains_personal_data(text)


@pytest.mark.parametrize(
    "text",
    [
        "Écrivez à [EMAIL] ou au [TÉLÉPHONE]",
        "Madame [NOM] nous a bien reçus",
        "Livraison le 12 mars, 3 jours de retard, 49,90 euros",
        "Merci Monsieur pour votre aide",
    ],
)
def test_placeholders_and_ordinary_figures_are_not_personal(text: str) -> None:
    assert not contains_personal_data(text)


def test_it_never_quotes_a_text_with_personal_data() -> None:
    chosen = select_verbatims(TEXTS, k=10)
    assert chosen
    for verbatim in chosen:
        assert ROWS[verbatim.index]["ok"]
        assert verbatim.text == TEXTS[verbatim.index]


def test_it_skips_texts_too_short_to_read() -> None:
    assert all(v.text != "Nul." for v in select_verbatims(TEXTS, k=10))


def test_it_avoids_quoting_two_near_duplicates() -> None:
    chosen = [v.index for v in select_verbatims(TEXTS, k=2, diversity=0.5)]
    assert not {0, 1} <= set(chosen)


def test_without_diversity_the_most_relevant_come_first() -> None:
    chosen = select_verbatims(TEXTS, k=3, diversity=0.0)
    assert [v.score for v in chosen] == sorted((v.score for v in chosen), reverse=True)


def test_empty_input_and_bad_arguments() -> None:
    assert select_verbatims([]) == []
    with pytest.raises(InvalidInputError, match="diversity"):
        select_verbatims(TEXTS, diversity=2.0)
