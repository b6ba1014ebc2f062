"""Writes during an import on SQLite (issue 16, item 6):
`python benchmarks/writes_under_import.py [--rows 20000] [--clients 20] [--seconds 30]`.

A fresh SQLite database in a temporary folder; a separate process imports ``--rows`` rows
(``benchmarks/imports.py``'s generator) while ``--clients`` threads of this process, each with
its own connection, loop for ``--seconds`` over what a login writes (the user's last login and
a new session) and what a public survey answer writes (``store_answer``: the feedback row, its
change record). Prints the counts of successful writes, of errors by kind ("database is
locked" is what answered 500 before the busy timeout), the slowest write, and the import's
counts (read = accepted + quarantined + duplicates).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._machine import describe  # noqa: E402
from benchmarks.imports import STORES, generate  # noqa: E402

PASSWORD = "bench-only-password"


def _setup(workdir: Path) -> None:
    os.environ.update(
        POULS_DATA_DIR=str(workdir),
        POULS_SECRET_KEY="bench-only",
        DJANGO_SETTINGS_MODULE="pouls.settings",
        POULS_LOG_LEVEL="WARNING",
    )
    os.environ.pop("POULS_DATABASE_URL", None)
    import django

    django.setup()


def _child_import(workdir: Path, path: Path) -> None:
    _setup(workdir)
    from pouls.feedback.importers.pipeline import do_import_feedback
    from pouls.org.models import Perimeter

    summary = do_import_feedback(
        path,
        root=Perimeter.objects.get(ref="G"),
        mapping={"columns": {"source_id": "ID", "customer": "Email"}},
    )
    print(
        json.dumps(
            {
                "read": summary.read,
                "accepted": summary.accepted,
                "quarantined": summary.quarantined,
                "duplicates": summary.duplicates,
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--child-import", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_import:
        _child_import(Path(args.child_import[0]), Path(args.child_import[1]))
        return
    print(f"machine: {describe()}")
    workdir = Path(tempfile.mkdtemp(prefix="pouls-writes-"))
    _setup(workdir)
    from django.contrib.auth.models import User
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command
    from django.db import connections
    from django.utils import timezone

    from pouls.feedback.importers.pipeline import store_answer
    from pouls.feedback.models import Feedback
    from pouls.org.models import Perimeter

    call_command("migrate", verbosity=0)
    group = Perimeter.objects.create(name="Groupe", kind="group", ref="G")
    stores = [
        Perimeter.objects.create(name=name, kind="store", ref=name.upper(), parent=group)
        for name in STORES
    ]
    users = [User.objects.create_user(f"client{k}", password=PASSWORD) for k in range(args.clients)]
    csv_path = workdir / "import.csv"
    generate(csv_path, args.rows)
    outcomes: Counter[str] = Counter()
    slowest = [0.0]
    lock = threading.Lock()

    def client(k: int) -> None:
        user, store, n = users[k], stores[k % len(stores)], 0
        try:
            while time.monotonic() < stop:
                n += 1
                for kind in ("login", "answer"):
                    started = time.perf_counter()
                    try:
                        if kind == "login":
                            User.objects.filter(pk=user.pk).update(last_login=timezone.now())
                            session = SessionStore()
                            session["_auth_user_id"] = str(user.pk)
                            session.create()
                        else:
                            answer = Feedback(
                                perimeter=store,
                                source_kind="survey",
                                channel="store",
                                received_at=timezone.now(),
                                nps=n % 11,
                                text="Accueil rapide, merci.",
                            )
                            store_answer(answer, key=f"bench-{k}-{n}-{uuid.uuid4().hex[:6]}")
                        outcome = f"{kind} ok"
                    except Exception as exc:  # counted: the figure this benchmark prints
                        outcome = f"{kind} {type(exc).__name__}: {str(exc)[:40]}"
                    with lock:
                        outcomes[outcome] += 1
                        slowest[0] = max(slowest[0], time.perf_counter() - started)
        finally:
            connections.close_all()

    importer = subprocess.Popen(
        [sys.executable, __file__, "--child-import", str(workdir), str(csv_path)],
        stdout=subprocess.PIPE,
        text=True,
    )
    started = time.perf_counter()
    stop = time.monotonic() + args.seconds
    threads = [threading.Thread(target=client, args=(k,)) for k in range(args.clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    out, _ = importer.communicate()
    imported = json.loads(out.strip().splitlines()[-1]) if importer.returncode == 0 else {}
    print(
        json.dumps(
            {
                "rows": args.rows,
                "clients": args.clients,
                "seconds": round(time.perf_counter() - started, 1),
                "writes": dict(outcomes),
                "slowest_write_s": round(slowest[0], 2),
                "import": imported or f"failed (exit {importer.returncode})",
                "identity_holds": bool(imported)
                and imported["read"]
                == imported["accepted"] + imported["quarantined"] + imported["duplicates"],
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
