"""After an import, no raw personal detail from the file is anywhere in the database."""

from __future__ import annotations

import io
from pathlib import Path

from django.core.management import call_command

from pouls.feedback.importers.pipeline import do_import_feedback
from pouls.feedback.models import CallbackContact
from pouls.testing import Personas

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


def test_a_database_dump_holds_no_raw_personal_detail(personas: Personas) -> None:
    summary = do_import_feedback(DATA / "pii_fr.csv", root=personas.nord)
    assert summary.accepted == 3
    # Contact details of customers who consented are the one exception, kept apart:
    contacts = set(CallbackContact.objects.values_list("contact", flat=True))
    assert contacts == {"martine.leroy@example.org", "jacques.morel@example.net"}
    CallbackContact.objects.all().delete()
    dump = _dump()
    for value in RAW_VALUES + ["martine.leroy@example.org", "jacques.morel@example.net"]:
        assert value not in dump, value
    assert "Mme Fontaine" not in dump and "Jacques Morel" not in dump
