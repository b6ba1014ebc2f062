"""Reading labelled evaluation files: JSON Lines, JSON, CSV; ids or French names."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pouls_analysis.behaviours.evaluate import full_report
from pouls_analysis.behaviours.labelled import load_labelled
from pouls_analysis.exceptions import InvalidInputError


def _jsonl(path: Path, rows: list[object]) -> Path:
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("neutralite", "neutralite"),
        ("Neutralité", "neutralite"),
        ("NEUTRALITE", "neutralite"),
        ("évitement", "evitement"),
        ("Evitement", "evitement"),
        ("protection par le groupe", "protection_groupe"),
        ("Protection par le groupe", "protection_groupe"),
        ("protection-par-le-groupe", "protection_groupe"),
        ("protection_groupe", "protection_groupe"),
        ("protection groupe", "protection_groupe"),
        ("ProtectionParLeGroupe", "protection_groupe"),
        ("Catégorisation", "categorisation"),
        ("l'éducation", "education"),
        (" Soumission ", "soumission"),
    ],
)
def test_it_accepts_ids_and_french_names(tmp_path: Path, name: str, expected: str) -> None:
    path = _jsonl(tmp_path / "a.jsonl", [{"text": "Un texte.", "labels": [name]}])
    assert load_labelled(path)[0].labels == (expected,)


@pytest.mark.parametrize("empty", [[], "", "none", "None", "aucun", "Aucune", "-", None, "[]"])
def test_empty_labels_mean_no_behaviour(tmp_path: Path, empty: object) -> None:
    path = _jsonl(tmp_path / "a.jsonl", [{"text": "Un texte.", "labels": empty}])
    assert load_labelled(path)[0].labels == ()


def test_a_jsonl_label_string_is_split_on_commas_semicolons_and_pipes(tmp_path: Path) -> None:
    path = _jsonl(
        tmp_path / "a.jsonl",
        [
            {"text": "Un.", "labels": "neutralité, évitement"},
            {"text": "Deux.", "labels": "Soumission|Éducation"},
            {"text": "Trois.", "labels": "categorisation; neutralite; categorisation"},
        ],
    )
    assert [r.labels for r in load_labelled(path)] == [
        ("neutralite", "evitement"),
        ("soumission", "education"),
        ("categorisation", "neutralite"),
    ]


def test_a_file_without_split_or_id_gets_all_and_line_numbers(tmp_path: Path) -> None:
    path = _jsonl(tmp_path / "a.jsonl", [{"text": "Un.", "labels": []}, {"text": "Deux."}])
    rows = load_labelled(path)
    assert [(r.id, r.split) for r in rows] == [("1", "all"), ("2", "all")]


def test_a_json_array_is_read(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_text(
        json.dumps([{"texte": "Un.", "Labels": ["Neutralité"], "split": "test"}]), "utf-8"
    )
    rows = load_labelled(path)
    assert rows[0].text == "Un." and rows[0].labels == ("neutralite",)
    assert rows[0].split == "test"


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_csv_files_are_read_whatever_their_delimiter(tmp_path: Path, delimiter: str) -> None:
    inner = "|" if delimiter != "|" else ";"
    lines = [
        delimiter.join(["id", "text", "labels"]),
        delimiter.join(
            ["a1", '"Le vendeur, pressé, m\'a ignoré."', f'"évitement{inner}Neutralité"']
        ),
        delimiter.join(["a2", "Colis en retard.", ""]),
        delimiter.join(["a3", "Très bien.", "aucun"]),
    ]
    path = tmp_path / "a.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    rows = load_labelled(path)
    assert [r.id for r in rows] == ["a1", "a2", "a3"]
    assert rows[0].text == "Le vendeur, pressé, m'a ignoré."
    assert rows[0].labels == ("evitement", "neutralite")
    assert rows[1].labels == () and rows[2].labels == ()


def test_a_csv_with_a_bom_and_comma_separated_labels_in_quotes(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text(
        'text,labels\n"Un texte.","protection par le groupe, soumission"\n', encoding="utf-8-sig"
    )
    assert load_labelled(path)[0].labels == ("protection_groupe", "soumission")


def test_a_csv_with_one_column_per_behaviour(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text(
        "text;Neutralité;Évitement;protection_groupe\nUn.;1;0;\nDeux.;0;oui;0\n", encoding="utf-8"
    )
    assert [r.labels for r in load_labelled(path)] == [("neutralite",), ("evitement",)]


def test_an_unknown_label_names_the_line_and_the_accepted_names(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("text;labels\nUn.;neutralité\nDeux.;rudesse\n", encoding="utf-8")
    with pytest.raises(InvalidInputError) as error:
        load_labelled(path)
    message = str(error.value)
    assert "a.csv:3" in message and "'rudesse'" in message
    assert "protection_groupe (Protection par le groupe)" in message
    assert "aucun" in message


def test_a_csv_without_text_or_labels_is_refused_clearly(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("phrase;labels\nUn.;neutralite\n", encoding="utf-8")
    with pytest.raises(InvalidInputError, match=r"a\.csv:2: expected a 'text' field"):
        load_labelled(path)
    path.write_text("text;note\nUn.;3\n", encoding="utf-8")
    with pytest.raises(InvalidInputError, match=r"a\.csv:2: expected a 'labels' field"):
        load_labelled(path)


def test_an_unknown_extension_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "a.xlsx"
    path.write_bytes(b"PK")
    with pytest.raises(InvalidInputError, match="accepted: .jsonl"):
        load_labelled(path)


def test_without_split_the_report_has_whole_file_rules_and_cross_validation(
    tmp_path: Path,
) -> None:
    texts = [
        ("Ce n'est pas mon rayon, m'a dit le vendeur.", "Neutralité"),
        ("La caissière faisait semblant de ne pas me voir.", "évitement"),
        ("Livraison rapide.", "aucun"),
        ("Prix corrects.", ""),
    ]
    path = _jsonl(tmp_path / "a.jsonl", [{"text": t, "labels": lab} for t, lab in texts])
    report = full_report(load_labelled(path), n_splits=2)
    assert "splits" not in report
    assert report["rules"]["per_behaviour"]["neutralite"]["recall"] == 1.0
    assert report["rules"]["micro"]["support"] == 2
    assert report["supervised_cv_all"]["n_texts"] == 4
    assert "supervised_dev_to_test" not in report


def test_labels_may_be_spans_or_plural_names(tmp_path: Path) -> None:
    path = _jsonl(
        tmp_path / "a.jsonl",
        [
            {
                "text": "La vendeuse m'a ignorée.",
                "labels": [{"label": "Évitement", "start": 12, "end": 23}],
            },
            {"text": "Deux.", "labels": ["évitements", "catégorisations"]},
        ],
    )
    assert [r.labels for r in load_labelled(path)] == [
        ("evitement",),
        ("evitement", "categorisation"),
    ]


def test_a_train_split_trains_the_supervised_mode_like_dev(tmp_path: Path) -> None:
    rows = [
        {"text": f"Le vendeur m'a dit que ce n'était pas son rayon ({i}).", "labels": "neutralité"}
        for i in range(6)
    ] + [{"text": f"Livraison rapide, colis {i}.", "labels": "aucun"} for i in range(6)]
    path = _jsonl(
        tmp_path / "a.jsonl",
        [{**r, "split": "train" if i % 2 else "test"} for i, r in enumerate(rows)],
    )
    report = full_report(load_labelled(path), n_splits=2)
    assert set(report["splits"]) == {"train", "test"}
    assert report["supervised_dev_to_test"]["n_texts"] == 6
