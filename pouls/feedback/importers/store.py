"""Writing an import's rows: plain column values in, one executemany per chunk out.

A million-row import spends its time here and in validation, so rows travel as dicts of
column values (``Feedback`` field attnames) rather than model instances: building a model
instance per row and letting ``bulk_create`` prepare it field by field cost more than the
database's own work (profiled).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import connections, router
from django.utils import timezone

from pouls.feedback.changes import record_days
from pouls.feedback.models import CallbackContact, Feedback

CONTACT_RETENTION = dt.timedelta(days=90)
IMPORT_CACHE_KIB = 256 * 1024

#: The Feedback columns an import writes, in INSERT order (every concrete field but the key).
COLUMNS = tuple(f.attname for f in Feedback._meta.concrete_fields if not f.primary_key)


def widen_sqlite_cache() -> None:
    """A big import on SQLite inserts into indexes larger than the usual page cache; a
    wider cache for this connection keeps them in memory (PostgreSQL has shared buffers)."""
    connection = connections[router.db_for_write(Feedback)]
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size=-{IMPORT_CACHE_KIB}")


def insert_feedback(rows: list[dict[str, Any]]) -> None:
    """Insert Feedback rows given as ``{attname: value}`` (every name of ``COLUMNS`` but
    ``created_at``) with one executemany; rows with a callback consent get their primary
    key back in ``row["id"]`` (their contact row points to it).

    Only the uuid and datetime columns need the backend's adaptation; the rest are plain
    ints, strings, booleans and None. Tested on SQLite and PostgreSQL by the import tests.
    """
    if not rows:
        return
    connection = connections[router.db_for_write(Feedback)]
    prep_code = Feedback._meta.get_field("code").get_db_prep_value
    adapt_datetime = connection.ops.adapt_datetimefield_value
    now = adapt_datetime(timezone.now())
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(Feedback._meta.db_table),
        ", ".join(quote(_column(name)) for name in COLUMNS),
        ", ".join(["%s"] * len(COLUMNS)),
    )
    params = []
    for row in rows:
        values = {
            **row,
            "code": prep_code(row["code"], connection),
            "received_at": adapt_datetime(row["received_at"]),
            "created_at": now,
        }
        params.append([values[name] for name in COLUMNS])
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)
    # In the caller's transaction (the chunk's): the rollups see these days once committed.
    record_days(row["received_at"] for row in rows)
    # Only rows that get a callback contact need their primary key (few of them).
    wanted = [row for row in rows if row["callback_consent"]]
    if wanted:
        ids = dict(
            Feedback.objects.filter(code__in=[r["code"] for r in wanted]).values_list("code", "pk")
        )
        for row in wanted:
            row["id"] = ids[row["code"]]


def _column(attname: str) -> str:
    field = next(f for f in Feedback._meta.concrete_fields if f.attname == attname)
    return str(field.column)


Key = tuple[str, str, str]  # (source_kind, source, source_id)


def existing_keys(keys: Iterable[Key]) -> dict[Key, int]:
    """The keys among ``keys`` already in the database, with the perimeter of their row."""
    by_source: dict[tuple[str, str], list[str]] = {}
    for kind, source, key in keys:
        by_source.setdefault((kind, source), []).append(key)
    found: dict[Key, int] = {}
    connection = connections[router.db_for_read(Feedback)]
    table = connection.ops.quote_name(Feedback._meta.db_table)
    for (kind, source), ids in by_source.items():
        # Plain SQL: the ORM prepared each of the thousands of ids one by one (profiled).
        # NOT (source_id = ''): the unique index on (source_kind, source, source_id) is
        # partial (non-empty ids); without the same condition SQLite scanned the whole
        # table for every chunk, which made a big import quadratic.
        sql = (
            f"SELECT source_id, perimeter_id FROM {table} WHERE source_kind = %s"
            f" AND source = %s AND source_id IN ({', '.join(['%s'] * len(ids))})"
            " AND NOT (source_id = '')"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [kind, source, *ids])
            found.update(((kind, source, key), perimeter) for key, perimeter in cursor.fetchall())
    return found


def store_contacts(rows: Iterable[tuple[dict[str, Any], str]]) -> None:
    """Keep the contact details of customers who consented to a callback, apart from their
    feedback and with an expiry; ``rows`` are (inserted feedback values, contact)."""
    expires = timezone.now() + CONTACT_RETENTION
    CallbackContact.objects.bulk_create(
        [
            CallbackContact(
                feedback_id=values["id"],
                perimeter_id=values["perimeter_id"],
                contact=contact[:255],
                expires_at=expires,
            )
            for values, contact in rows
            if contact and values["callback_consent"]
        ]
    )
