"""``pouls evaluate sentiment``: the learned and the lexicon sentiment models on star ratings.

Runs without Django on CSV or JSON Lines files of (text, stars). With ``--test`` the learned
model is fitted on ``--train`` and both models are scored on ``--test``; without it,
``--holdout F`` scores them on a stratified fraction of ``--train``, else ``--cv K`` by
stratified K-fold cross-validation. See ``docs/models.md`` ("Sentiment").
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click


@click.command(name="sentiment")
@click.option(
    "--train",
    "train_path",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="CSV or JSON Lines (.jsonl) of (text, stars 1-5) the learned model is fitted on.",
)
@click.option(
    "--test",
    "test_path",
    default=None,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="CSV or JSON Lines of (text, stars) to score on; without it, --cv folds of --train.",
)
@click.option(
    "--holdout",
    type=float,
    default=None,
    help="Without --test: score on this stratified fraction of --train (seed 0), e.g. 0.2.",
)
@click.option("--cv", "folds", default=5, show_default=True, help="Folds without --test/--holdout.")
@click.option(
    "--text-column",
    default="text",
    show_default=True,
    help='Column of the texts; several separated by commas ("title,pros,cons") are joined.',
)
@click.option("--label-column", default="stars", show_default=True, help="Column of the stars.")
@click.option(
    "--binary-train",
    is_flag=True,
    help="Fit the learned model on the 1-2 and 4-5 star texts only (3-star texts left out).",
)
@click.option(
    "--no-binary-head",
    is_flag=True,
    help="Leave the learned model's binary head out (the model as it was before it).",
)
def sentiment(
    train_path: Path,
    test_path: Path | None,
    holdout: float | None,
    folds: int,
    text_column: str,
    label_column: str,
    binary_train: bool,
    no_binary_head: bool,
) -> None:
    """Accuracy and macro-F1, binary (1-2 vs 4-5) and 5-class, of both sentiment models.

    Prints JSON with the model learned from the stars (word and character n-grams, word
    vectors, lexicon features; calibrated logistic regression over the stars, plus a
    negative-vs-positive head on NB-scaled n-grams) beside the out-of-the-box lexicon model.
    Files are CSV (header line) or JSON Lines (.jsonl, .ndjson), told apart by their
    extension. Rows without text or with stars outside 1-5 are skipped, counted and
    listed.

    Examples: pouls evaluate sentiment --train avis.csv --holdout 0.2;
    pouls evaluate sentiment --train avis.jsonl --text-column title,pros,cons
    --label-column rating
    """
    from pouls_analysis.exceptions import AnalysisError
    from pouls_analysis.sentiment.evaluate import (
        StarRows,
        cross_validate,
        evaluate_split,
        holdout_split,
        read_star_rows,
    )
    from pouls_analysis.sentiment.model import SentimentModel

    model = SentimentModel(binary_head=not no_binary_head, random_state=0)

    def read(path: Path) -> StarRows:
        try:
            rows = read_star_rows(path, text_column=text_column, label_column=label_column)
        except (AnalysisError, UnicodeDecodeError, OSError) as exc:
            raise click.ClickException(f"{path}: {exc}") from None
        if rows.skipped:
            click.echo(
                f"{path.name} : {len(rows.skipped)} ligne(s) ignorée(s) sur "
                f"{len(rows.skipped) + len(rows.texts)}.",
                err=True,
            )
        for line, reason in rows.skipped[:20]:
            click.echo(f"  {path.name}, ligne {line} ignorée : {reason}", err=True)
        if len(rows.skipped) > 20:
            click.echo(f"  … et {len(rows.skipped) - 20} autre(s).", err=True)
        return rows

    train = read(train_path)
    report: dict[str, Any] = {"train": str(train_path), "skipped_train_rows": len(train.skipped)}
    report["binary_head"] = not no_binary_head
    try:
        if test_path is None and holdout is None:
            if binary_train:
                raise click.ClickException("--binary-train needs --test or --holdout.")
            report.update(cross_validate(train, folds=folds, model=model))
        else:
            if test_path is not None:
                test = read(test_path)
                report.update({"test": str(test_path), "skipped_test_rows": len(test.skipped)})
            else:
                assert holdout is not None
                train, test = holdout_split(train, holdout)
                report["holdout"] = holdout
            if binary_train:
                keep = [i for i, stars in enumerate(train.stars) if stars != 3]
                train = StarRows([train.texts[i] for i in keep], [train.stars[i] for i in keep])
                report["binary_train"] = True
            report.update(evaluate_split(train, test, model=model))
    except AnalysisError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(json.dumps(report, indent=2, ensure_ascii=False))
