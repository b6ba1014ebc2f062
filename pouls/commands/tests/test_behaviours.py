from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from pouls.cli import main


def _write(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    return path


def test_it_prints_precision_and_recall_per_behaviour(tmp_path: Path) -> None:
    rows: list[dict[str, object]] = [
        {"text": "Ce n'est pas mon rayon, m'a dit le vendeur.", "labels": ["neutralite"]},
        {"text": "Livraison rapide.", "labels": []},
        {"text": "Elle faisait semblant de ne pas me voir.", "labels": ["evitement"]},
        {"text": "Politesse exagérée et aucune solution.", "labels": ["neutralite"]},
    ]
    data = _write(tmp_path / "b.jsonl", [{**r, "split": "test"} for r in rows])
    result = CliRunner().invoke(
        main, ["evaluate", "behaviours", "--data", str(data), "--folds", "2", "--speed-rows", "50"]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    rules = report["splits"]["test"]["rules"]["per_behaviour"]
    assert rules["neutralite"] == {
        "support": 2,
        "predicted": 1,
        "right": 1,
        "precision": 1.0,
        "precision_ci95": [0.207, 1.0],
        "recall": 0.5,
        "recall_ci95": [0.095, 0.905],
        "f1": 0.667,
    }
    assert rules["evitement"]["recall"] == 1.0
    assert rules["soumission"]["predicted"] == 1
    assert "supervised_cv_test" in report
    assert report["speed"]["texts"] == 50


def test_it_reports_a_malformed_file_without_a_traceback(tmp_path: Path) -> None:
    data = _write(tmp_path / "bad.jsonl", [{"text": "abc", "labels": 3}])
    result = CliRunner().invoke(main, ["evaluate", "behaviours", "--data", str(data)])
    assert result.exit_code == 1
    assert "bad.jsonl:1" in result.output


def test_it_refuses_unknown_behaviours(tmp_path: Path) -> None:
    data = _write(tmp_path / "u.jsonl", [{"text": "abc", "labels": ["rudesse"]}])
    result = CliRunner().invoke(main, ["evaluate", "behaviours", "--data", str(data)])
    assert result.exit_code == 1
    assert "u.jsonl:1" in result.output
    assert "rudesse" in result.output
    assert "protection_groupe (Protection par le groupe)" in result.output


def test_a_csv_without_split_gets_whole_file_rules_and_cross_validation(tmp_path: Path) -> None:
    data = tmp_path / "reel.csv"
    data.write_text(
        "text;labels\n"
        "Ce n'est pas mon rayon, m'a dit le vendeur.;Neutralité\n"
        "Livraison rapide.;aucun\n"
        "Elle faisait semblant de ne pas me voir.;évitement\n"
        "Colis arrivé abîmé.;\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        main, ["evaluate", "behaviours", "--data", str(data), "--folds", "2"]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["n_texts"] == 4
    assert "splits" not in report
    per = report["rules"]["per_behaviour"]
    assert per["neutralite"]["support"] == 1 and per["neutralite"]["recall"] == 1.0
    assert per["evitement"]["support"] == 1
    assert report["supervised_cv_all"]["n_texts"] == 4


def test_an_empty_file_is_refused(tmp_path: Path) -> None:
    data = tmp_path / "vide.csv"
    data.write_text("text,labels\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["evaluate", "behaviours", "--data", str(data)])
    assert result.exit_code == 1
    assert "no labelled text" in result.output


def test_the_table_gives_counts_wilson_intervals_and_the_held_out_pool(tmp_path: Path) -> None:
    rows: list[dict[str, object]] = [
        {"text": "Ce n'est pas mon rayon, m'a dit le vendeur.", "labels": ["neutralite"]},
        {"text": "Livraison rapide.", "labels": []},
        {"text": "Le vendeur ne répond jamais à mes mails.", "labels": ["evitement"]},
        {"text": "Colis arrivé abîmé, le livreur était pressé.", "labels": ["evitement"]},
    ]
    splits = ["dev", "test", "blind", "seen_blind3"]
    labelled = [{**r, "split": s} for r, s in zip(rows, splits, strict=True)]
    data = _write(tmp_path / "t.jsonl", labelled)
    args = ["evaluate", "behaviours", "--data", str(data), "--folds", "2"]
    report = json.loads(CliRunner().invoke(main, args).output)
    held = report["rules_held_out"]
    # dev is tuned on and seen_* texts were read in a precision check: both stay out
    assert held["splits"] == ["blind", "test"] and held["n_texts"] == 2
    assert held["per_behaviour"]["evitement"]["recall_ci95"] == [0.207, 1.0]
    result = CliRunner().invoke(main, [*args, "--table"])
    assert result.exit_code == 0, result.output
    assert "held out (blind + test): 2 texts" in result.output
    assert "evitement          precision   1/1   1.00 [0.21-1.00]" in result.output
