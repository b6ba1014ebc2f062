from __future__ import annotations

import csv
import json
from pathlib import Path

from click.testing import CliRunner

from pouls.cli import main

# Hand-written reviews, six per star (not from any data set).
REVIEWS = {
    1: [
        "Nul, cassé dès le premier jour.",
        "Horrible, je ne recommande pas du tout.",
        "Produit défectueux et service client absent.",
        "Arnaque totale, jamais reçu.",
        "Très déçu, à fuir absolument.",
        "Catastrophe, remboursement refusé.",
    ],
    2: [
        "Décevant, la qualité n'est pas au rendez-vous.",
        "Pas terrible, se raye vite.",
        "Moyen bof, trop cher pour ce que c'est.",
        "Livraison en retard et emballage abîmé.",
        "Fragile, déçu par la finition.",
        "Ne correspond pas à la description.",
    ],
    3: [
        "Correct sans plus.",
        "Ça fait le travail, rien d'exceptionnel.",
        "Moyen, ni bon ni mauvais.",
        "Bien mais un peu cher.",
        "Convenable pour le prix.",
        "Acceptable, quelques défauts.",
    ],
    4: [
        "Bon produit, je suis content.",
        "Bien fini, livraison rapide.",
        "Très bien, petit défaut de couleur.",
        "Bonne qualité pour le prix.",
        "Satisfait, fonctionne bien.",
        "Pratique et solide, bien.",
    ],
    5: [
        "Parfait, je recommande vivement !",
        "Excellent, génial, au top.",
        "Super produit, ravi de mon achat.",
        "Génial, parfait en tout point.",
        "Magnifique, excellente qualité.",
        "Top, je recommande à cent pour cent.",
    ],
}


def _csv(
    path: Path, rows: list[tuple[str, object]], header: tuple[str, str] = ("text", "stars")
) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _rows() -> list[tuple[str, object]]:
    return [(text, stars) for stars, texts in REVIEWS.items() for text in texts]


def test_it_scores_both_models_on_a_test_file(tmp_path: Path) -> None:
    train = _csv(tmp_path / "train.csv", _rows())
    test = _csv(tmp_path / "test.csv", [*_rows()[::2], ("", 5), ("Bien", "six")])
    result = CliRunner().invoke(
        main, ["evaluate", "sentiment", "--train", str(train), "--test", str(test)]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.output[result.output.index("{") :])
    assert report["skipped_test_rows"] == 2
    assert "ligne 17 ignorée : empty 'text'" in result.output
    assert report["test_texts"] == 15
    for system in ("learned", "lexicon"):
        binary, five = report[system]["binary"], report[system]["five_class"]
        assert binary["texts"] == 12 and five["texts"] == 15
        for figure in (binary["accuracy"], binary["macro_f1"], five["accuracy"]):
            assert 0 <= figure <= 100
    # Texts seen in training: the learned model separates the two poles.
    assert report["learned"]["binary"]["accuracy"] == 100.0
    assert report["lexicon"]["binary"]["accuracy"] >= 75


def test_it_cross_validates_one_file_with_other_column_names(tmp_path: Path) -> None:
    train = _csv(tmp_path / "avis.csv", _rows() * 2, header=("avis", "note"))
    args = ["evaluate", "sentiment", "--train", str(train), "--cv", "2"]
    result = CliRunner().invoke(main, [*args, "--text-column", "avis", "--label-column", "note"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["texts"] == 60 and report["folds"] == 2
    assert len(report["learned"]["binary_accuracy_per_fold"]) == 2
    assert report["learned"]["binary"]["texts"] == 48


def test_holdout_and_binary_train(tmp_path: Path) -> None:
    train = _csv(tmp_path / "train.csv", _rows() * 3)
    args = ["evaluate", "sentiment", "--train", str(train), "--holdout", "0.25", "--binary-train"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["holdout"] == 0.25 and report["binary_train"] is True
    assert report["test_texts"] == 23  # a quarter of 90, rounded up
    three_in_test = report["learned"]["five_class"]["texts"] - report["learned"]["binary"]["texts"]
    assert report["train_texts"] == 67 - (18 - three_in_test)  # 3-star texts left out


def test_it_names_a_missing_column(tmp_path: Path) -> None:
    train = _csv(tmp_path / "train.csv", _rows(), header=("review", "stars"))
    result = CliRunner().invoke(main, ["evaluate", "sentiment", "--train", str(train)])
    assert result.exit_code == 1
    assert "no column 'text'; columns are review, stars" in result.output
