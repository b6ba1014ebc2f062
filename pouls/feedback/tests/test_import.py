from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner
from django.utils import timezone

from pouls.feedback.importers.mapping import PRESETS, MappingError
from pouls.feedback.importers.pipeline import do_import_feedback
from pouls.feedback.importers.readers import FileRejected
from pouls.feedback.models import CallbackContact, Feedback, Import, QuarantinedRow
from pouls.lib.privacy import customer_ref
from pouls.testing import Personas

DATA = Path(__file__).parent / "data"
QUALTRICS = {"columns": {"nps": "Q_NPS", "text": "Q_Why", "perimeter": "Store"}}


def _reasons(field: str) -> list[QuarantinedRow]:
    return [q for q in QuarantinedRow.objects.all() if any(r["field"] == field for r in q.reasons)]


def test_a_messy_french_export_lands_with_every_row_accounted_for(personas: Personas) -> None:
    summary = do_import_feedback(DATA / "messy_fr.csv", root=personas.nord, user=personas.carol)
    assert (summary.read, summary.accepted, summary.quarantined, summary.duplicates) == (
        12,
        3,
        8,
        1,
    )
    batch = Import.objects.get(code=summary.code)
    assert batch.read == batch.accepted + batch.quarantined + batch.duplicates
    assert Feedback.objects.filter(batch=batch).count() == 3
    assert QuarantinedRow.objects.filter(batch=batch).count() == 8


def test_each_quarantined_row_says_why(personas: Personas) -> None:
    do_import_feedback(DATA / "messy_fr.csv", root=personas.nord, user=personas.carol)
    by_row = {q.row_number: q.reasons for q in QuarantinedRow.objects.all()}
    assert "vouliez-vous dire « Site Lille »" in by_row[3][0]["message"]
    assert by_row[4][0]["field"] == "received_at"
    assert by_row[5][0]["field"] == "nps" and "0 à 10" in by_row[5][0]["accepted"]
    assert by_row[8][0]["message"] == "ni note ni texte"
    assert by_row[9][0]["field"] == "perimeter"  # Marseille is outside the import's perimeter
    assert "hors limites" in by_row[10][0]["message"]
    assert "de plus" in by_row[11][0]["message"]
    assert by_row[12][0]["field"] == "callback_consent"


def test_reimporting_the_same_file_adds_nothing(personas: Personas) -> None:
    do_import_feedback(DATA / "messy_fr.csv", root=personas.nord, user=personas.carol)
    again = do_import_feedback(DATA / "messy_fr.csv", root=personas.nord, user=personas.carol)
    assert (again.accepted, again.duplicates, again.quarantined) == (0, 12, 0)
    assert Feedback.objects.count() == 3


def test_no_personal_detail_reaches_the_database(personas: Personas) -> None:
    do_import_feedback(DATA / "messy_fr.csv", root=personas.nord, user=personas.carol)
    texts = " ".join(Feedback.objects.values_list("text", flat=True))
    assert "06 12 34 56 78" not in texts and "client.deux@example.com" not in texts
    assert "[TÉLÉPHONE]" in texts and "[EMAIL]" in texts
    stored = {f.customer_ref for f in Feedback.objects.exclude(customer_ref="")}
    assert customer_ref("client.un@example.com") in stored
    assert all("@" not in ref for ref in stored)


def test_callback_contacts_are_kept_apart_with_a_retention_date(personas: Personas) -> None:
    do_import_feedback(DATA / "messy_fr.csv", root=personas.nord, user=personas.carol)
    contacts = list(CallbackContact.objects.all())
    assert {c.contact for c in contacts} == {"client.un@example.com", "client.deux@example.com"}
    assert all(c.expires_at > c.feedback.received_at + dt.timedelta(days=30) for c in contacts)
    assert not CallbackContact.objects.for_user(personas.bob).exists()  # viewers never see them


def test_dates_in_french_forms_and_excel_serials(personas: Personas) -> None:
    do_import_feedback(DATA / "messy_fr.csv", root=personas.nord, user=personas.carol)
    dates = sorted(
        timezone.localtime(f.received_at).date().isoformat() for f in Feedback.objects.all()
    )
    assert dates == ["2025-03-04", "2025-03-07", "2025-11-22"]


def test_a_qualtrics_export_with_its_extra_header_rows(personas: Personas) -> None:
    summary = do_import_feedback(
        DATA / "qualtrics.csv", root=personas.nord, preset="qualtrics", mapping=QUALTRICS
    )
    assert (summary.read, summary.accepted, summary.quarantined) == (3, 2, 1)
    assert set(Feedback.objects.values_list("source_id", flat=True)) == {"R_1a", "R_2b"}
    again = do_import_feedback(
        DATA / "qualtrics.csv", root=personas.nord, preset="qualtrics", mapping=QUALTRICS
    )
    # The quarantined row too is recognised: a re-import adds nothing anywhere.
    assert (again.duplicates, again.accepted, again.quarantined) == (3, 0, 0)


def test_a_dry_run_stores_nothing(personas: Personas) -> None:
    summary = do_import_feedback(DATA / "messy_fr.csv", root=personas.nord, dry_run=True)
    assert summary.accepted == 3 and not Feedback.objects.exists() and not Import.objects.exists()


def test_a_mapping_to_a_missing_column_is_a_clear_error(personas: Personas) -> None:
    with pytest.raises(MappingError, match="colonne 'Q9' absente"):
        do_import_feedback(
            DATA / "qualtrics.csv",
            root=personas.nord,
            preset="qualtrics",
            mapping={"columns": {"nps": "Q9"}},
        )


def test_a_binary_file_is_refused(personas: Personas, tmp_path: Path) -> None:
    path = tmp_path / "photo.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 10)
    with pytest.raises(FileRejected, match="binaire"):
        do_import_feedback(path, root=personas.nord)


def test_the_cli_prints_the_identity(personas: Personas) -> None:
    from pouls.cli import PRESET_NAMES, main

    assert set(PRESET_NAMES) == set(PRESETS)
    strict = CliRunner().invoke(
        main,
        ["import", "feedback", str(DATA / "messy_fr.csv"), "--into", "Région Nord", "--strict"],
    )
    assert strict.exit_code == 1
    assert "lues 12 = acceptées 3 + en quarantaine 8 + doublons 1" in strict.output
    assert "lignes du fichier 12 = acceptées 3 + en quarantaine 8 + doublons 1 + vides 0" in (
        strict.output
    )
    again = CliRunner().invoke(
        main, ["import", "feedback", str(DATA / "messy_fr.csv"), "--into", "Région Nord"]
    )
    assert again.exit_code == 0, again.output
    assert "lues 12 = acceptées 0 + en quarantaine 0 + doublons 12" in again.output


def test_customer_refs_keep_their_published_keyed_hash() -> None:
    # Re-imports de-duplicate on these hashes: the fast path must equal Django's salted_hmac.
    from django.utils.crypto import salted_hmac

    for identity in ("Client.Un@Example.com ", "  Jean   Dupont", "é"):
        cleaned = " ".join(identity.strip().lower().split())
        expected = salted_hmac("pouls.customer_ref", cleaned, algorithm="sha256").hexdigest()[:40]
        assert customer_ref(identity) == expected
    assert customer_ref("hmac:abc") == "abc"


@pytest.mark.django_db
def test_the_duplicate_check_reads_the_source_id_index() -> None:
    # Without the index's own condition in the query, SQLite scanned the whole table for
    # each chunk: a million-row import became quadratic.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from pouls.feedback.importers.store import existing_keys

    if connection.vendor != "sqlite":
        pytest.skip("the plan checked is SQLite's")
    with CaptureQueriesContext(connection) as queries:
        assert (
            existing_keys([("survey", "qualtrics:X", "R1"), ("survey", "qualtrics:X", "R2")]) == {}
        )
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + queries.captured_queries[0]["sql"])
        plan = " ".join(str(row) for row in cursor.fetchall())
    assert "feedback_feedback_unique_source_key" in plan


PRESET_EXPORTS = {
    "surveymonkey": (
        "Respondent ID,End Date,Magasin,NPS,Pourquoi ?\n"
        ",,Response,Response,Open-Ended Response\n"
        "114,11/22/2025 02:05:00 PM,Site Lille,9,Accueil parfait\n",
        "114",
    ),
    "google_forms": (
        "Horodateur,Magasin,NPS,Commentaire\n22/11/2025 14:05:00,Site Lille,9,Bien\n",
        "",
    ),
    "typeform": (
        "#,Magasin,NPS,Commentaire,Submitted At\nab12,Site Lille,9,Bien,2025-11-22 14:05:00\n",
        "ab12",
    ),
    "limesurvey": (
        "id,submitdate,startlanguage,Magasin,NPS,Commentaire\n"
        "17,2025-11-22 14:05:00,fr,Site Lille,9,Bien\n",
        "17",
    ),
    "reviews": (
        "review_id;place;rating;text;date\nG-1;Site Lille;4;Rayon bien rangé;22/11/2025 14h05\n",
        "G-1",
    ),
}


@pytest.mark.parametrize("preset", sorted(PRESET_EXPORTS))
def test_each_preset_reads_its_tools_export(
    personas: Personas, tmp_path: Path, preset: str
) -> None:
    content, source_id = PRESET_EXPORTS[preset]
    path = tmp_path / f"{preset}.csv"
    path.write_text(content, encoding="utf-8")
    summary = do_import_feedback(path, root=personas.nord, preset=preset)
    assert (summary.read, summary.accepted) == (1, 1), QuarantinedRow.objects.values("reasons")
    stored = Feedback.objects.get()
    local = timezone.localtime(stored.received_at)
    assert (local.date(), local.hour, local.minute) == (dt.date(2025, 11, 22), 14, 5)
    assert stored.perimeter == personas.lille and stored.text
    assert (stored.nps, stored.csat) == ((None, 4) if preset == "reviews" else (9, None))
    assert stored.source_id == (source_id or stored.source_id)  # else a content hash
    assert stored.source_kind == ("review" if preset == "reviews" else "survey")


def test_sellers_are_matched_by_name_with_a_suggestion_for_near_misses(
    personas: Personas, tmp_path: Path
) -> None:
    from pouls.feedback.importers.prepare import People
    from pouls.testing import make_person

    seller = make_person(perimeter=personas.lille, first_name="Kévin", last_name="Lefèvre")
    path = tmp_path / "vendeurs.csv"
    path.write_text(
        "Magasin;Date;NPS;Vendeur\n"
        "Site Lille;22/11/2025;9;LEFEVRE Kevin\n"
        "Site Lille;22/11/2025;8;Kevin Lefebvre\n",
        encoding="utf-8",
    )
    summary = do_import_feedback(path, root=personas.nord)
    assert (summary.accepted, summary.quarantined) == (1, 1)
    assert Feedback.objects.get().person == seller
    reason = QuarantinedRow.objects.get().reasons[0]
    # Stored reasons are pseudonymised like any text, the suggested name included.
    assert reason["field"] == "person" and "vouliez-vous dire « [NOM] »" in reason["message"]
    with pytest.raises(ValueError, match="vouliez-vous dire « Kévin Lefèvre »"):
        People([seller]).match("Kevin Lefebvre")
