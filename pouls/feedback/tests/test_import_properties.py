"""Whatever the rows, every one is accounted for: read = accepted + quarantined + duplicates."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pouls.feedback.importers.pipeline import do_import_feedback
from pouls.feedback.importers.readers import FileRejected
from pouls.feedback.models import Feedback, Import, QuarantinedRow
from pouls.testing import Personas

CELLS = {
    "Magasin": st.sampled_from(
        [
            "Site Lille",
            "SITE-ROUBAIX",
            "Site Lile",
            "",
            "Site Marseille",
            "=cmd()",
            "Équipe Lille Vente",
        ]
    ),
    "Date": st.sampled_from(
        [
            "22/11/2025",
            "2025-11-22T10:00:00",
            "31/02/2025",
            "",
            "demain",
            "45000",
            "12/12/2099",
            "3 mars 2025 à 10h30",
        ]
    ),
    "NPS": st.sampled_from(["0", "6", "9", "10", "11", "-1", "", "9,0", "huit", "7/10"]),
    "Commentaire": st.text(max_size=80),
}


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(rows=st.lists(st.fixed_dictionaries(CELLS), max_size=25), repeat=st.booleans())
@pytest.mark.django_db
def test_every_row_lands_in_exactly_one_bucket(
    personas: Personas, tmp_path: Path, rows: list[dict[str, str]], repeat: bool
) -> None:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(CELLS), delimiter=";")
    writer.writeheader()
    writer.writerows(rows + (rows[:3] if repeat else []))
    path = tmp_path / "random.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    before = Feedback.objects.count()
    try:
        summary = do_import_feedback(path, root=personas.nord)
    except FileRejected as rejected:  # a clear message, allowed for a file of control bytes
        content = path.read_bytes()
        assert "binaire" in str(rejected) and sum(b < 32 for b in content) * 10 > len(content)
        return
    batch = Import.objects.get(code=summary.code)
    assert summary.read == summary.accepted + summary.quarantined + summary.duplicates
    assert (batch.read, batch.accepted, batch.quarantined, batch.duplicates) == (
        summary.read,
        summary.accepted,
        summary.quarantined,
        summary.duplicates,
    )
    assert Feedback.objects.count() - before == summary.accepted
    assert QuarantinedRow.objects.filter(batch=batch).count() == summary.quarantined
