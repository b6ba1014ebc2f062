from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from pouls.cli import main
from pouls.commands import analyze as analyze_module
from pouls.commands.analyze import _batches, _Summary, parse_line

LINES = [
    json.dumps(
        {
            "id": "a1",
            "text": "Livraison en retard et vendeur désagréable, "
            "on m'a dit que ce n'était pas son rayon.",
        },
        ensure_ascii=False,
    ),
    json.dumps({"id": "a2", "text": "Super accueil, merci !"}, ensure_ascii=False),
    "",
    "pas du json",
    "[1, 2]",
    json.dumps({"id": "a5"}),
    json.dumps({"id": "a6", "text": 42}),
    json.dumps({"id": "a7", "text": "The delivery was late and nobody answered the phone."}),
    json.dumps({"id": "a8", "text": "Il fait beau aujourd'hui."}, ensure_ascii=False),
]


def _run(
    tmp_path: Path, *args: str, lines: list[str] = LINES
) -> tuple[int, str, list[dict[str, Any]]]:
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(main, ["analyze", str(source), "--output", str(out), *args])
    text = out.read_text("utf-8") if out.exists() else ""
    records = [json.loads(line) for line in text.splitlines()]
    return result.exit_code, result.output, records


def test_analyze_annotates_good_lines_and_reports_bad_ones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(analyze_module, "BATCH", 3)  # several batches: order must be kept
    code, output, records = _run(tmp_path)
    assert code == 0, output
    assert [r["line"] for r in records] == [1, 2, 4, 5, 6, 7, 8, 9]
    first = records[0]
    assert first["id"] == "a1" and first["lang"] == "fr" and first["is_french"]
    assert first["sentiment"]["label"] == "negative"
    delivery = next(m for m in first["themes"] if m["theme"] == "delivery")
    assert delivery["evidence"] == "Livraison" and delivery["polarity"] == "negative"
    assert 0.5 <= delivery["confidence"] <= 1
    assert first["uncovered"] is False
    (match,) = first["behaviours"]
    assert match["behaviour"] == "neutralite" and "rayon" in match["evidence"]
    assert records[1]["sentiment"]["label"] == "positive"
    assert records[1]["themes"][0]["theme"] == "welcome"
    errors = {r["line"]: r["error"] for r in records if "error" in r}
    assert errors[4].startswith("JSON invalide")
    assert errors[5] == "objet JSON attendu, reçu list"
    assert "champ « text » absent" in errors[6]
    assert "doit être une chaîne, reçu int" in errors[7]
    english = records[6]
    assert english["id"] == "a7" and english["lang"] == "en" and english["themes"] is None
    assert english["uncovered"] is None and english["behaviours"] is None
    assert records[7]["uncovered"] is True and records[7]["themes"] == []
    assert "ligne 4 : JSON invalide" in output
    assert "lues 8 = analysées 4 + en erreur 4 (1 lignes vides ignorées)" in output


def test_analyze_strict_exits_1_on_bad_lines_and_reads_another_field(tmp_path: Path) -> None:
    lines = [json.dumps({"avis": "Caisse très lente."}, ensure_ascii=False), "{"]
    code, output, records = _run(tmp_path, "--strict", "--text-field", "avis", lines=lines)
    assert code == 1
    assert records[0]["themes"][0]["theme"] == "checkout_payment"
    assert records[1]["error"].startswith("JSON invalide")


def test_analyze_refuses_a_bad_taxonomy_clearly(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("themes: 3\n", encoding="utf-8")
    code, output, _ = _run(tmp_path, "--taxonomy", str(bad))
    assert code == 1
    assert "Taxonomie refusée" in output and "bad.yaml" in output


def test_analyze_refuses_a_file_not_in_utf8(tmp_path: Path) -> None:
    source = tmp_path / "latin1.jsonl"
    source.write_bytes('{"text": "Très déçu"}\n'.encode("latin-1"))
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(main, ["analyze", str(source), "-o", str(out)])
    assert result.exit_code == 1
    assert "n'est pas en UTF-8" in result.output


def test_batches_stream_without_reading_the_whole_input() -> None:
    def endless() -> Iterator[str]:
        for n in itertools.count():
            yield json.dumps({"id": n, "text": "Bon produit."}) + "\n"

    summary = _Summary()
    first = next(_batches(endless(), "text", summary))  # type: ignore[arg-type]
    assert len(first) == analyze_module.BATCH and summary.read == analyze_module.BATCH


def test_parse_line_keeps_the_id_of_a_line_without_text() -> None:
    line = parse_line(3, '{"id": 9, "txt": "x"}', "text")
    assert (line.number, line.ident, line.text) == (3, 9, None)
    assert line.error == "champ « text » absent (champs : id, txt)"
