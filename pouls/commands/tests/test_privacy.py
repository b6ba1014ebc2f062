from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from pouls.cli import main


def _write(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    return path


def test_it_prints_precision_and_recall_per_kind(tmp_path: Path) -> None:
    text = "Écrivez à marie@example.fr ou au 06 12 34 56 78."
    data = _write(
        tmp_path / "pii.jsonl",
        [
            {"text": text, "spans": [{"start": 10, "end": 26, "kind": "email"}], "split": "test"},
            {"text": "Commande n° 123456789 à 49,99 €.", "spans": [], "split": "tune"},
        ],
    )
    result = CliRunner().invoke(main, ["evaluate", "privacy", "--data", str(data), "--no-ner"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["texts"] == 2
    assert report["all"]["email"]["exact"] == {"precision": 1.0, "recall": 1.0}
    assert report["all"]["phone"]["gold"] == 0
    assert report["all"]["phone"]["predicted"] == 1
    assert report["all"]["phone"]["overlap"]["precision"] == 0.0
    assert report["test"]["texts"] == 1
    assert report["texts_per_second"] > 0


def test_it_reports_a_malformed_file_without_a_traceback(tmp_path: Path) -> None:
    data = _write(tmp_path / "bad.jsonl", [{"text": "abc", "spans": [{"start": 0, "end": 9}]}])
    result = CliRunner().invoke(main, ["evaluate", "privacy", "--data", str(data), "--no-ner"])
    assert result.exit_code == 1
    assert "bad.jsonl:1" in result.output


def test_mail_cleaning_is_scored_through_the_real_readers(tmp_path: Path) -> None:
    pii = _write(tmp_path / "pii.jsonl", [{"text": "Rien.", "spans": [], "split": "test"}])
    docs: list[dict[str, object]] = [
        {
            "id": "email-000",
            "kind": "email",
            "format": "plain",
            "split": "tune",
            "segments": [
                ["Bonjour,", "body", "\n"],
                ["Le colis est arrivé ouvert.", "body", "\n"],
                ["Cordialement, {name|Marie Dupont}, {phone|06 12 34 56 78}", "signature", "\n"],
            ],
        },
        {
            "id": "email-001",
            "kind": "email",
            "format": "html",
            "split": "test",
            "segments": [
                ["Bonjour,", "body", "\n"],
                ["Cordialement,", "signature", "\n"],
                ["{name|Paul Durand}", "signature", "\n"],
            ],
        },
        {
            "id": "letter-002",
            "kind": "letter",
            "format": "plain",
            "split": "test",
            "segments": [
                ["Nantes, le 3 mars 2026", "header", "\n"],
                ["Madame,", "body", "\n"],
                ["La facture est fausse.", "body", "\n"],
                ["Je vous prie d'agréer, Madame, mes salutations.", "signature", " "],
            ],
        },
    ]
    mail = _write(tmp_path / "mail.jsonl", docs)
    command = ["evaluate", "privacy", "--data", str(pii), "--no-ner", "--mail-data", str(mail)]
    result = CliRunner().invoke(main, command)
    assert result.exit_code == 0, result.output
    scores = json.loads(result.output)["mail"]["all"]
    assert scores["documents"] == 3
    assert scores["left_share"] == 0.0  # the one-line signature, the formula, the letterhead
    assert scores["customer_lines_lost_share"] == 0.0
    assert (scores["empty_bodies"], scores["empty_bodies_quarantined"]) == (1, 1)
    assert scores["personal_data_left_stored"] == 0.0
