from __future__ import annotations

import json
from pathlib import Path

import click
from click.testing import CliRunner

from pouls.cli import main

DOCS = Path(__file__).resolve().parents[2] / "docs" / "cli.md"


def _commands(group: click.Group, prefix: str = "pouls") -> dict[str, click.Command]:
    found: dict[str, click.Command] = {}
    for name, command in group.commands.items():
        full = f"{prefix} {name}"
        found[full] = command
        if isinstance(command, click.Group):
            found.update(_commands(command, full))
    return found


def test_every_command_has_help_and_a_docs_entry() -> None:
    docs = DOCS.read_text(encoding="utf-8")
    for full, command in _commands(main).items():
        assert (command.help or "").strip(), f"{full} has no help text"
        assert f"`{full}" in docs, f"{full} is missing from docs/cli.md"


def test_help_lists_the_demo() -> None:
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    assert "demo" in result.output


def test_demo_help_names_its_options() -> None:
    result = CliRunner().invoke(main, ["demo", "--help"])
    assert result.exit_code == 0
    for option in ("--port", "--no-serve", "--reset", "--seed"):
        assert option in result.output


def test_evaluate_sentiment_reads_json_lines_and_counts_skipped_rows(tmp_path: Path) -> None:
    # Hand-written employee reviews (not from any data set): 8 per rating 1, 3 and 5.
    good = ["Équipe géniale", "Ambiance excellente", "Super management", "Très bonne boîte"]
    bad = ["Management toxique", "Ambiance horrible", "Salaires ridicules", "À fuir"]
    mid = ["Correct sans plus", "Moyen", "Ni bien ni mal", "Passable"]
    rows: list[dict[str, object]] = []
    for i in range(8):
        rows.append({"title": good[i % 4], "pros": "je recommande", "cons": "", "rating": 5})
        rows.append({"title": bad[i % 4], "pros": None, "cons": "stress permanent", "rating": 1})
        rows.append({"title": mid[i % 4], "pros": "horaires", "cons": "trajet", "rating": 3})
    rows.append({"title": "", "pros": None, "cons": "", "rating": 4})
    rows.append({"title": "Sans note", "pros": "locaux", "cons": "", "rating": None})
    path = tmp_path / "avis.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    args = ["evaluate", "sentiment", "--train", str(path), "--cv", "2"]
    args += ["--text-column", "title,pros,cons", "--label-column", "rating"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "avis.jsonl : 2 ligne(s) ignorée(s) sur 26." in result.stderr
    report = json.loads(result.stdout)
    assert report["skipped_train_rows"] == 2 and report["texts"] == 24
    assert report["learned"]["binary"]["texts"] == 16
    assert report["learned"]["binary"]["accuracy"] >= 75.0
