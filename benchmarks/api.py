"""Answers created per second through the API (``POST /api/v1/feedback/``, batches of 500)
beside the file import of the same rows, on SQLite and on PostgreSQL.

    python benchmarks/api.py [--rows 5000] [--rounds 3] [--databases sqlite,postgres]

Each database runs in its own process (settings read the database at start): migrate a fresh
database, create 20 stores and a read-write token, then interleaved rounds (API then file,
then file then API, ...) so that a change in the machine's load hits both sides alike. Each
round posts ``--rows`` answers in batches of 500 through Django's test client (the whole DRF
stack, validation, pseudonymisation, de-duplication; no network) and imports the same rows,
under other source ids, from a CSV file with ``do_import_feedback``. Prints answers/s (median
over rounds) with wall and CPU seconds of this process, and the machine.

PostgreSQL: ``POULS_BENCH_POSTGRES`` (default postgres://postgres@127.0.0.1:5432/pouls_bench_api)
names a database that is dropped and created again; skipped when the server is not reachable.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
STORES = [f"Magasin {i:02d}" for i in range(1, 21)]
BATCH = 500
POSTGRES = os.environ.get(
    "POULS_BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432/pouls_bench_api"
)


def answers(rows: int, prefix: str) -> list[dict[str, str]]:
    """The same answers for every round and system (seeded), under ``prefix`` ids."""
    from pouls.demo.verbatims import make_customer_verbatim

    rng = random.Random(7)
    out = []
    for i in range(rows):
        score = rng.randint(0, 10)
        verbatim = make_customer_verbatim(rng, nps=score)
        text = verbatim.text if verbatim else ""
        if i % 10 == 0:
            text += f" Rappelez-moi au 06 {rng.randint(10, 99)} 12 34 56."
        day = rng.randint(1, 28)
        out.append(
            {
                "perimeter": rng.choice(STORES),
                "received_at": f"2026-11-{day:02d}T{rng.randint(8, 19):02d}:15:00+01:00",
                "source_id": f"{prefix}-{i}",
                "nps": str(score),
                "text": text,
            }
        )
    return out


def _cpu() -> float:
    """CPU seconds of this process and of its finished children (masking workers)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def run_database(database: str, rows: int, rounds: int) -> dict[str, Any]:
    workdir = Path(tempfile.mkdtemp(prefix="pouls-bench-api-"))
    os.environ.update(
        POULS_DATA_DIR=str(workdir),
        POULS_SECRET_KEY="bench-only",
        POULS_API_RATE="1000000/min",
        DJANGO_SETTINGS_MODULE="pouls.settings",
    )
    if database == "postgres":
        os.environ["POULS_DATABASE_URL"] = POSTGRES
    else:
        os.environ.pop("POULS_DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from pouls.api.tokens import do_create_token
    from pouls.feedback.importers.pipeline import do_import_feedback
    from pouls.org.models import Perimeter
    from pouls.testing import make_user

    call_command("migrate", verbosity=0)
    group = Perimeter.objects.create(name="Groupe", kind="group", ref="G")
    for name in STORES:
        Perimeter.objects.create(name=name, kind="store", ref=name.upper(), parent=group)
    user = make_user("bench", is_superuser=True)
    _token, secret = do_create_token(user, name="bench", read_only=False)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}", HTTP_HOST="localhost")
    url = "/api/v1/feedback/"
    results: dict[str, list[tuple[float, float]]] = {"api": [], "file": []}

    def api(round_: int, count: int = rows) -> None:
        rows_ = answers(count, f"api{round_}")
        wall, cpu = time.perf_counter(), _cpu()
        for start in range(0, count, BATCH):
            body = json.dumps({"source": "bench", "answers": rows_[start : start + BATCH]})
            response = client.post(url, body, content_type="application/json")
            assert response.status_code == 201, response.content[:300]
            assert response.json()["accepted"] == len(rows_[start : start + BATCH])
        if round_ >= 0:
            results["api"].append((time.perf_counter() - wall, _cpu() - cpu))

    def file(round_: int, count: int = rows) -> None:
        rows_ = answers(count, f"file{round_}")
        path = workdir / f"round{round_}.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows_[0]), delimiter=";")
            writer.writeheader()
            writer.writerows(rows_)
        wall, cpu = time.perf_counter(), _cpu()
        columns = {f: f for f in rows_[0]}
        summary = do_import_feedback(
            path, root=group, mapping={"columns": columns, "guess": False}, survey="bench"
        )
        assert summary.accepted == count, summary
        if round_ >= 0:
            results["file"].append((time.perf_counter() - wall, _cpu() - cpu))

    # Untimed warm-up: the first answers load the pseudonymiser's name lists and models.
    api(-1, 50)
    file(-1, 50)
    for round_ in range(rounds):
        order = (api, file) if round_ % 2 == 0 else (file, api)
        for step in order:
            step(round_)
    return {
        name: {
            "answers_per_s": statistics.median(rows / wall for wall, _cpu in runs),
            "wall_s": [round(wall, 2) for wall, _cpu in runs],
            "cpu_s": [round(cpu, 2) for _wall, cpu in runs],
        }
        for name, runs in results.items()
    }


def _postgres_ready() -> bool:
    name = POSTGRES.rsplit("/", 1)[1]
    base = POSTGRES.rsplit("/", 1)[0] + "/postgres"
    try:
        import psycopg

        with psycopg.connect(base, autocommit=True, connect_timeout=3) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
            connection.execute(f'CREATE DATABASE "{name}"')
    except Exception as exc:  # no server: the SQLite figures still stand
        print(f"postgres skipped: {type(exc).__name__}", file=sys.stderr)
        return False
    return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5000, help="answers per round and system")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_database(args.one, args.rows, args.rounds)))
        return
    from benchmarks._machine import describe

    print(f"machine: {describe()}")
    print(
        f"{args.rows} answers per round (batches of {BATCH} through the API), {args.rounds} rounds"
    )
    for database in args.databases.split(","):
        if database == "postgres" and not _postgres_ready():
            continue
        command = [sys.executable, __file__, "--one", database]
        command += ["--rows", str(args.rows), "--rounds", str(args.rounds)]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            print(f"{database}: failed\n{done.stderr[-2000:]}")
            continue
        figures = json.loads(done.stdout.strip().splitlines()[-1])
        for name, f in figures.items():
            label = "API, batches of 500" if name == "api" else "file import (CSV)"
            print(
                f"{database:8s} {label:20s} {f['answers_per_s']:8.0f} answers/s  "
                f"wall s {f['wall_s']}  CPU s {f['cpu_s']}"
            )


if __name__ == "__main__":
    main()
