from __future__ import annotations

import json
from pathlib import Path

import pytest

from pouls_analysis.exceptions import InvalidInputError
from pouls_analysis.sentiment.evaluate import read_star_csv, read_star_rows

# Hand-written rows (not from any data set).
JSON_ROWS: list[object] = [
    {"title": "Super ambiance", "pros": "Équipe soudée", "cons": "Salaires bas", "rating": 4},
    {"title": "Bof!", "pros": None, "cons": "Management absent", "rating": 2},
    {"title": "", "pros": None, "cons": "  ", "rating": 5},
    {"title": "Correct", "pros": "Horaires souples", "cons": "", "rating": "3"},
    {"title": "Étrange", "pros": "Cantine", "cons": "Bureaux", "rating": 7},
    {"title": "Sans note", "pros": "Locaux", "cons": "Trajet"},
    ["not", "an", "object"],
]


def _write_jsonl(path: Path, rows: list[object], extra: str = "") -> Path:
    lines = [json.dumps(row, ensure_ascii=False) for row in rows]
    path.write_text("\n".join(lines) + "\n" + extra, encoding="utf-8")
    return path


def test_json_lines_join_several_text_columns_and_list_every_skipped_row(
    tmp_path: Path,
) -> None:
    path = _write_jsonl(tmp_path / "avis.jsonl", JSON_ROWS, extra="{pas du json\n")
    rows = read_star_rows(path, text_column="title, pros,cons", label_column="rating")
    assert rows.texts == [
        "Super ambiance. Équipe soudée. Salaires bas",
        "Bof! Management absent",
        "Correct. Horaires souples",
    ]
    assert rows.stars == [4, 2, 3]
    reasons = dict(rows.skipped)
    assert sorted(reasons) == [3, 5, 6, 7, 8]
    assert "empty" in reasons[3]
    assert "1-5" in reasons[5]
    assert "not a number" in reasons[6]
    assert reasons[7] == "not a JSON object"
    assert reasons[8].startswith("not valid JSON")


def test_csv_reads_one_or_several_text_columns(tmp_path: Path) -> None:
    path = tmp_path / "avis.csv"
    path.write_text(
        "titre,text,stars\nTop,Livraison rapide,5\n,Colis abîmé,1\nVide,,x\n,,2\n",
        encoding="utf-8",
    )
    single = read_star_csv(path)
    assert single.texts == ["Livraison rapide", "Colis abîmé"]
    assert [line for line, _ in single.skipped] == [4, 5]
    joined = read_star_rows(path, text_column="titre,text")
    assert joined.texts == ["Top. Livraison rapide", "Colis abîmé"]
    assert [line for line, _ in joined.skipped] == [4, 5]
    assert "not a number" in dict(joined.skipped)[4]


def test_a_missing_column_is_refused_with_the_columns_available(tmp_path: Path) -> None:
    path = _write_jsonl(tmp_path / "avis.jsonl", JSON_ROWS[:2])
    with pytest.raises(InvalidInputError, match="no column 'avantages'.*title"):
        read_star_rows(path, text_column="title,avantages", label_column="rating")
    with pytest.raises(InvalidInputError, match="no column 'stars'"):
        read_star_rows(path, text_column="title")
