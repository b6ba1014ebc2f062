"""Dates are never guessed silently: the order of day and month is inferred per column from
all its values, French when nothing settles it (and said), never swapped in a mixed column."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner
from django.utils import timezone

from pouls.feedback.importers import values as V
from pouls.feedback.importers.pipeline import do_import_feedback
from pouls.feedback.models import Feedback, Import, QuarantinedRow
from pouls.testing import Personas


def _write(path: Path, dates: list[str], *, qualtrics: bool = False) -> Path:
    head = ["Magasin;Date;NPS"]
    if qualtrics:  # Qualtrics' three header rows: ids, question texts, import ids
        head = [
            "Q3_Magasin;RecordedDate;Q1_NPS",
            "Dans quel magasin ?;Recorded Date;Quelle est la probabilité que vous recommandiez…",
            '{""ImportId"":""QID3""};{""ImportId"":""recordedDate""};{""ImportId"":""QID1""}',
        ]
    lines = head + [f"Site Lille;{d};{i % 11}" for i, d in enumerate(dates)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _days() -> list[str]:
    return sorted(
        timezone.localtime(f.received_at).date().isoformat() for f in Feedback.objects.all()
    )


def test_order_counts_say_which_values_settle_it() -> None:
    order = V.infer_date_order(
        ["25/11/2025", "09/01/2026 14h05", "2025-11-22", 45000, "11/25/2025"]
    )
    assert order == V.DateOrder(day_first=1, month_first=1, ambiguous=1)
    assert order.setting is None
    assert V.infer_date_order(["09/01/2026", "22 nov. 2025"]).setting is True  # French default
    assert V.infer_date_order(["12/31/2025", "01/09/2026"]).setting is False


def test_one_day_above_twelve_settles_a_column_in_french_order(
    personas: Personas, tmp_path: Path
) -> None:
    path = _write(
        tmp_path / "a.csv", ["09/01/2026", "25/11/2025", "02/03/2026 14h05"], qualtrics=True
    )
    summary = do_import_feedback(path, root=personas.nord, preset="qualtrics")
    assert summary.accepted == 3
    assert _days() == ["2025-11-25", "2026-01-09", "2026-03-02"]
    assert "jour/mois" in summary.notes[0]


def test_an_ambiguous_column_is_read_in_french_order_and_the_summary_says_so(
    personas: Personas, tmp_path: Path
) -> None:
    path = _write(tmp_path / "a.csv", ["09/01/2026", "05/06/2025", "2025-11-22", "22 nov. 2025"])
    summary = do_import_feedback(path, root=personas.nord, preset="google_forms")
    assert _days() == ["2025-06-05", "2025-11-22", "2025-11-22", "2026-01-09"]
    assert "Dates ambiguës" in summary.notes[0] and "français jour/mois" in summary.notes[0]
    assert Import.objects.get(code=summary.code).notes == summary.notes


def test_a_month_first_column_is_read_month_first(personas: Personas, tmp_path: Path) -> None:
    path = _write(tmp_path / "a.csv", ["01/09/2026", "11/25/2025", "45000"])
    summary = do_import_feedback(path, root=personas.nord)
    assert _days() == ["2023-03-15", "2025-11-25", "2026-01-09"]
    assert "mois/jour" in summary.notes[0]


def test_a_column_mixing_orders_quarantines_its_ambiguous_dates_never_swapping_them(
    personas: Personas, tmp_path: Path
) -> None:
    path = _write(tmp_path / "a.csv", ["25/11/2025", "11/26/2025", "05/06/2025", "07/07/2025"])
    summary = do_import_feedback(path, root=personas.nord)
    assert (summary.accepted, summary.quarantined) == (3, 1)
    assert _days() == ["2025-07-07", "2025-11-25", "2025-11-26"]
    (row,) = QuarantinedRow.objects.all()
    assert row.row_number == 4 and row.reasons[0]["field"] == "received_at"
    assert "ambiguë" in row.reasons[0]["message"] and "deux sens" in row.reasons[0]["message"]
    assert "mêle" in summary.notes[0]


def test_reprocessing_a_mixed_column_does_not_guess_from_the_rows_left(
    personas: Personas, tmp_path: Path
) -> None:
    from pouls.feedback.importers.pipeline import do_reprocess_quarantine

    path = _write(tmp_path / "a.csv", ["25/11/2025", "11/26/2025", "05/06/2025"])
    summary = do_import_feedback(path, root=personas.nord)
    again = do_reprocess_quarantine(Import.objects.get(code=summary.code), {})
    assert again.accepted == 0 and QuarantinedRow.objects.filter(resolved_at=None).count() == 1
    forced = do_reprocess_quarantine(Import.objects.get(code=summary.code), {"day_first": True})
    assert forced.accepted == 1 and "2025-06-05" in _days()


def test_a_mapping_may_force_the_order(personas: Personas, tmp_path: Path) -> None:
    path = _write(tmp_path / "a.csv", ["01/09/2026", "05/06/2025"])
    summary = do_import_feedback(path, root=personas.nord, mapping={"day_first": False})
    assert _days() == ["2025-05-06", "2026-01-09"] and summary.notes == []


def test_the_cli_prints_the_note(personas: Personas, tmp_path: Path) -> None:
    from pouls.cli import main

    path = _write(tmp_path / "a.csv", ["09/01/2026"], qualtrics=True)
    result = CliRunner().invoke(main, ["import", "feedback", str(path), "--preset", "qualtrics"])
    assert result.exit_code == 0, result.output
    assert "Dates ambiguës" in result.output


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("22/11/2025 14h05", dt.datetime(2025, 11, 22, 14, 5)),
        ("22 nov. 2025", dt.datetime(2025, 11, 22)),
        ("2025-11-22T14:05", dt.datetime(2025, 11, 22, 14, 5)),
        ("45000", dt.datetime(2023, 3, 15)),
        ("25/11/2025", dt.datetime(2025, 11, 25)),
    ],
)
def test_every_form_still_reads_in_a_mixed_column(value: str, expected: dt.datetime) -> None:
    parsed = V.parse_datetime(value, day_first=None)
    assert parsed.replace(tzinfo=None) == expected
