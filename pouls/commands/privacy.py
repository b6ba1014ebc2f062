"""``pouls evaluate privacy``: precision and recall of the pseudonymiser per kind of personal data.

Runs without Django on a labelled JSON Lines file (default: the project's hand-written French
set, ``pouls_analysis/tests/data/pii_fr.jsonl``). Scores are span-level, per kind, with exact
matching (same kind, start and end) and overlap matching (same kind, spans intersect); the
``tune`` and ``test`` splits are reported apart, ``test`` being the part not looked at while
writing the rules.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import click

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "pouls_analysis/tests/data/pii_fr.jsonl"


@click.command(name="privacy")
@click.option(
    "--data",
    "data_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=DEFAULT_DATA,
    show_default="pouls_analysis/tests/data/pii_fr.jsonl",
    help="Labelled JSON Lines: text, spans [{start, end, kind}], optional split (tune/test).",
)
@click.option("--no-ner", is_flag=True, help="Patterns only, without spaCy's NER.")
@click.option(
    "--speed-rows",
    type=int,
    default=0,
    help="Also time transform() on this many texts drawn (repeated) from the file.",
)
def privacy(data_path: Path, no_ner: bool, speed_rows: int) -> None:
    """Score the pseudonymiser per kind (e-mail, phone, IBAN, card, NIR, address, name).

    Prints JSON: per split, per kind, precision and recall with exact and overlap matching, the
    share of personal-data characters left unmasked, and texts per second.

    Example: pouls evaluate privacy --speed-rows 20000
    """
    from pouls_analysis.exceptions import AnalysisError
    from pouls_analysis.privacy import Pseudonymiser
    from pouls_analysis.privacy.evaluate import evaluate, load_labelled

    try:
        rows = load_labelled(data_path)
    except AnalysisError as exc:
        raise click.ClickException(str(exc)) from exc
    pseudonymiser = Pseudonymiser(use_ner=not no_ner).fit()  # loads spaCy outside the timing
    report: dict[str, Any] = {"data": str(data_path), "ner": not no_ner}
    report.update(evaluate(rows, pseudonymiser))
    if speed_rows > 0:
        texts = [rows[i % len(rows)].text for i in range(speed_rows)]
        started = time.perf_counter()
        pseudonymiser.transform(texts)
        seconds = time.perf_counter() - started
        report["speed"] = {"texts": speed_rows, "texts_per_second": round(speed_rows / seconds, 1)}
    click.echo(json.dumps(report, indent=2, ensure_ascii=False))
