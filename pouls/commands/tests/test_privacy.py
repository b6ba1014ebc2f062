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
