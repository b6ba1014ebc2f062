"""The ``pouls`` console script: a thin click group.

Offline analysis commands call ``pouls_analysis`` without Django; commands that need the
database set Django up lazily and call the same ``actions`` functions as the web app.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import click

# Kept in sync with pouls.feedback.importers.mapping.PRESETS (a test checks it) so that
# `pouls --help` does not import Django.
PRESET_NAMES = ("google_forms", "limesurvey", "qualtrics", "reviews", "surveymonkey", "typeform")


def _setup_django() -> None:
    """Set Django up only for the commands that need the database. A configuration error
    (no secret key outside the demo's data directory) is one French line, not a traceback."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pouls.settings")
    import django
    from django.core.exceptions import ImproperlyConfigured

    try:
        django.setup()
    except ImproperlyConfigured as exc:
        click.echo(f"Erreur : {_configuration_message(exc)}", err=True)
        sys.exit(1)


def _configuration_message(exc: Exception) -> str:
    if "POULS_SECRET_KEY" in str(exc):
        return (
            "la clé secrète n'est pas définie : indiquez-la dans POULS_SECRET_KEY (ou "
            "POULS_SECRET_KEY_FILE), ou lancez la commande dans le dossier de données de "
            "`pouls demo` (POULS_DATA_DIR)."
        )
    return " ".join(str(exc).split())


@click.group()
@click.version_option(package_name="pouls")
def main() -> None:
    """Pouls: prendre le pouls du terrain (customer and employee listening for managers)."""


@main.group()
def evaluate() -> None:
    """Evaluate the analysis core on labelled files (read from ../shared/data, never shipped)."""


@main.command()
@click.option("--port", default=8000, show_default=True, help="Port to serve on (127.0.0.1).")
@click.option("--no-serve", is_flag=True, help="Only build the demo, do not serve it.")
@click.option("--reset", is_flag=True, help="Erase the database and build the demo again.")
@click.option("--seed", default=42, show_default=True, help="Seed of the generated data.")
@click.option(
    "--end-date",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Last day of data (default: yesterday).",
)
def demo(port: int, no_serve: bool, reset: bool, seed: int, end_date: dt.datetime | None) -> None:
    """Build a fictional French retail company and serve Pouls on 127.0.0.1.

    The data (18 stores, ~100 sellers, a year of feedback, sales and activity) is built once
    in POULS_DATA_DIR (default ./pouls-data); later runs reuse it unless --reset is given.

    Example: pouls demo --port 8000
    """
    os.environ.setdefault("POULS_DEMO", "1")
    _setup_django()
    from django.core.management import call_command

    from pouls.demo.build import DEMO_PASSWORD, demo_exists, demo_logins, do_build_demo
    from pouls.org.models import Perimeter

    call_command("migrate", interactive=False, verbosity=0)
    _mark_demo_data_dir()
    if reset:
        call_command("flush", interactive=False, verbosity=0)
    if not demo_exists():
        if Perimeter.objects.exists():
            raise click.ClickException(
                "This database already holds an organisation that is not the demo; "
                "run the demo with another POULS_DATA_DIR (or --reset to erase it)."
            )
        click.echo("Construction de l'entreprise de démonstration…")
        started = time.perf_counter()
        counts = do_build_demo(seed=seed, end=end_date.date() if end_date else None)
        click.echo(
            f"  {counts['perimeters']} périmètres, {counts['people']} personnes, "
            f"{counts['feedback']} retours clients, {counts['sales_days']} jours de ventes "
            f"({time.perf_counter() - started:.0f} s)."
        )
    _analyse_texts()
    _after_analysis()
    url = f"http://127.0.0.1:{port}/"
    click.echo(f"\nPouls : {url}")
    click.echo(f"Identifiants de démonstration (mot de passe : {DEMO_PASSWORD}) :")
    for line in demo_logins():
        click.echo(f"  {line}")
    if not no_serve:
        _serve_with_worker(port)


def _mark_demo_data_dir() -> None:
    """Later commands on this data directory run as the demo (its key, no variable needed)."""
    from django.conf import settings

    marker = Path(settings.DATA_DIR) / settings.DEMO_MARKER
    if not marker.exists():
        marker.write_text(
            "This data directory holds the Pouls demo: commands run on it use its generated "
            "secret key (secret-key). Delete this file to run it as a production install.\n",
            encoding="utf-8",
        )


def _analyse_texts() -> None:
    """Analyse the texts not yet read by the current analysis version (all of them at the
    first start; none later unless the analysis changed)."""
    from pouls.annotations.services import annotate_pending, pending_ids

    if not pending_ids(1):
        return
    click.echo("Analyse des textes (langue, sentiment, thèmes, comportements)…")
    started = time.perf_counter()
    done = annotate_pending()
    click.echo(f"  {done} textes analysés ({time.perf_counter() - started:.0f} s).")
    _scan_candidate_themes()


def _scan_candidate_themes() -> None:
    """Candidate new themes of the last complete week (``detect_candidate_themes``, daily in
    production), once after the texts were analysed."""
    from pouls.watch.candidates import scan_candidates
    from pouls.watch.detection import last_complete_week

    started = time.perf_counter()
    found = scan_candidates(last_complete_week())
    click.echo(f"  {found} thèmes candidats ({time.perf_counter() - started:.0f} s).")


def _after_analysis() -> None:
    """What follows every analysis pass (callbacks, rollups, weak signals), so the demo's
    planted scenarios are on the pages at first start; quick when nothing changed."""
    from pouls.chain import after_analysis

    started = time.perf_counter()
    done = after_analysis()
    click.echo(
        f"Rappels, agrégats et signaux : {done.callbacks_queued} rappels, "
        f"{done.periods_refreshed} périodes, {done.signals_found} signaux "
        f"({time.perf_counter() - started:.0f} s)."
    )


def _serve_with_worker(port: int) -> None:
    """Serve the app and run the task worker beside it (imports run in the background)."""
    import subprocess

    from django.core.management import call_command

    worker = subprocess.Popen(
        [sys.executable, "-m", "pouls.cli", "manage", "db_worker", "--interval", "1"],
        env={**os.environ, "POULS_DEMO": "1"},
    )
    try:
        call_command("runserver", f"127.0.0.1:{port}", use_reloader=False)
    finally:
        worker.terminate()
        worker.wait(timeout=10)


@main.group("import")
def import_() -> None:
    """Import customer voice from files (exports of survey tools, reviews, CRM) and the
    organisation from an HR export."""


@import_.command("feedback")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--into",
    "into",
    default=None,
    help="Code or name of the perimeter to import into (default: the top of the organisation).",
)
@click.option(
    "--preset",
    type=click.Choice(sorted(PRESET_NAMES)),
    default=None,
    help="Layout of the tool the file was exported from.",
)
@click.option(
    "--mapping",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="YAML file mapping columns to fields (overrides the preset).",
)
@click.option(
    "--survey",
    default=None,
    help=(
        "Name of the survey the file was exported from: response ids are de-duplicated within "
        "the tool and the survey (default: the perimeter imported into)."
    ),
)
@click.option("--dry-run", is_flag=True, help="Check and count everything, store nothing.")
@click.option("--strict", is_flag=True, help="Exit with status 1 when rows were quarantined.")
def import_feedback(
    file: Path,
    into: str | None,
    preset: str | None,
    mapping: Path | None,
    survey: str | None,
    dry_run: bool,
    strict: bool,
) -> None:
    """Import survey answers, reviews or comments from a CSV, XLSX or JSON Lines file.

    Every row is accepted, quarantined with its reasons, or counted as a duplicate:
    read = accepted + quarantined + duplicates. Free text is pseudonymised before it is stored.

    Example: pouls import feedback export.csv --preset qualtrics --mapping qualtrics.yaml
    """
    _setup_django()
    from pouls.feedback.importers.mapping import MappingError
    from pouls.feedback.importers.pipeline import do_import_feedback
    from pouls.feedback.importers.readers import FileRejected

    root = _perimeter(into)
    with _progress(file.name) as progress:
        try:
            summary = do_import_feedback(
                file,
                root=root,
                preset=preset,
                mapping=mapping,
                survey=survey,
                dry_run=dry_run,
                progress=progress,
            )
        except (FileRejected, MappingError) as exc:
            raise click.ClickException(str(exc)) from None
    click.echo(
        f"lues {summary.read} = acceptées {summary.accepted} + en quarantaine "
        f"{summary.quarantined} + doublons {summary.duplicates}"
        + (" (essai à blanc : rien n'a été enregistré)" if dry_run else "")
    )
    click.echo(
        f"lignes du fichier {summary.lines} = acceptées {summary.lines_accepted} "
        f"+ en quarantaine {summary.lines_quarantined} + doublons {summary.lines_duplicates} "
        f"+ vides {summary.blank_lines}"
    )
    for note in summary.notes:
        click.echo(f"  note — {note}")
    for name, count in sorted(summary.reasons.items(), key=lambda kv: -kv[1]):
        click.echo(f"  quarantaine — {name} : {count} ligne(s)")
    if summary.code:
        click.echo(f"import {summary.code}")
    if strict and summary.quarantined:
        sys.exit(1)


@import_.command("org")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--into",
    "into",
    default=None,
    help="Code or name of the perimeter the organisation goes under (default: the top).",
)
@click.option("--dry-run", is_flag=True, help="Check and count everything, store nothing.")
@click.option(
    "--close-missing",
    is_flag=True,
    help="A full export: deactivate the people and close the perimeters it no longer lists.",
)
@click.option("--strict", is_flag=True, help="Exit with status 1 when rows were quarantined.")
def import_org(
    file: Path, into: str | None, dry_run: bool, close_missing: bool, strict: bool
) -> None:
    """Import the organisation (perimeters and people) from an HR export, CSV or XLSX.

    One row per person: employee id, last and first name, e-mail, role, region, store,
    team, manager (French or English headers). A re-import updates in place (people by
    employee id, else e-mail; perimeters by code) and applies moves.

    Example: pouls import org export_rh.xlsx --dry-run
    """
    _setup_django()
    from pouls.feedback.importers.org import do_import_org
    from pouls.feedback.importers.readers import FileRejected

    try:
        summary = do_import_org(
            file, root=_perimeter(into), dry_run=dry_run, close_missing=close_missing
        )
    except FileRejected as exc:
        raise click.ClickException(str(exc)) from None
    click.echo("colonnes : " + ", ".join(f"{k} <- {v}" for k, v in summary.columns.items()))
    click.echo(
        f"lues {summary.read} = acceptées {summary.accepted} + en quarantaine "
        f"{summary.quarantined} + doublons {summary.duplicates}"
        + (" (essai à blanc : rien n'a été enregistré)" if dry_run else "")
    )
    click.echo(
        f"périmètres : {summary.perimeters_created} créés, {summary.perimeters_updated} "
        f"modifiés dont {summary.perimeters_moved} déplacés, {summary.perimeters_closed} fermés"
    )
    click.echo(
        f"personnes : {summary.people_created} créées, {summary.people_updated} modifiées "
        f"dont {summary.people_moved} déplacées, {summary.people_deactivated} désactivées"
    )
    for name, count in sorted(summary.reasons.items(), key=lambda kv: -kv[1]):
        click.echo(f"  quarantaine — {name} : {count} ligne(s)")
    for number, reasons in summary.rejects[:50]:
        click.echo(f"  ligne {number} : {' ; '.join(reasons)}")
    if summary.code:
        click.echo(f"import {summary.code}")
    if strict and summary.quarantined:
        sys.exit(1)


@import_.command("sales")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--into",
    "into",
    default=None,
    help="Code or name of the perimeter to import into (default: the top of the organisation).",
)
@click.option("--strict", is_flag=True, help="Exit with status 1 when rows were quarantined.")
def import_sales(file: Path, into: str | None, strict: bool) -> None:
    """Import daily sales and activity from a CRM export (Salesforce, HubSpot, or a sheet).

    Deals are summed per seller and day; importing the same file again changes nothing.

    Example: pouls import sales opportunites.csv --into "Région Nord"
    """
    _setup_django()
    from pouls.activity.imports import do_import_sales
    from pouls.feedback.importers.mapping import MappingError
    from pouls.feedback.importers.readers import FileRejected

    try:
        with _progress(file.name) as progress:
            summary = do_import_sales(file, root=_perimeter(into), progress=progress)
    except (FileRejected, MappingError) as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(
        f"lues {summary.read} = acceptées {summary.accepted} + rejetées {summary.quarantined} "
        f"+ doublons {summary.duplicates}"
    )
    for number, reason in summary.rejects[:50]:
        click.echo(f"  ligne {number} : {reason}")
    if strict and summary.quarantined:
        sys.exit(1)


@import_.command("mail")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option(
    "--into",
    "into",
    default=None,
    help="Perimeter for messages no rule maps (default: the top of the organisation).",
)
@click.option(
    "--rules",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="YAML list of {address or domain, perimeter} rules.",
)
@click.option("--dry-run", is_flag=True, help="Check and count everything, store nothing.")
@click.option("--strict", is_flag=True, help="Exit with status 1 when messages were quarantined.")
def import_mail(
    path: Path, into: str | None, rules: Path | None, dry_run: bool, strict: bool
) -> None:
    """Import e-mails: .eml files, mbox archives, or a folder of them.

    Quoted replies and signatures are removed, HTML becomes text, the sender is kept only as
    a keyed hash, and personal data in the text is pseudonymised.

    Example: pouls import mail boite-lille.mbox --rules regles.yaml
    """
    _setup_django()
    import yaml

    from pouls.feedback.importers.mail import MailRule
    from pouls.feedback.importers.pipeline import do_import_mail
    from pouls.feedback.importers.readers import FileRejected

    try:
        entries = yaml.safe_load(rules.read_text(encoding="utf-8")) if rules else []
        mail_rules = [MailRule(**{k: str(v) for k, v in entry.items()}) for entry in entries or []]
    except (yaml.YAMLError, TypeError, AttributeError) as exc:
        raise click.ClickException(
            f"Règles illisibles ({exc}) : attendu une liste de {{address|domain, perimeter}}."
        ) from None
    try:
        with _progress(path.name) as progress:
            summary = do_import_mail(
                path, root=_perimeter(into), rules=mail_rules, dry_run=dry_run, progress=progress
            )
    except FileRejected as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(
        f"lus {summary.read} = acceptés {summary.accepted} + en quarantaine "
        f"{summary.quarantined} + doublons {summary.duplicates}"
    )
    _end(summary, dry_run=dry_run, strict=strict)


@import_.command("letters")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option(
    "--into",
    "into",
    default=None,
    help="Perimeter the letters are about (default: the top of the organisation).",
)
@click.option("--dry-run", is_flag=True, help="Check and count everything, store nothing.")
@click.option("--strict", is_flag=True, help="Exit with status 1 when letters were quarantined.")
def import_letters(path: Path, into: str | None, dry_run: bool, strict: bool) -> None:
    """Import letters transcribed as .txt files (a folder of them, or one file).

    The date is the first one written in the letter, else the file's date; the same letter
    imported twice is kept once. For a CSV of transcriptions, use `pouls import feedback`
    with a mapping setting `defaults: {source_kind: letter, channel: mail}`.

    Example: pouls import letters courriers-2025/ --into "Magasin Lille"
    """
    _setup_django()
    from pouls.feedback.importers.pipeline import do_import_letters
    from pouls.feedback.importers.readers import FileRejected

    try:
        with _progress(path.name) as progress:
            summary = do_import_letters(
                path, root=_perimeter(into), dry_run=dry_run, progress=progress
            )
    except FileRejected as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(
        f"lues {summary.read} = acceptées {summary.accepted} + en quarantaine "
        f"{summary.quarantined} + doublons {summary.duplicates}"
    )
    _end(summary, dry_run=dry_run, strict=strict)


def _end(summary: Any, *, dry_run: bool, strict: bool) -> None:
    """What every feedback-like import prints after its identity line, and its exit code."""
    if dry_run:
        click.echo("essai à blanc : rien n'a été enregistré")
    for name, count in sorted(summary.reasons.items(), key=lambda kv: -kv[1]):
        click.echo(f"  quarantaine — {name} : {count} ligne(s)")
    if summary.code:
        click.echo(f"import {summary.code}")
    if strict and summary.quarantined:
        sys.exit(1)


@contextlib.contextmanager
def _progress(name: str) -> Iterator[Callable[[int], None]]:
    """A progress bar on stderr, fed with the number of rows read so far."""
    from tqdm import tqdm

    with tqdm(unit=" lignes", desc=name, file=sys.stderr) as bar:

        def update(read: int) -> None:
            bar.update(read - bar.n)

        yield update


def _perimeter(into: str | None) -> Any:
    from pouls.org.models import Perimeter

    if into is None:
        roots = list(Perimeter.objects.filter(parent__isnull=True)[:2])
        if len(roots) != 1:
            raise click.ClickException("Indiquez le périmètre d'import avec --into CODE.")
        return roots[0]
    found = (
        Perimeter.objects.filter(ref__iexact=into).first()
        or Perimeter.objects.filter(name__iexact=into).first()
    )
    if found is None:
        raise click.ClickException(f"Périmètre « {into} » introuvable (code ou nom).")
    return found


def _setup_django_or_fail() -> None:
    """Django set up, or the settings' one-line reason as a command error (no traceback)."""
    from django.core.exceptions import ImproperlyConfigured

    try:
        _setup_django()
    except ImproperlyConfigured as exc:
        raise click.ClickException(str(exc)) from None


@main.command()
@click.option("--bind", default="127.0.0.1:8000", show_default=True, help="HOST:PORT to listen on.")
@click.option("--workers", default=2, show_default=True, help="Web processes (about one per core).")
@click.option("--threads", default=4, show_default=True, help="Threads per web process.")
@click.option(
    "--timeout", default=120, show_default=True, help="Seconds before a stuck request is killed."
)
@click.option("--migrate", is_flag=True, help="Apply pending database migrations first.")
def serve(bind: str, workers: int, threads: int, timeout: int, migrate: bool) -> None:
    """Serve Pouls in production with gunicorn (run `pouls worker` beside it).

    Refuses to start in debug mode or without POULS_SECRET_KEY; collects the static files
    (hashed names, gzip and brotli, cached for a year) before it starts.

    Example: POULS_SECRET_KEY=... pouls serve --bind 0.0.0.0:8000 --workers 2
    """
    os.environ["POULS_SERVE"] = "1"
    _setup_django_or_fail()
    from django.core.management import call_command

    from pouls.ops.serve import (
        ServeRefused,
        check_production_settings,
        gunicorn_argv,
        prepare_static,
    )

    try:
        check_production_settings()
    except ServeRefused as exc:
        raise click.ClickException(str(exc)) from None
    if migrate:
        call_command("migrate", interactive=False, verbosity=0)
    prepare_static()
    argv = gunicorn_argv(bind=bind, workers=workers, threads=threads, timeout=timeout)
    click.echo(f"Pouls : http://{bind}/ ({workers} processus web)")
    sys.stdout.flush()
    os.execv(sys.executable, argv)


@main.command()
@click.option(
    "--interval", default=1.0, show_default=True, help="Seconds between queue polls when idle."
)
@click.option("--max-tasks", type=int, default=None, help="Exit after this many tasks (tests).")
@click.option("--no-schedule", is_flag=True, help="Do not queue the daily jobs from this process.")
def worker(interval: float, max_tasks: int | None, no_schedule: bool) -> None:
    """Run background tasks (imports, analysis, daily jobs); start one or more per machine.

    Several workers on several machines share one PostgreSQL database: each task runs once,
    one worker at a time runs the analysis pass, and each daily job runs once a day at
    POULS_DAILY_AT.

    Example: pouls worker
    """
    _setup_django_or_fail()
    from pouls.ops.worker import run_worker

    run_worker(interval=interval, max_tasks=max_tasks, schedule=not no_schedule)


@main.command()
@click.argument("dest", type=click.Path(file_okay=False, path_type=Path))
def backup(dest: Path) -> None:
    """Back up the database and learned models into a new folder (never the secret key).

    SQLite is copied with its online backup API while the server runs; PostgreSQL with
    pg_dump.

    Example: pouls backup /var/backups/pouls/2026-12-07
    """
    _setup_django_or_fail()
    from pouls.ops.backup import BackupError, do_backup

    try:
        manifest = do_backup(dest)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Sauvegarde {manifest['database']} écrite dans {dest}")


@main.command()
@click.argument("src", type=click.Path(exists=True, file_okay=False, path_type=Path))
def restore(src: Path) -> None:
    """Restore a backup into an empty database (this POULS_DATA_DIR or POULS_DATABASE_URL).

    Example: POULS_DATA_DIR=/srv/pouls-new pouls restore /var/backups/pouls/2026-12-07
    """
    _setup_django_or_fail()
    from pouls.ops.backup import BackupError, do_restore

    try:
        manifest = do_restore(src)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Sauvegarde du {manifest['created_at'][:10]} restaurée.")


@main.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def manage(args: tuple[str, ...]) -> None:
    """Run a Django management command (migrate, createsuperuser, ...).

    Example: pouls manage createsuperuser
    """
    _setup_django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["pouls manage", *args])


# --- analysis commands: each lives in pouls/commands/<name>.py and is registered here ---
from pouls.commands.absa import absa  # noqa: E402
from pouls.commands.analyze import analyze  # noqa: E402
from pouls.commands.behaviours import behaviours  # noqa: E402
from pouls.commands.privacy import privacy  # noqa: E402
from pouls.commands.sentiment import sentiment  # noqa: E402

main.add_command(analyze)
evaluate.add_command(absa)
evaluate.add_command(behaviours)
evaluate.add_command(privacy)
evaluate.add_command(sentiment)
# --- end of analysis commands ---


if __name__ == "__main__":
    main()
