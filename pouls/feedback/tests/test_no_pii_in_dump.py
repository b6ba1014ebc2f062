"""After an import, no raw personal detail from the file is anywhere in the database."""

from __future__ import annotations

import io
from pathlib import Path

from django.core.management import call_command
from django.db import connection

from pouls.feedback.importers.pipeline import do_import_feedback
from pouls.feedback.models import CallbackContact
from pouls.testing import Personas, text_cells

DATA = Path(__file__).parent / "data"
RAW_VALUES = [
    "FR76 3000 6000 0112 3456 7890 189",
    "FR7630006000011234567890189",
    "4111 1111 1111 1111",
    "4111111111111111",
    "+33 6 98 76 54 32",
    "01.45.67.89.10",
    "j.morel@example.net",
    "12 rue des Lilas",
]


def _dump() -> str:
    out = io.StringIO()
    call_command("dumpdata", "feedback", "org", "activity", stdout=out)
    return out.getvalue()


def _sql_dump() -> str:
    """What a copy of the database file shows: every statement of SQLite's own dump, or every
    text cell of every table on PostgreSQL."""
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        return "\n".join(connection.connection.iterdump())
    return "\n".join(str(cell) for _table, _column, cell in text_cells())


def test_a_database_dump_holds_no_raw_personal_detail(personas: Personas) -> None:
    summary = do_import_feedback(DATA / "pii_fr.csv", root=personas.nord)
    assert summary.accepted == 3
    # Contact details of customers who consented are kept apart, readable through the ORM…
    contacts = set(CallbackContact.objects.values_list("contact", flat=True))
    assert contacts == {"martine.leroy@example.org", "jacques.morel@example.net"}
    # …and encrypted in the database (issue 18): the column holds Fernet tokens only.
    with connection.cursor() as cursor:
        cursor.execute("SELECT contact FROM feedback_callbackcontact")
        stored = [row[0] for row in cursor.fetchall()]
    assert len(stored) == 2 and all(v.startswith("gAAAAA") for v in stored)
    dump = _dump() + _sql_dump()
    for value in RAW_VALUES + ["martine.leroy@example.org", "jacques.morel@example.net"]:
        assert value not in dump, value
    assert "Mme Fontaine" not in dump and "Jacques Morel" not in dump


def test_quarantined_rows_hold_no_card_even_mistyped_or_numeric(
    personas: Personas, tmp_path: Path
) -> None:
    """Issue 18: a card number failing Luhn, in the text or in a numeric spreadsheet cell, of
    a row sent to quarantine is masked in the stored row too."""
    import json

    from openpyxl import Workbook

    from pouls.feedback.models import QuarantinedRow

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Magasin", "Date", "NPS", "Commentaire", "Carte"])
    sheet.append(["Site Lille", "20/11/2026", "quinze", "Ma carte 4970 1234 5678 9013 débitée", ""])
    sheet.append(["Site Lille", "21/11/2026", "douze", "Rien", 4970123456789013])
    book.save(tmp_path / "export.xlsx")
    summary = do_import_feedback(tmp_path / "export.xlsx", root=personas.nord)
    assert summary.quarantined == 2
    stored = json.dumps(list(QuarantinedRow.objects.values("raw", "reasons")), ensure_ascii=False)
    assert "4970 1234 5678 9013" not in stored and "4970123456789013" not in stored
    assert "[CARTE]" in stored
