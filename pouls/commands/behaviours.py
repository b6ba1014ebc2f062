"""``pouls evaluate behaviours``: precision and recall of the service-behaviour detector.

Runs without Django on a labelled JSON Lines or CSV file (default: the project's hand-written
French set, ``pouls_analysis/tests/data/behaviours_fr.jsonl``, split ``dev``/``test`` by a hash
of the text; the rules were tuned on ``dev`` only). See ``docs/behaviours.md`` for the accepted
shapes (``pouls_analysis/behaviours/labelled.py``).
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import click

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "pouls_analysis/tests/data/behaviours_fr.jsonl"


@click.command(name="behaviours")
@click.option(
    "--data",
    "data_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=DEFAULT_DATA,
    show_default="pouls_analysis/tests/data/behaviours_fr.jsonl",
    help=(
        "Labelled file, JSON Lines (.jsonl/.json) or CSV (.csv): text, labels (ids or French "
        "names, separated by , ; or |; empty / 'aucun' = none), optional split (dev/test/...)."
    ),
)
@click.option(
    "--definitions",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Behaviour definitions YAML (default: the shipped French file).",
)
@click.option("--folds", default=5, show_default=True, help="Folds of the cross-validations.")
@click.option(
    "--table",
    is_flag=True,
    help=(
        "Print a plain-text table (per behaviour: right/detected precision and right/labelled "
        "recall with 95 % Wilson intervals) of the rules, per split and held out, not JSON."
    ),
)
@click.option(
    "--speed-rows",
    type=int,
    default=0,
    help="Also time the rules on this many texts drawn (repeated) from the file.",
)
def behaviours(
    data_path: Path, definitions: Path | None, folds: int, table: bool, speed_rows: int
) -> None:
    """Score the six defensive behaviours (neutralité ... soumission) per behaviour.

    Prints JSON: precision / recall / F1 of the rules on the whole file ("rules", the headline)
    and per split when the file has one, pooled over the splits not tuned on
    ("rules_held_out": every split but dev*/train); the supervised mode trained on the dev
    split and scored on test; k-fold cross-validation inside test and on all texts. Every
    figure comes with its counts (support, predicted, right) and 95 % Wilson intervals.

    Example: pouls evaluate behaviours --speed-rows 20000
    Example: pouls evaluate behaviours --data /tmp/real_sample.csv --table
    """
    from pouls_analysis.behaviours import ServiceBehaviourDetector
    from pouls_analysis.behaviours.evaluate import full_report, load_labelled
    from pouls_analysis.exceptions import AnalysisError

    if folds < 2:
        raise click.ClickException(f"--folds must be at least 2, got {folds}.")
    try:
        rows = load_labelled(data_path, definitions)
        if not rows:
            raise click.ClickException(f"{data_path}: no labelled text found.")
        base = ServiceBehaviourDetector(definitions=definitions, random_state=0)
        report: dict[str, Any] = {"data": str(data_path)}
        report.update(full_report(rows, n_splits=folds, detector=base))
    except AnalysisError as exc:
        raise click.ClickException(str(exc)) from exc
    if speed_rows > 0:
        detector = ServiceBehaviourDetector(definitions=definitions).fit([])
        texts = [rows[i % len(rows)].text for i in range(speed_rows)]
        started = time.perf_counter()
        detector.predict(texts)
        seconds = time.perf_counter() - started
        report["speed"] = {"texts": speed_rows, "texts_per_second": round(speed_rows / seconds)}
    if table:
        click.echo(_table(report))
    else:
        click.echo(json.dumps(report, indent=2, ensure_ascii=False))


def _table(report: dict[str, Any]) -> str:
    """The rules' figures as a plain-text table: one block per split, then held out."""
    blocks: list[tuple[str, dict[str, Any]]] = [("all texts", report["rules"])]
    for split, parts in report.get("splits", {}).items():
        blocks.append((f"split {split}", parts["rules"]))
    if "rules_held_out" in report:
        held = report["rules_held_out"]
        blocks.append((f"held out ({' + '.join(held['splits'])})", held))
    lines = [
        f"{report['data']}: {report['n_texts']} texts; rules (precision = right/detected, "
        "recall = right/labelled, 95 % Wilson intervals)"
    ]
    for title, scores in blocks:
        lines.append("")
        lines.append(f"{title}: {scores['n_texts']} texts")
        rows = [*scores["per_behaviour"].items(), ("all (micro)", scores["micro"])]
        for name, figures in rows:
            lines.append(
                f"  {name:<18} {_cell(figures, 'predicted', 'precision')}  "
                f"{_cell(figures, 'support', 'recall')}"
            )
    return "\n".join(line.rstrip() for line in lines)


def _cell(figures: dict[str, Any], total: str, name: str) -> str:
    ci = figures[f"{name}_ci95"]
    if ci is None:
        return f"{name} {figures['right']:>3}/{figures[total]:<3}    -              "
    return (
        f"{name} {figures['right']:>3}/{figures[total]:<3} {figures[name]:.2f} "
        f"[{ci[0]:.2f}-{ci[1]:.2f}]"
    )
