"""A worker killed with SIGKILL during an import, then restarted (issue 16, item 4):
`python benchmarks/killed_import.py [--rows 60000]`.

A fresh SQLite database in a temporary folder; an uploaded file of ``--rows`` rows
(``benchmarks/imports.py``'s generator) is queued as the web page queues it and run by a real
`pouls worker`, killed with SIGKILL once a third of the rows are committed. The import's lease
is then expired (what 3 minutes without its worker do) and a second `pouls worker` is started:
it takes the import back at start and finishes it. Prints the counts that must hold: every
row once (no source id stored twice, stored = accepted), read = accepted + quarantined +
duplicates = the file's records, and the upload deleted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._machine import describe  # noqa: E402
from benchmarks.imports import STORES, generate  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=60_000)
    args = parser.parse_args()
    print(f"machine: {describe()}")
    workdir = Path(tempfile.mkdtemp(prefix="pouls-killed-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("POULS_")}
    env.pop("PYTEST_VERSION", None)
    env.update(
        POULS_DATA_DIR=str(workdir), POULS_SECRET_KEY="bench-only", POULS_LOG_LEVEL="WARNING"
    )
    os.environ.update(env, DJANGO_SETTINGS_MODULE="pouls.settings")
    os.environ.pop("POULS_DATABASE_URL", None)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.utils import timezone

    from pouls.feedback.importers.pipeline import import_lease
    from pouls.feedback.models import Feedback, Import
    from pouls.feedback.tasks import import_feedback_file
    from pouls.ops.models import Lease
    from pouls.org.models import Perimeter

    call_command("migrate", verbosity=0)
    group = Perimeter.objects.create(name="Groupe", kind="group", ref="G")
    for name in STORES:
        Perimeter.objects.create(name=name, kind="store", ref=name.upper(), parent=group)
    settings.UPLOAD_DIR.mkdir(parents=True, exist_ok=True)
    upload = settings.UPLOAD_DIR / "killed.csv"
    generate(upload, args.rows)
    batch = Import.objects.create(
        perimeter=group,
        file_name="killed.csv",
        file_sha256="",
        upload_name=upload.name,
        mapping={"columns": {"source_id": "ID", "customer": "Email"}},
    )
    import_feedback_file.enqueue(str(batch.code), str(upload))

    def worker() -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            [sys.executable, "-m", "pouls.cli", "worker", "--interval", "0.5", "--no-schedule"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=(workdir / "worker.log").open("a"),
        )

    started = time.perf_counter()
    first = worker()
    while batch.position < args.rows // 3 and batch.status != Import.Status.DONE:
        time.sleep(0.2)
        batch.refresh_from_db()
    first.send_signal(signal.SIGKILL)
    first.wait()
    batch.refresh_from_db()
    killed = {
        "status": batch.status,
        "position": batch.position,
        "stored": Feedback.objects.filter(batch=batch).count(),
        "upload_kept": upload.is_file(),
        "after_s": round(time.perf_counter() - started, 1),
    }
    Lease.objects.filter(name=import_lease(batch)).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    second = worker()
    deadline = time.monotonic() + 1800
    while batch.status == Import.Status.RUNNING and time.monotonic() < deadline:
        time.sleep(1)
        batch.refresh_from_db()
    stored = Feedback.objects.filter(batch=batch)
    ids = stored.values_list("source_id", flat=True)
    result = {
        "rows": args.rows,
        "killed_at": killed,
        "final": {
            "status": batch.status,
            "read": batch.read,
            "accepted": batch.accepted,
            "quarantined": batch.quarantined,
            "duplicates": batch.duplicates,
            "stored": stored.count(),
            "distinct_ids_stored": ids.distinct().count(),
        },
        "identity_holds": batch.read == batch.accepted + batch.quarantined + batch.duplicates,
        "every_row_once": stored.count() == ids.distinct().count() == batch.accepted,
        "upload_deleted": not upload.exists(),
        "seconds": round(time.perf_counter() - started, 1),
    }
    print(json.dumps(result))
    # Stopped after the figures: SIGTERM lets it finish the analysis the import queued.
    second.send_signal(signal.SIGTERM)
    try:
        second.wait(30)
    except subprocess.TimeoutExpired:
        second.kill()
        second.wait()
    shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
