"""The wiring rules of docs/architecture.md: domain apps never import the UI shell, and no two
apps import each other (a dependency goes one way, or through ``pouls.chain``)."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]
APPS = sorted(p.name for p in PACKAGE.iterdir() if (p / "apps.py").exists())


def _imports_of(path: Path) -> set[str]:
    modules: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            modules.add(node.module)
        elif isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
    return modules


def _app_imports() -> dict[str, dict[str, set[str]]]:
    """app -> imported app -> the files that import it (tests and migrations left out)."""
    found: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for app in APPS:
        for path in (PACKAGE / app).rglob("*.py"):
            if {"tests", "migrations"} & set(path.relative_to(PACKAGE).parts):
                continue
            for module in _imports_of(path):
                parts = module.split(".")
                if parts[0] == "pouls" and len(parts) > 1 and parts[1] in APPS and parts[1] != app:
                    found[app][parts[1]].add(str(path.relative_to(PACKAGE)))
    return found


def test_the_app_list_is_read() -> None:
    assert {"web", "feedback", "watch", "annotations", "callbacks", "surveys"} <= set(APPS)


def test_no_module_outside_web_imports_web() -> None:
    importers = {
        app: files
        for app, deps in _app_imports().items()
        for d, files in deps.items()
        if d == "web"
    }
    assert importers == {}


def test_no_two_apps_import_each_other() -> None:
    deps = _app_imports()
    pairs = sorted(
        (a, b, sorted(deps[a][b]), sorted(deps[b][a]))
        for a in deps
        for b in deps[a]
        if a < b and a in deps.get(b, {})
    )
    assert pairs == []
