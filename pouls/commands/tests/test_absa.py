from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from pouls.cli import main
from pouls.commands.absa import slot1_scores

# Hand-written reviews in the SemEval-2016 ABSA layout (not from the SemEval data).
REVIEWS: list[Review] = [
    ("r1", [
        ("Le serveur était adorable.", [("serveur", "SERVICE#GENERAL", "positive", 3, 10)]),
        ("Les plats étaient délicieux.", [("plats", "FOOD#QUALITY", "positive", 4, 9)]),
    ]),
    ("r2", [
        ("Service lent, serveuse froide.", [("Service", "SERVICE#GENERAL", "negative", 0, 7)]),
        ("Viande trop cuite, sauce sans goût.", [("Viande", "FOOD#QUALITY", "negative", 0, 6)]),
    ]),
    ("r3", [
        ("Accueil chaleureux du patron.", [("Accueil", "SERVICE#GENERAL", "positive", 0, 7)]),
        ("Le poisson était parfaitement cuit.", [("poisson", "FOOD#QUALITY", "positive", 3, 10)]),
        ("Nous avons attendu une heure.", [("NULL", "SERVICE#GENERAL", "negative", 0, 0)]),
    ]),
    ("r4", [
        ("Dessert fade et industriel.", [("Dessert", "FOOD#QUALITY", "negative", 0, 7)]),
        ("Serveurs souriants et rapides.", [("Serveurs", "SERVICE#GENERAL", "positive", 0, 8)]),
    ]),
]  # fmt: skip


Review = tuple[str, list[tuple[str, list[tuple[str, str, str, int, int]]]]]


def _xml(path: Path, reviews: list[Review]) -> Path:
    parts = ['<?xml version="1.0" encoding="UTF-8"?>\n<Reviews>']
    for rid, sentences in reviews:
        parts.append(f'<Review rid="{rid}"><sentences>')
        for n, (text, opinions) in enumerate(sentences):
            parts.append(f'<sentence id="{rid}:{n}"><text>{text}</text><Opinions>')
            for target, category, polarity, start, end in opinions:
                parts.append(
                    f'<Opinion target="{target}" category="{category}" '
                    f'polarity="{polarity}" from="{start}" to="{end}"/>'
                )
            parts.append("</Opinions></sentence>")
        parts.append("</sentences></Review>")
    parts.append("</Reviews>")
    path.write_text("\n".join(parts), encoding="utf-8")
    return path


def test_slot1_counts_each_sentence_category_once() -> None:
    scores = slot1_scores([{"A", "B"}, {"C"}], [{"A"}, {"C", "D"}])
    assert scores["correct_pairs"] == 2
    assert scores["precision"] == 66.67
    assert scores["recall"] == 66.67
    assert scores["f1"] == 66.67


def test_zero_shot_prints_slot1_and_slot3(tmp_path: Path) -> None:
    gold = _xml(tmp_path / "gold.xml", REVIEWS)
    result = CliRunner().invoke(main, ["evaluate", "absa", "--gold", str(gold)])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["mode"] == "zero-shot"
    assert report["slot1"]["gold_pairs"] == 9
    assert report["slot1"]["f1"] >= 70
    assert report["slot3"]["opinions"] == 9
    assert report["unmapped_categories"] == []


def test_supervised_and_cross_validated_runs(tmp_path: Path) -> None:
    gold = _xml(tmp_path / "gold.xml", REVIEWS[:2])
    train = _xml(tmp_path / "train.xml", REVIEWS[2:])
    result = CliRunner().invoke(
        main, ["evaluate", "absa", "--gold", str(gold), "--train", str(train)]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["mode"] == "supervised"
    everything = _xml(tmp_path / "all.xml", REVIEWS)
    result = CliRunner().invoke(main, ["evaluate", "absa", "--gold", str(everything), "--cv", "2"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert len(report["folds"]) == 2


def test_an_unreadable_file_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.xml"
    bad.write_text("<Reviews><oops></Reviews>", encoding="utf-8")
    result = CliRunner().invoke(main, ["evaluate", "absa", "--gold", str(bad)])
    assert result.exit_code != 0
    assert "not a readable SemEval XML file" in result.output


def test_a_training_file_with_one_polarity_is_a_clear_error(tmp_path: Path) -> None:
    gold = _xml(tmp_path / "gold.xml", REVIEWS)
    train = _xml(tmp_path / "train.xml", REVIEWS[:1])
    result = CliRunner().invoke(
        main, ["evaluate", "absa", "--gold", str(gold), "--train", str(train)]
    )
    assert result.exit_code != 0
    assert "two polarities" in result.output


def test_zero_shot_on_another_domain_scores_slot3_and_says_why_not_slot1(
    tmp_path: Path,
) -> None:
    gold = _xml(tmp_path / "gold.xml", REVIEWS)
    result = CliRunner().invoke(
        main, ["evaluate", "absa", "--gold", str(gold), "--taxonomy", "retail_fr"]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["slot1"] is None
    assert "aliases" in report["slot1_note"]
    assert report["unmapped_categories"] == ["FOOD#QUALITY", "SERVICE#GENERAL"]
    assert report["slot3"]["opinions"] == 9
    assert report["slot3"]["accuracy"] > 50


def test_supervised_learns_every_category_a_foreign_taxonomy_lacks(tmp_path: Path) -> None:
    train = _xml(tmp_path / "train.xml", REVIEWS[:3])
    gold = _xml(tmp_path / "gold.xml", REVIEWS[3:])
    result = CliRunner().invoke(
        main,
        ["evaluate", "absa", "--gold", str(gold), "--train", str(train)]
        + ["--taxonomy", "retail_fr"],
    )
    assert result.exit_code == 0, result.output  # unknown categories are learned
    assert json.loads(result.output)["learned_categories"] == ["FOOD#QUALITY", "SERVICE#GENERAL"]


# Another domain (museums), whose categories the restaurant taxonomy does not know.
MUSEUM: list[Review] = [
    ("m1", [
        ("Le billet d'entrée est bien trop cher.", [("billet", "MUSEUM#PRICES", "negative", 3, 9)]),
        ("Les tableaux de la collection sont superbes.",
         [("tableaux", "COLLECTIONS#GENERAL", "positive", 4, 12)]),
    ]),
    ("m2", [
        ("Entrée gratuite le dimanche, tarif parfait.",
         [("Entrée", "MUSEUM#PRICES", "positive", 0, 6)]),
        ("Une collection de sculptures magnifique.",
         [("collection", "COLLECTIONS#GENERAL", "positive", 4, 14)]),
    ]),
    ("m3", [
        ("Le tarif réduit pour les étudiants est honnête.",
         [("tarif", "MUSEUM#PRICES", "positive", 3, 8)]),
        ("Les œuvres et les tableaux exposés déçoivent.",
         [("œuvres", "COLLECTIONS#GENERAL", "negative", 4, 10)]),
    ]),
    ("m4", [
        ("Quinze euros l'entrée, un tarif excessif.",
         [("tarif", "MUSEUM#PRICES", "negative", 25, 30)]),
        ("La collection de tableaux anciens est riche.",
         [("collection", "COLLECTIONS#GENERAL", "positive", 3, 13)]),
    ]),
]  # fmt: skip


def test_supervised_learns_categories_the_taxonomy_does_not_know(tmp_path: Path) -> None:
    train = _xml(tmp_path / "train.xml", MUSEUM[:3])
    gold = _xml(tmp_path / "gold.xml", MUSEUM[3:])
    result = CliRunner().invoke(
        main, ["evaluate", "absa", "--gold", str(gold), "--train", str(train)]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["learned_categories"] == ["COLLECTIONS#GENERAL", "MUSEUM#PRICES"]
    assert report["unseen_categories"] == []
    assert report["slot1"]["correct_pairs"] == 2
    assert report["slot1"]["f1"] == 100.0


def test_out_of_domain_gold_lists_the_categories_training_never_saw(tmp_path: Path) -> None:
    train = _xml(tmp_path / "train.xml", REVIEWS)
    gold = _xml(tmp_path / "gold.xml", MUSEUM)
    result = CliRunner().invoke(
        main, ["evaluate", "absa", "--gold", str(gold), "--train", str(train)]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["unseen_categories"] == ["COLLECTIONS#GENERAL", "MUSEUM#PRICES"]
    assert report["learned_categories"] == []
    assert report["slot1"]["correct_pairs"] == 0
    assert report["slot3"]["opinions"] == 8


def test_category_names_compare_case_insensitively(tmp_path: Path) -> None:
    """A file spelling categories "Service#General" scores as one spelling "SERVICE#GENERAL"."""
    lower: list[Review] = [
        (rid, [(t, [(a, c.title(), p, s, e) for a, c, p, s, e in ops]) for t, ops in sentences])
        for rid, sentences in REVIEWS
    ]
    outputs = []
    for name, reviews in (("upper.xml", REVIEWS), ("title.xml", lower)):
        gold = _xml(tmp_path / name, reviews)
        result = CliRunner().invoke(main, ["evaluate", "absa", "--gold", str(gold)])
        assert result.exit_code == 0, result.output
        outputs.append(json.loads(result.output))
    assert outputs[1]["unmapped_categories"] == []
    assert outputs[1]["slot1"] == outputs[0]["slot1"]
    assert outputs[0]["slot1"]["correct_pairs"] > 0


def test_zero_shot_polarity_reads_an_opinion_without_words_from_its_review(
    tmp_path: Path,
) -> None:
    reviews: list[Review] = [
        ("r1", [
            ("Une soirée catastrophique.", [("NULL", "RESTAURANT#GENERAL", "negative", 0, 0)]),
            ("Le serveur a pris la commande.", [("serveur", "SERVICE#GENERAL", "negative", 3, 10)]),
        ]),
        ("r2", [
            ("Belle terrasse, mais côté cuisine, on repassera.",
             [("cuisine", "FOOD#QUALITY", "negative", 26, 33)]),
        ]),
    ]  # fmt: skip
    gold = _xml(tmp_path / "gold.xml", reviews)
    result = CliRunner().invoke(main, ["evaluate", "absa", "--gold", str(gold)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["slot3"] == {"accuracy": 100.0, "opinions": 3}
