"""Full-text index of feedback texts (pouls.feedback.search): an FTS5 table kept in sync by
triggers on SQLite, a GIN index with a French (+ unaccent) configuration on PostgreSQL.

On SQLite, a later migration that *rebuilds* feedback_feedback (Django's table remake for
some column changes) drops these triggers: such a migration must re-create them
(``feedback/tests/test_search.py`` fails on new rows if it does not)."""

from django.db import migrations, transaction

SQLITE_CREATE = [
    "CREATE VIRTUAL TABLE feedback_search USING fts5(text, content='feedback_feedback', "
    "content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER feedback_search_insert AFTER INSERT ON feedback_feedback BEGIN "
    "INSERT INTO feedback_search(rowid, text) VALUES (new.id, new.text); END",
    "CREATE TRIGGER feedback_search_delete AFTER DELETE ON feedback_feedback BEGIN "
    "INSERT INTO feedback_search(feedback_search, rowid, text) "
    "VALUES ('delete', old.id, old.text); END",
    "CREATE TRIGGER feedback_search_update AFTER UPDATE OF text ON feedback_feedback BEGIN "
    "INSERT INTO feedback_search(feedback_search, rowid, text) "
    "VALUES ('delete', old.id, old.text); "
    "INSERT INTO feedback_search(rowid, text) VALUES (new.id, new.text); END",
    "INSERT INTO feedback_search(feedback_search) VALUES ('rebuild')",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS feedback_search_insert",
    "DROP TRIGGER IF EXISTS feedback_search_delete",
    "DROP TRIGGER IF EXISTS feedback_search_update",
    "DROP TABLE IF EXISTS feedback_search",
]
PG_INDEX = (
    "CREATE INDEX feedback_text_search ON feedback_feedback "
    "USING gin (to_tsvector('pouls_french'::regconfig, text))"
)
PG_DROP = [
    "DROP INDEX IF EXISTS feedback_text_search",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS pouls_french",
]


def create(apps, schema_editor):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    with schema_editor.connection.cursor() as cursor:
        if vendor == "sqlite":
            for sql in SQLITE_CREATE:
                cursor.execute(sql)
        elif vendor == "postgresql":
            unaccent = True
            try:  # needs the contrib package and the right to create extensions
                with transaction.atomic(using=schema_editor.connection.alias):
                    cursor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
            except Exception:
                unaccent = False
            cursor.execute("DROP TEXT SEARCH CONFIGURATION IF EXISTS pouls_french")
            cursor.execute("CREATE TEXT SEARCH CONFIGURATION pouls_french (COPY = french)")
            if unaccent:
                cursor.execute(
                    "ALTER TEXT SEARCH CONFIGURATION pouls_french ALTER MAPPING FOR "
                    "hword, hword_part, word WITH unaccent, french_stem"
                )
            cursor.execute(PG_INDEX)


def drop(apps, schema_editor):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    statements = SQLITE_DROP if vendor == "sqlite" else PG_DROP if vendor == "postgresql" else []
    with schema_editor.connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("feedback", "0007_feedback_source_key")]

    operations = [migrations.RunPython(create, drop)]
