"""`pouls backup DEST` and `pouls restore SRC`: the database (SQLite through its online backup
API, so the server may keep running; PostgreSQL through ``pg_dump``), the learned models, and
a manifest. Never the secret key nor the contact key (the manifest names which one
encrypted the contacts, by fingerprint), which is the operator's to keep apart.

A backup is a folder: ``manifest.json``, ``database.sqlite3`` or ``database.pgdump``, and
``models/`` when the organisation has learned models.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection

from pouls.lib.contact_crypto import key_reference

MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.pgdump"


class BackupError(Exception):
    """What went wrong, in one line for the operator."""


def _pg_url() -> str:
    db = connection.settings_dict
    user = db.get("USER") or ""
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    auth = f"{user}{password}@" if user else ""
    return f"postgresql://{auth}{db.get('HOST') or ''}:{db.get('PORT') or 5432}/{db['NAME']}"


def _run(argv: list[str]) -> None:
    try:
        done = subprocess.run(argv, capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise BackupError(f"{argv[0]} is not installed (PostgreSQL client tools)") from None
    if done.returncode != 0:
        # The first line says why without echoing the connection string.
        reason = (done.stderr.strip().splitlines() or ["no message"])[0]
        raise BackupError(f"{argv[0]} failed: {reason}")


def do_backup(dest: Path) -> dict[str, Any]:
    """Write a backup folder at ``dest`` (which must not exist or be empty)."""
    if dest.exists() and any(dest.iterdir()):
        raise BackupError(f"{dest} is not empty: choose a new folder for the backup")
    dest.mkdir(parents=True, exist_ok=True)
    vendor = connection.vendor
    if vendor == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(dest / SQLITE_FILE)
        try:
            connection.connection.backup(target)  # consistent copy while others write
        finally:
            target.close()
    elif vendor == "postgresql":
        _run(["pg_dump", "--format=custom", "--no-owner", "--file", str(dest / PG_FILE), _pg_url()])
    else:
        raise BackupError(f"database {vendor!r} is not supported")
    models = Path(settings.MODEL_DIR)
    if models.is_dir() and any(models.iterdir()):
        shutil.copytree(models, dest / "models")
    manifest = {
        "created_at": dt.datetime.now(dt.UTC).isoformat(),
        "database": vendor,
        "learned_models": (dest / "models").is_dir(),
        # The secret key is never copied: restoring needs the same POULS_SECRET_KEY (keyed
        # customer references and signed links depend on it).
        "secret_key": "not included: keep POULS_SECRET_KEY apart and set it on the new host",
        # Contacts in the copy are encrypted: restoring them needs this key (by reference
        # only: where it came from and its fingerprint, never the key).
        "contact_key": {
            **key_reference(),
            "note": "not included: keep POULS_CONTACT_KEY apart and set it on the new host",
        },
    }
    (dest / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return manifest


def _database_is_empty() -> bool:
    return not connection.introspection.table_names()


def do_restore(src: Path) -> dict[str, Any]:
    """Restore a backup folder into this configuration's empty database and data folder."""
    try:
        manifest: dict[str, Any] = json.loads((src / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise BackupError(f"{src} is not a Pouls backup (no readable {MANIFEST})") from None
    vendor = connection.vendor
    if manifest.get("database") != vendor:
        raise BackupError(f"backup of a {manifest.get('database')} database; this one is {vendor}")
    if not _database_is_empty():
        raise BackupError("the target database is not empty: restore into a new one")
    if vendor == "sqlite":
        connection.ensure_connection()
        source = sqlite3.connect(src / SQLITE_FILE)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
    else:
        _run(
            [
                "pg_restore",
                "--no-owner",
                "--exit-on-error",
                "--dbname",
                _pg_url(),
                str(src / PG_FILE),
            ]
        )
    if (src / "models").is_dir():
        shutil.copytree(src / "models", Path(settings.MODEL_DIR), dirs_exist_ok=True)
    return manifest
