"""Import throughput with full pseudonymisation, against a plain pandas load of the same file.

    pip install pandas            # the floor we compare with; not a dependency of Pouls
    python benchmarks/imports.py [--rows 1000000] [--repeat 3]

Generates (once, cached in benchmarks/results/) a CSV of N survey answers with French free
text from the demo grammar, a tenth of them carrying an e-mail address or a phone number, plus
a few broken rows and duplicates. Then, each in its own process so that peak memory is its
own: (1) `pouls import feedback`'s action into a fresh SQLite database, with pseudonymisation,
validation, quarantine and de-duplication; (2) `pandas.read_csv` + `DataFrame.to_sql` into
SQLite, no checks at all (the floor). Prints rows/s (median of the runs), peak RSS, the CPU
seconds of the import process and of its masking workers (rows/s depends on what else runs
on the machine; CPU seconds much less), the load average before and after, and the machine.
Target (issue 3): >= 5,000 rows/s with full pseudonymisation, memory flat in the file size.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
STORES = [f"Magasin {i:02d}" for i in range(1, 21)]


def generate(path: Path, rows: int) -> None:
    from pouls.demo.verbatims import make_customer_verbatim

    rng = random.Random(1)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["ID", "Magasin", "Date de réponse", "Note NPS", "Commentaire", "Email"])
        for i in range(rows):
            score = rng.randint(0, 10)
            verbatim = make_customer_verbatim(rng, nps=score)
            text = verbatim.text if verbatim else ""
            if i % 10 == 0:
                text += (
                    f" Contactez-moi au 06 {rng.randint(10, 99)} 12 34 56 ou client{i}@example.com"
                )
            day, month = rng.randint(1, 28), rng.randint(1, 12)
            date = f"{day:02d}/{month:02d}/2025 {rng.randint(8, 19)}h{rng.randint(10, 59)}"
            score_cell = "onze" if i % 997 == 0 else str(score)  # a few broken rows
            writer.writerow(
                [
                    f"R{i % (rows - rows // 200)}",
                    rng.choice(STORES),
                    date,
                    score_cell,
                    text,
                    f"client{i}@example.com",
                ]
            )


def run_pouls(path: Path, workdir: Path) -> dict[str, float]:
    os.environ.update(
        POULS_DATA_DIR=str(workdir),
        POULS_SECRET_KEY="bench-only",
        DJANGO_SETTINGS_MODULE="pouls.settings",
    )
    import django

    django.setup()
    from django.core.management import call_command

    from pouls.feedback.importers.pipeline import do_import_feedback
    from pouls.org.models import Perimeter

    call_command("migrate", verbosity=0)
    group = Perimeter.objects.create(name="Groupe", kind="group", ref="G")
    for name in STORES:
        Perimeter.objects.create(name=name, kind="store", ref=name.upper(), parent=group)
    start = time.perf_counter()
    summary = do_import_feedback(
        path, root=group, mapping={"columns": {"source_id": "ID", "customer": "Email"}}
    )
    seconds = time.perf_counter() - start
    assert summary.read == summary.accepted + summary.quarantined + summary.duplicates
    return {
        "seconds": seconds,
        "read": summary.read,
        "accepted": summary.accepted,
        "quarantined": summary.quarantined,
        "duplicates": summary.duplicates,
    }


def run_pandas(path: Path, workdir: Path) -> dict[str, float]:
    import sqlite3

    import pandas as pd

    start = time.perf_counter()
    connection = sqlite3.connect(workdir / "pandas.sqlite3")
    read = 0
    for frame in pd.read_csv(path, sep=";", chunksize=50_000, dtype=str):
        frame.to_sql("feedback", connection, if_exists="append", index=False)
        read += len(frame)
    connection.commit()
    return {"seconds": time.perf_counter() - start, "read": read}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--system", choices=["pouls", "pandas"])
    parser.add_argument("--file")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each system (median)")
    args = parser.parse_args()
    if args.system:  # child process: one system, its own peak memory
        with tempfile.TemporaryDirectory() as tmp:
            runner = run_pouls if args.system == "pouls" else run_pandas
            result = runner(Path(args.file), Path(tmp))
        own = resource.getrusage(resource.RUSAGE_SELF)
        # The pseudonymising worker processes of a big import count too (peak: the largest).
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        result["peak_rss_mb"] = own.ru_maxrss / 1024
        result["peak_rss_children_mb"] = children.ru_maxrss / 1024
        result["cpu_s"] = own.ru_utime + own.ru_stime
        result["cpu_children_s"] = children.ru_utime + children.ru_stime
        print(json.dumps(result))
        return
    from benchmarks._machine import describe

    cache = ROOT / "benchmarks" / "results"
    cache.mkdir(parents=True, exist_ok=True)
    path = cache / f"feedback-{args.rows}.csv"
    if not path.exists():
        start = time.perf_counter()
        generate(path, args.rows)
        size = path.stat().st_size / 1e6
        print(f"generated {path.name} ({size:.0f} MB) in {time.perf_counter() - start:.0f} s")
    print(f"machine: {describe()}")
    print(f"load average before: {_load()}")
    for system in ("pouls", "pandas"):
        runs = [_child(system, path) for _ in range(args.repeat)]
        ok = [r for r in runs if r]
        for r in ok:
            _print(system, r)
        if len(ok) > 1:
            rates = sorted(r["read"] / r["seconds"] for r in ok)
            print(f"{system:<7} median {statistics.median(rates):.0f} rows/s over {len(ok)} runs")
    print(f"load average after: {_load()}")


def _child(system: str, path: Path) -> dict[str, float] | None:
    out = subprocess.run(
        [sys.executable, __file__, "--system", system, "--file", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode != 0:
        print(f"{system}: failed\n{out.stderr[-2000:]}")
        return None
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def _print(system: str, r: dict[str, float]) -> None:
    extra = ""
    if system == "pouls":
        extra = (
            f"  (accepted {r['accepted']:.0f}, quarantined {r['quarantined']:.0f}, "
            f"duplicates {r['duplicates']:.0f})"
        )
    print(
        f"{system:<7} {r['read']:>9.0f} rows  {r['seconds']:8.1f} s  "
        f"{r['read'] / r['seconds']:>9.0f} rows/s  peak RSS {r['peak_rss_mb']:7.0f} MB"
        f" + worker {r['peak_rss_children_mb']:4.0f} MB  CPU {r['cpu_s']:.0f} s"
        f" + workers {r['cpu_children_s']:.0f} s{extra}"
    )


def _load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


if __name__ == "__main__":
    main()
