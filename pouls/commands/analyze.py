"""``pouls analyze``: annotate a JSON Lines file of texts without any database.

Each input line is a JSON object with a ``text`` field (an optional ``id`` is copied to the
output). Each output line holds the line number, the ``id``, and what ``AnalysisPipeline``
says about the text: language, sentiment, themes (confidence, evidence span and text,
polarity), the ``uncovered`` flag and service behaviours with their evidence.

The file is read and written in batches, so memory does not grow with its size. A bad line
(invalid JSON, no ``text``, a ``text`` that is not a string) gives an output line
``{"line": N, "error": "..."}`` and a message on stderr; the other lines are analysed.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import click

BATCH = 4000
MAX_SHOWN_ERRORS = 50


@dataclass
class _Line:
    number: int
    ident: Any = None
    text: str | None = None
    error: str | None = None


@dataclass
class _Summary:
    read: int = 0
    analysed: int = 0
    errors: int = 0
    blank: int = 0
    shown: list[str] = field(default_factory=list)


def parse_line(number: int, raw: str, text_field: str) -> _Line:
    """Read one input line; a line that cannot be analysed carries a French error."""
    try:
        obj = json.loads(raw)
    except json.JSONDecodeError as exc:
        return _Line(number, error=f"JSON invalide ({exc.msg}, colonne {exc.colno})")
    if not isinstance(obj, dict):
        return _Line(number, error=f"objet JSON attendu, reçu {type(obj).__name__}")
    ident = obj.get("id")
    if text_field not in obj:
        keys = ", ".join(sorted(obj)[:8]) or "aucun"
        return _Line(number, ident, error=f"champ « {text_field} » absent (champs : {keys})")
    text = obj[text_field]
    if not isinstance(text, str):
        return _Line(
            number,
            ident,
            error=f"« {text_field} » doit être une chaîne, reçu {type(text).__name__}",
        )
    return _Line(number, ident, text=text)


def _batches(stream: IO[str], text_field: str, summary: _Summary) -> Iterator[list[_Line]]:
    batch: list[_Line] = []
    for number, raw in enumerate(stream, start=1):
        if not raw.strip():
            summary.blank += 1
            continue
        summary.read += 1
        batch.append(parse_line(number, raw, text_field))
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def annotation_of(line: _Line, analysis: Any) -> dict[str, Any]:
    """The output record of one analysed line (evidence texts added beside their spans)."""
    record: dict[str, Any] = {"line": line.number, "id": line.ident}
    record.update(analysis.to_json())
    text = line.text or ""
    for mention in record["themes"] or ():
        mention["evidence"] = text[mention["start"] : mention["end"]]
    return record


@click.command(name="analyze")
@click.argument("input_path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--output",
    "-o",
    "output_path",
    required=True,
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="JSON Lines file to write (one annotation per input line, in order).",
)
@click.option(
    "--taxonomy",
    default="retail_fr",
    show_default=True,
    help="Theme taxonomy: a shipped name (retail_fr, restaurants_fr) or a YAML file.",
)
@click.option("--text-field", default="text", show_default=True, help="Field holding the text.")
@click.option("--n-jobs", default=1, show_default=True, help="Processes (1 or 2 is sensible).")
@click.option("--strict", is_flag=True, help="Exit with status 1 when a line could not be read.")
def analyze(
    input_path: Path,
    output_path: Path,
    taxonomy: str,
    text_field: str,
    n_jobs: int,
    strict: bool,
) -> None:
    """Annotate the texts of a JSON Lines file: language, sentiment, themes, behaviours.

    One JSON object per line in ({"id": ..., "text": "..."}), one annotation per line out.
    Runs without a database; nothing is stored.

    Example: pouls analyze avis.jsonl --output avis-annotes.jsonl --taxonomy retail_fr
    """
    from tqdm import tqdm

    from pouls_analysis.exceptions import AnalysisError
    from pouls_analysis.pipeline import AnalysisPipeline, freeze_loaded

    if n_jobs < 1:
        raise click.ClickException(f"--n-jobs doit valoir au moins 1, reçu {n_jobs}.")
    try:
        pipeline = AnalysisPipeline(taxonomy=taxonomy, n_jobs=n_jobs, random_state=0).fit()
    except AnalysisError as exc:
        raise click.ClickException(f"Taxonomie refusée : {exc}") from None
    freeze_loaded()
    summary = _Summary()
    try:
        source = input_path.open(encoding="utf-8", newline=None)
    except OSError as exc:
        raise click.ClickException(f"Lecture impossible de {input_path} : {exc}") from None
    with (
        source,
        output_path.open("w", encoding="utf-8") as out,
        tqdm(unit=" textes", desc=input_path.name, file=sys.stderr) as bar,
    ):
        try:
            for batch in _batches(source, text_field, summary):
                _write_batch(batch, pipeline, out, summary)
                bar.update(len(batch))
        except UnicodeDecodeError as exc:
            raise click.ClickException(
                f"{input_path} n'est pas en UTF-8 (octet {exc.start} du bloc lu) ; "
                f"{summary.analysed} textes écrits avant l'erreur."
            ) from None
    for message in summary.shown:
        click.echo(message, err=True)
    if summary.errors > len(summary.shown):
        click.echo(f"  … et {summary.errors - len(summary.shown)} autres lignes.", err=True)
    click.echo(
        f"lues {summary.read} = analysées {summary.analysed} + en erreur {summary.errors}"
        + (f" ({summary.blank} lignes vides ignorées)" if summary.blank else "")
        + f" → {output_path}",
        err=True,
    )
    if strict and summary.errors:
        sys.exit(1)


def _write_batch(batch: list[_Line], pipeline: Any, out: IO[str], summary: _Summary) -> None:
    good = [line for line in batch if line.error is None]
    results = iter(pipeline.analyze([line.text for line in good]))
    for line in batch:
        if line.error is not None:
            record: dict[str, Any] = {"line": line.number, "id": line.ident, "error": line.error}
            summary.errors += 1
            if len(summary.shown) < MAX_SHOWN_ERRORS:
                summary.shown.append(f"  ligne {line.number} : {line.error}")
        else:
            record = annotation_of(line, next(results))
            summary.analysed += 1
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
