from __future__ import annotations

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
