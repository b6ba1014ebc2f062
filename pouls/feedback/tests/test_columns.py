"""Real exports land without a mapping file: columns recognised from ids, question texts,
every header row of the format, and the values."""

from __future__ import annotations

from pathlib import Path

import pytest

from pouls.feedback.importers.columns import label_text, words_of
from pouls.feedback.importers.mapping import load_mapping
from pouls.feedback.importers.pipeline import plan_file

QUALTRICS_IDS = [
    "StartDate",
    "EndDate",
    "Status",
    "IPAddress",
    "Progress",
    "Duration (in seconds)",
    "Finished",
    "RecordedDate",
    "ResponseId",
    "RecipientEmail",
    "LocationLatitude",
    "LocationLongitude",
    "DistributionChannel",
    "UserLanguage",
]
QUALTRICS_ROW = [
    "2025-11-22 10:00:00",
    "2025-11-22 10:05:00",
    "IP Address",
    "192.0.2.1",
    "100",
    "300",
    "True",
    "2025-11-22 10:05:01",
    "R_1",
    "",
    "50.63",
    "3.06",
    "anonymous",
    "FR",
]


def _csv(path: Path, rows: list[list[str]], delimiter: str = ",") -> Path:
    def cell(value: str) -> str:
        return '"' + value.replace('"', '""') + '"'

    path.write_text(
        "\n".join(delimiter.join(cell(c) for c in row) for row in rows) + "\n",
        encoding="utf-8-sig",
    )
    return path


def _columns(path: Path, preset: str | None = None) -> dict[str, tuple[str, ...]]:
    return plan_file(path, load_mapping(None, preset=preset)).resolved.columns


@pytest.mark.django_db
def test_qualtrics_ids_and_question_texts(tmp_path: Path) -> None:
    questions = {
        "Q1_NPS": "Quelle est la probabilité que vous recommandiez Enseigne à un proche ?",
        "Q2_Pourquoi": "Pourquoi ?",
        "Q3_Magasin": "Dans quel magasin êtes-vous allé ?",
        "Q4_Vendeur": "Qui vous a conseillé ?",
        "Q5_Rappel": "Acceptez-vous d'être recontacté(e) au sujet de votre avis ?",
        "Q6_Contact": "Votre e-mail ou téléphone",
    }
    ids = [*QUALTRICS_IDS, *questions]
    texts = [*(words_of(i) for i in QUALTRICS_IDS), *questions.values()]
    imports = [f'{{"ImportId":"{i}"}}' for i in ids]
    data = [*QUALTRICS_ROW, "9", "Très bien", "Site Lille", "Paul Martin", "Oui", "a@b.fr"]
    path = _csv(tmp_path / "q.csv", [ids, texts, imports, data, data])
    columns = _columns(path, "qualtrics")
    assert columns["nps"] == ("Q1_NPS",)
    assert columns["text"] == ("Q2_Pourquoi",)
    assert columns["perimeter"] == ("Q3_Magasin",)
    assert columns["person"] == ("Q4_Vendeur",)
    assert columns["callback_consent"] == ("Q5_Rappel",)
    assert columns["customer"] == ("Q6_Contact",)
    assert columns["received_at"] == ("RecordedDate",)
    assert columns["source_id"] == ("ResponseId",)
    assert "channel" not in columns  # DistributionChannel holds « anonymous », not a channel


@pytest.mark.django_db
@pytest.mark.parametrize(
    "questions",
    [
        [
            "Quelle est la probabilité que vous recommandiez notre enseigne ?",
            "Dans l'ensemble, êtes-vous satisfait de votre visite ?",
            "A-t-il été facile d'obtenir une réponse ?",
            "Qu'est-ce qui motive votre note ?  Dites-nous en plus",
            "Dans quel point de vente êtes-vous allé ?",
            "Quel conseiller vous a reçu ?",
            "Acceptez-vous que nous vous contactions au sujet de votre avis ?",
            "Votre adresse e-mail",
        ],
        [
            "How likely are you to recommend us to a friend?",
            "Overall, how satisfied were you with your visit?",
            "How easy was it to get what you needed?",
            "Please tell us why",
            "Which store did you visit?",
            "Who served you?",
            "May we contact you about your feedback?",
            "Your email address",
        ],
    ],
)
def test_french_and_english_questions_under_generic_ids(
    tmp_path: Path, questions: list[str]
) -> None:
    ids = ["RecordedDate", "ResponseId", *(f"Q{i}" for i in range(1, 9))]
    texts = ["Recorded Date", "Response ID", *questions]
    imports = ["{}"] * len(ids)
    data = ["22/11/2025", "R_1", "9", "4", "5", "Bien", "Site Lille", "Paul Martin", "oui"]
    data.append("a@b.fr")
    path = _csv(tmp_path / "q.csv", [ids, texts, imports, data])
    columns = _columns(path, "qualtrics")
    fields = ("nps", "csat", "ces", "text", "perimeter", "person", "callback_consent", "customer")
    assert {f: columns[f] for f in fields} == {f: (f"Q{i}",) for i, f in enumerate(fields, 1)}


@pytest.mark.django_db
def test_surveymonkey_sub_headers(tmp_path: Path) -> None:
    top = [
        "Respondent ID",
        "End Date",
        "Quelle est la probabilité que vous nous recommandiez ?",
        "Pourquoi ?",
        "Magasin",
        "Vos coordonnées",
        "",
    ]
    sub = ["", "", "Response", "Open-Ended Response", "Response", "Adresse e-mail", "Téléphone"]
    data = ["1", "22/11/2025 10:00", "7", "Bien", "Site Lille", "a@b.fr", "0612345678"]
    path = _csv(tmp_path / "sm.csv", [top, sub, data])
    columns = _columns(path, "surveymonkey")
    assert columns["nps"] == ("Quelle est la probabilité que vous nous recommandiez ?",)
    assert columns["text"] == ("Pourquoi ?",)
    assert columns["customer"] == ("Vos coordonnées / Adresse e-mail",)
    assert columns["source_id"] == ("Respondent ID",)


@pytest.mark.django_db
def test_values_decide_between_a_score_and_its_why(tmp_path: Path) -> None:
    header = ["Date", "Magasin", "Satisfaction", "Satisfaction - pourquoi ?"]
    rows = [["22/11/2025", "Site Lille", "4", "Bon accueil"]] * 3
    columns = _columns(_csv(tmp_path / "s.csv", [header, *rows], ";"))
    assert columns["csat"] == ("Satisfaction",)
    assert columns["text"] == ("Satisfaction - pourquoi ?",)


def test_words_of_ids_and_import_ids() -> None:
    assert words_of("Q1_NPS") == "q 1 nps"
    assert words_of("RecordedDate") == "recorded date"
    assert label_text('{"ImportId":"QID2_TEXT"}') == "qid 2 text"
