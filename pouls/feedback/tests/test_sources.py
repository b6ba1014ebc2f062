"""De-duplication within its source: a response id is unique within the tool and survey it
comes from, and an importer learns nothing of rows outside the perimeters it may write."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from pouls.feedback.importers.pipeline import do_import_feedback
from pouls.feedback.models import Feedback, QuarantinedRow
from pouls.testing import Personas, make_grant, make_user

EXPORT = (
    "Respondent ID;Date;Magasin;NPS;Commentaire\n"
    "1;22/11/2025;{store};9;Très bien\n"
    "2;23/11/2025;{store};4;Attente\n"
    "3;24/11/2025;{store};10;Parfait\n"
)


def _export(tmp_path: Path, store: str) -> Path:
    path = tmp_path / f"{store}.csv"
    path.write_text(EXPORT.format(store=store), encoding="utf-8")
    return path


def _store_admins(personas: Personas) -> tuple[object, object]:
    lille, roubaix = make_user("lille"), make_user("roubaix")
    make_grant(lille, personas.lille, "admin")
    make_grant(roubaix, personas.roubaix, "admin")
    return lille, roubaix


def test_two_stores_importing_the_same_response_ids_keep_all_their_rows(
    personas: Personas, tmp_path: Path
) -> None:
    lille, roubaix = _store_admins(personas)
    first = do_import_feedback(_export(tmp_path, "Site Lille"), root=personas.lille, user=lille)
    second = do_import_feedback(
        _export(tmp_path, "Site Roubaix"), root=personas.roubaix, user=roubaix
    )
    assert (first.accepted, second.accepted, second.duplicates) == (3, 3, 0)
    assert Feedback.objects.filter(perimeter=personas.lille).count() == 3
    assert Feedback.objects.filter(perimeter=personas.roubaix).count() == 3
    assert set(Feedback.objects.values_list("source", flat=True)) == {
        f"fichier:{personas.lille.ref}",
        f"fichier:{personas.roubaix.ref}",
    }


def test_a_collision_outside_the_importers_perimeters_is_quarantined_without_a_hint(
    personas: Personas, tmp_path: Path
) -> None:
    lille, roubaix = _store_admins(personas)
    do_import_feedback(
        _export(tmp_path, "Site Lille"), root=personas.lille, user=lille, survey="Enquête 2025"
    )
    path = _export(tmp_path, "Site Roubaix")
    summary = do_import_feedback(path, root=personas.roubaix, user=roubaix, survey="Enquête 2025")
    assert (summary.accepted, summary.quarantined, summary.duplicates) == (0, 3, 0)
    for row in QuarantinedRow.objects.all():
        text = str(row.raw) + str(row.reasons)
        assert "déjà utilisé par la source" in row.reasons[0]["message"]
        assert "Lille" not in text and personas.lille.ref not in text
    # Imported again: the same collisions are not quarantined twice.
    again = do_import_feedback(path, root=personas.roubaix, user=roubaix, survey="Enquête 2025")
    assert (again.quarantined, again.duplicates) == (0, 3)
    # Someone who may write both perimeters sees plain duplicates.
    both = do_import_feedback(path, root=personas.nord, user=personas.alice, survey="Enquête 2025")
    assert (both.accepted, both.duplicates) == (0, 3)


def test_the_same_importer_re_importing_counts_duplicates(
    personas: Personas, tmp_path: Path
) -> None:
    path = _export(tmp_path, "Site Lille")
    do_import_feedback(path, root=personas.nord, user=personas.carol, preset="surveymonkey")
    again = do_import_feedback(path, root=personas.nord, user=personas.carol, preset="surveymonkey")
    assert again.duplicates == again.read


@pytest.mark.django_db(transaction=True)
def test_the_source_key_migration_fills_sources_and_goes_back(personas: Personas) -> None:
    executor = MigrationExecutor(connection)
    before = [("feedback", "0006_add_import_lines_notes_and_quarantine_prints")]
    after = [("feedback", "0007_feedback_source_key")]
    executor.migrate(before)
    apps = executor.loader.project_state(before).apps
    Import = apps.get_model("feedback", "Import")
    Feedback0006 = apps.get_model("feedback", "Feedback")
    batch = Import.objects.create(
        perimeter_id=personas.lille.pk, file_name="a.csv", file_sha256="", preset="qualtrics"
    )
    Feedback0006.objects.create(
        perimeter_id=personas.lille.pk,
        source_kind="survey",
        channel="web",
        received_at="2025-11-22T10:00:00Z",
        source_id="R_1",
        batch_id=batch.pk,
    )
    executor = MigrationExecutor(connection)
    executor.migrate(after)
    assert Feedback.objects.get().source == f"qualtrics:{personas.lille.ref}"
    executor = MigrationExecutor(connection)
    executor.migrate(before)  # reversible
    executor = MigrationExecutor(connection)
    # Every app back to its latest migration: going back to feedback 0006 also unapplied
    # what depends on later feedback migrations (the search index, 0008).
    executor.migrate(executor.loader.graph.leaf_nodes())
