"""Two imports of the same response ids at once (PostgreSQL: concurrent write transactions)
count the other's rows as duplicates and both finish; none crashes or stays running."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, connections

from pouls.feedback.importers import pipeline, store
from pouls.feedback.importers.pipeline import do_import_feedback
from pouls.feedback.models import Feedback, Import
from pouls.testing import Personas

ROWS = 40


@pytest.mark.django_db(transaction=True)
def test_two_imports_of_the_same_ids_count_duplicates_and_both_finish(
    personas: Personas, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers: the second import waits, then sees the rows")
    path = tmp_path / "qualtrics.csv"
    lines = ["Magasin,Date,NPS,ResponseId"]
    lines += [f"Site Lille,0{1 + i % 9}/10/2026,{i % 11},R_{i}" for i in range(ROWS)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    mapping = {
        "columns": {
            "perimeter": "Magasin",
            "received_at": "Date",
            "nps": "NPS",
            "source_id": "ResponseId",
        }
    }
    # Both look for existing ids before either has stored any: the race the unique
    # constraint settles.
    barrier = threading.Barrier(2, timeout=20)
    real_existing = store.existing_keys
    looked: set[int] = set()

    def existing_then_wait(keys: Any) -> Any:
        found = real_existing(keys)
        if threading.get_ident() not in looked:
            looked.add(threading.get_ident())
            barrier.wait()
        return found

    monkeypatch.setattr(pipeline, "existing_keys", existing_then_wait)
    failures: list[BaseException] = []

    def run() -> None:
        try:
            do_import_feedback(path, root=personas.nord, mapping=mapping, survey="magasins")
        except BaseException as exc:  # reported to the test thread
            failures.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not failures, failures
    imports = list(Import.objects.all())
    assert len(imports) == 2
    for batch in imports:
        assert batch.status == Import.Status.DONE
        assert batch.read == ROWS == batch.accepted + batch.quarantined + batch.duplicates
    assert sum(b.accepted for b in imports) == ROWS
    assert sum(b.duplicates for b in imports) == ROWS
    assert Feedback.objects.count() == ROWS


@pytest.mark.django_db
def test_a_sqlite_writer_waits_for_the_lock_an_import_holds_instead_of_failing(
    tmp_path: Path,
) -> None:
    """With Python's default 5 s busy timeout a login during a long import commit failed
    with "database is locked" (HTTP 500); the product's connections wait (settings)."""
    import sqlite3
    import time

    from django.db.backends.sqlite3.base import DatabaseWrapper

    if connection.vendor != "sqlite":
        pytest.skip("SQLite's database lock")
    path = tmp_path / "lock.sqlite3"
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("PRAGMA journal_mode=WAL")  # as the product's database
    holder.execute("CREATE TABLE t (x INTEGER)")
    holder.execute("BEGIN IMMEDIATE")  # an import's chunk transaction
    holder.execute("INSERT INTO t VALUES (1)")
    release = threading.Timer(6, holder.execute, args=("COMMIT",))
    release.start()
    # A connection configured exactly as the product's (settings' OPTIONS), on that file.
    wrapper = DatabaseWrapper({**connection.settings_dict, "NAME": str(path)}, alias="lock")
    started = time.perf_counter()
    try:
        with wrapper.cursor() as cursor:
            cursor.execute("BEGIN IMMEDIATE")
            cursor.execute("INSERT INTO t VALUES (2)")
            cursor.execute("COMMIT")
    finally:
        release.join()
        wrapper.close()
        holder.close()
    assert time.perf_counter() - started > 5  # waited past the old 5 s limit, then wrote
