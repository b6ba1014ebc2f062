"""`pouls backup` then `pouls restore` into a new place gives the same rows and the same group
NPS, on the backend the suite runs on (CI runs it on SQLite and on PostgreSQL)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection

from pouls.ops.backup import BackupError, do_backup
from pouls.testing import Personas, make_feedback

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

FIGURES = """
import json
from pouls.feedback.models import Feedback
from pouls.org.models import Perimeter
from pouls_analysis.stats.scores import nps_from_counts
scores = list(Feedback.objects.exclude(nps=None).values_list("nps", flat=True))
pro = sum(s >= 9 for s in scores); det = sum(s <= 6 for s in scores)
print(json.dumps({"feedback": Feedback.objects.count(), "perimeters": Perimeter.objects.count(),
    "nps": nps_from_counts(pro, len(scores) - pro - det, det).nps}))
"""


def _child_env(tmp_path: Path, database_url: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"PYTEST_VERSION", "POULS_DATABASE_URL"}}
    env.update(POULS_DATA_DIR=str(tmp_path / "new-place"), POULS_SECRET_KEY="restore-test")
    if database_url:
        env["POULS_DATABASE_URL"] = database_url
    return env


def _pouls(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "pouls.cli", *args], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


@pytest.fixture
def target_url() -> Iterator[str | None]:
    """An empty database for the restore: a new PostgreSQL database, or a new data folder."""
    if connection.vendor != "postgresql":
        yield None
        return
    name = f"pouls_restore_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE DATABASE {name}")
    s = connection.settings_dict
    yield f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name}"
    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def test_a_backup_restored_elsewhere_has_the_same_rows_and_nps(
    personas: Personas, tmp_path: Path, target_url: str | None
) -> None:
    for score in (0, 3, 7, 8, 9, 10, 10, 6):
        make_feedback(perimeter=personas.lille, nps=score, text="Accueil rapide en magasin.")
    do_backup(tmp_path / "backup")
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert manifest["database"] == connection.vendor
    # Which key encrypted the contacts, by fingerprint; never the key itself.
    from django.conf import settings

    from pouls.lib.contact_crypto import key_fingerprint

    key = settings.POULS_CONTACT_KEYS[0]
    assert manifest["contact_key"]["fingerprint"] == key_fingerprint(key)
    assert key not in (tmp_path / "backup" / "manifest.json").read_text()
    env = _child_env(tmp_path, target_url)
    _pouls(env, "restore", str(tmp_path / "backup"))
    restored = json.loads(_pouls(env, "manage", "shell", "-c", FIGURES).strip().splitlines()[-1])
    here: dict[str, object] = {}
    exec(FIGURES.replace("print(json.dumps(", "here.update(("), {"here": here})
    assert here["feedback"] == 8 and here["nps"] == 0.0  # 3 promoters, 3 detractors of 8
    assert restored == here


def test_a_backup_never_overwrites_a_folder_in_use(tmp_path: Path) -> None:
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "file").write_text("x")
    with pytest.raises(BackupError, match="not empty"):
        do_backup(tmp_path / "used")


def test_a_restore_refuses_a_database_that_is_not_empty(tmp_path: Path) -> None:
    do_backup(tmp_path / "backup")
    if connection.vendor == "postgresql":
        s = connection.settings_dict  # this test's own database, which is not empty
        env = _child_env(
            tmp_path,
            f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}",
        )
    else:
        env = _child_env(tmp_path, None)
        _pouls(env, "manage", "migrate", "--verbosity", "0")
    done = subprocess.run(
        [sys.executable, "-m", "pouls.cli", "restore", str(tmp_path / "backup")],
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1
    assert "not empty" in done.stderr and "Traceback" not in done.stderr
