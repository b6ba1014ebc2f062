"""A messy Qualtrics export, imported with ``--preset qualtrics`` alone, lands right: every
row accounted for, every valid one on its true calendar day, no invalid one accepted, and a
re-import adds nothing."""

from __future__ import annotations

import io
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from pouls.feedback.importers.pipeline import do_import_feedback
from pouls.feedback.models import CallbackContact, Feedback, QuarantinedRow
from pouls.feedback.tests.messy_qualtrics import STORES, Export, generate
from pouls.testing import Personas, make_perimeter


@pytest.fixture
def export(personas: Personas, tmp_path: Path) -> tuple[Export, Path]:
    for name in STORES:
        if name.startswith("Magasin"):
            make_perimeter(name=name, kind="store", parent=personas.nord)
    generated = generate(seed=7, rows=400)
    path = tmp_path / "Enquête magasins_7 décembre 2026.csv"
    path.write_bytes(generated.content)
    return generated, path


def test_the_generated_export_is_as_messy_as_promised(export: tuple[Export, Path]) -> None:
    generated, _ = export
    text = generated.content.decode("utf-8-sig")
    assert generated.content.startswith(b"\xef\xbb\xbf")
    assert '{""ImportId"":""QID1""}' in text and "probabilité que vous recommandiez" in text
    outcomes = Counter(t.outcome for t in generated.truths)
    assert min(outcomes.values()) >= 20
    days = [t.day for t in generated.truths if t.day is not None]
    assert any(d.day > 12 for d in days) and any(d.day <= 12 and d.month <= 12 for d in days)
    assert "MAGASIN EVRY" in text and "Magasin Orleans" in text
    assert any(bad in text for bad in (",11,", ",neuf,", ",N/A,", ",100,"))


def test_it_lands_with_the_preset_alone_every_row_on_its_true_day(
    personas: Personas, export: tuple[Export, Path]
) -> None:
    generated, path = export
    from pouls.cli import main

    result = CliRunner().invoke(
        main,
        ["import", "feedback", str(path), "--preset", "qualtrics", "--into", "Région Nord"],
    )
    assert result.exit_code == 0, result.output
    outcomes = Counter(t.outcome for t in generated.truths)
    read = len(generated.truths)
    assert (
        f"lues {read} = acceptées {outcomes['accepted']} + en quarantaine "
        f"{outcomes['quarantined']} + doublons {outcomes['duplicate']}"
    ) in result.output
    stored = {f.source_id: f for f in Feedback.objects.select_related("perimeter")}
    accepted = [t for t in generated.truths if t.outcome == "accepted"]
    assert len(stored) == len(accepted)
    for truth in accepted:
        feedback = stored[truth.response_id]
        assert timezone.localtime(feedback.received_at).date() == truth.day, truth
        assert feedback.perimeter.name == truth.store
    invalid = {t.response_id for t in generated.truths if t.outcome == "quarantined"}
    assert not invalid & set(stored)
    assert QuarantinedRow.objects.count() == len(invalid)
    contacts = {c.contact for c in CallbackContact.objects.all()}
    assert contacts == {t.contact for t in accepted if t.contact}


def test_a_reimport_adds_no_feedback_and_no_quarantine_row(
    personas: Personas, export: tuple[Export, Path]
) -> None:
    generated, path = export
    first = do_import_feedback(path, root=personas.nord, preset="qualtrics")
    before = (Feedback.objects.count(), QuarantinedRow.objects.count())
    again = do_import_feedback(path, root=personas.nord, preset="qualtrics")
    assert (Feedback.objects.count(), QuarantinedRow.objects.count()) == before
    assert again.read == first.read == again.duplicates
    assert again.lines == first.lines == again.lines_duplicates


def test_no_planted_personal_data_is_readable_in_a_dump(
    personas: Personas, export: tuple[Export, Path]
) -> None:
    generated, path = export
    do_import_feedback(path, root=personas.nord, preset="qualtrics")
    # TODO(contact encryption, issue 18 item 5): CallbackContact holds the consenting
    # customers' contact details readable until they are encrypted at rest; left out here.
    out = io.StringIO()
    call_command("dumpdata", exclude=["feedback.CallbackContact"], stdout=out)
    dumps = [out.getvalue()]
    if connection.vendor == "sqlite":
        dumps.append(
            "\n".join(
                line
                for line in connection.connection.iterdump()
                if '"feedback_callbackcontact"' not in line
            )
        )
    planted = generated.planted
    assert len(planted) >= 50
    for dump in dumps:
        left = [value for value in planted if value in dump]
        assert not left, left[:5]
