"""Imports survive a killed worker: an import left running is taken back from its last
committed record, nothing is imported twice, and uploads do not outlive their import."""

from __future__ import annotations

import datetime as dt
import io
import os
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from pouls.feedback import tasks
from pouls.feedback.importers import pipeline
from pouls.feedback.models import Feedback, Import
from pouls.ops.models import Lease
from pouls.testing import Personas

runs_the_worker = pytest.mark.django_db(transaction=True)
ROWS = 3000


class Killed(BaseException):
    """What a SIGKILL looks like from inside: no ``except Exception`` handler runs."""


def _file(folder: Path, rows: int = ROWS) -> Path:
    lines = ["Magasin,Date,NPS,Commentaire"]
    for i in range(rows):
        nps = 42 if i % 97 == 0 else i % 11  # some rows are quarantined
        lines.append(f"Site Lille,{1 + i % 28:02d}/10/2026,{nps},Retour numéro {i}")
        if i % 101 == 0:
            lines.append(lines[-1])  # and some are exact duplicates
    path = folder / "big.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _queued_import(personas: Personas, path: Path) -> Import:
    return Import.objects.create(
        perimeter=personas.nord,
        file_name="big.csv",
        file_sha256="",
        upload_name=path.name,
        mapping={
            "columns": {
                "perimeter": "Magasin",
                "received_at": "Date",
                "nps": "NPS",
                "text": "Commentaire",
            }
        },
    )


def _expire_lease(batch: Import) -> None:
    Lease.objects.filter(name=pipeline.import_lease(batch)).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )


def _assert_imported_once(batch: Import) -> None:
    texts = list(Feedback.objects.filter(batch=batch).values_list("text", flat=True))
    assert len(texts) == len(set(texts)) == batch.accepted
    expected = sum(1 for i in range(ROWS) if i % 97)
    assert batch.accepted == expected
    assert batch.read == ROWS + sum(1 for i in range(ROWS) if i % 101 == 0)
    assert batch.read == batch.accepted + batch.quarantined + batch.duplicates
    assert batch.status == Import.Status.DONE


@runs_the_worker
def test_an_import_killed_mid_way_is_taken_back_and_imports_every_row_once(
    personas: Personas, settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.UPLOAD_DIR = tmp_path
    path = _file(tmp_path)
    batch = _queued_import(personas, path)
    monkeypatch.setattr(pipeline, "CHUNK", 200)
    monkeypatch.setattr(pipeline, "CHUNKS_PER_COMMIT", 2)
    real_store = pipeline._store_chunk
    calls = {"n": 0}

    def killed_at_the_seventh_chunk(*args: Any, **kwargs: Any) -> None:
        calls["n"] += 1
        if calls["n"] == 7:  # the first chunk of the fourth commit
            raise Killed
        real_store(*args, **kwargs)

    monkeypatch.setattr(pipeline, "_store_chunk", killed_at_the_seventh_chunk)
    with pytest.raises(Killed):
        tasks.import_feedback_file.call(str(batch.code), str(path))
    monkeypatch.setattr(pipeline, "_store_chunk", real_store)
    batch.refresh_from_db()
    assert batch.status == Import.Status.RUNNING
    assert batch.position == 6 * 200  # three commits of two chunks; the fourth rolled back
    assert Feedback.objects.filter(batch=batch).count() == batch.accepted > 0
    assert path.is_file(), "the upload stays for the worker that takes the import back"
    # While its lease runs, the import is presumed alive: nobody takes it.
    assert tasks.resume_stale_imports() == []
    _expire_lease(batch)
    assert tasks.resume_stale_imports() == [str(batch.code)]
    assert tasks.resume_stale_imports() == []  # taken once, even by two workers
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    batch.refresh_from_db()
    _assert_imported_once(batch)
    assert not path.exists(), "the upload is deleted when the import ends"
    assert not Lease.objects.filter(name=pipeline.import_lease(batch)).exclude(holder="").exists()


@runs_the_worker
def test_a_dead_import_whose_upload_is_gone_is_marked_failed(
    personas: Personas, settings: Any, tmp_path: Path
) -> None:
    settings.UPLOAD_DIR = tmp_path
    batch = _queued_import(personas, tmp_path / "lost.csv")
    Import.objects.filter(pk=batch.pk).update(status=Import.Status.RUNNING)
    assert tasks.resume_stale_imports() == []
    batch.refresh_from_db()
    assert batch.status == Import.Status.FAILED and "interrompu" in batch.message
    assert batch.upload_name == ""


def test_the_daily_purge_removes_orphan_uploads(
    personas: Personas, settings: Any, tmp_path: Path
) -> None:
    settings.UPLOAD_DIR = tmp_path
    old = timezone.now().timestamp() - 2 * 3600
    for name in ("orphan.csv", "waiting.csv", "ended.csv", "fresh.csv"):
        (tmp_path / name).write_text("raw")
        if name != "fresh.csv":  # being saved right now: spared
            os.utime(tmp_path / name, (old, old))
    _queued_import(personas, tmp_path / "waiting.csv")
    ended = _queued_import(personas, tmp_path / "ended.csv")
    Import.objects.filter(pk=ended.pk).update(status=Import.Status.DONE)
    call_command("purge_personal_data", stdout=io.StringIO())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fresh.csv", "waiting.csv"]
    assert Import.objects.get(pk=ended.pk).upload_name == ""
