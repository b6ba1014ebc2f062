"""Hostile files are bounded: a French message for a file too wide, a cell too big, shared
strings too big or a sheet too long; a malformed sheet is a clear error, never a 500."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from pouls.feedback.importers import readers
from pouls.feedback.importers.pipeline import do_import_feedback
from pouls.feedback.importers.readers import FileRejected, open_table
from pouls.feedback.models import Feedback, Import
from pouls.testing import Personas


def _xlsx(path: Path, rows: list[list[object]]) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def _replace(path: Path, member: str, content: bytes) -> Path:
    """A copy of the workbook with one part replaced."""
    out = path.with_name("broken-" + path.name)
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = content if info.filename == member else source.read(info)
            target.writestr(info, data)
    return out


def test_a_csv_with_too_many_columns_is_refused_in_french(tmp_path: Path) -> None:
    path = tmp_path / "wide.csv"
    path.write_text(",".join(f"c{i}" for i in range(100_000)) + "\n" + "1," * 99_999 + "1\n")
    with pytest.raises(FileRejected, match="100000 colonnes : au plus 1000"):
        open_table(path)


def test_an_xlsx_with_too_many_columns_is_refused(tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "wide.xlsx", [[f"c{i}" for i in range(1_200)], [1] * 1_200])
    with pytest.raises(FileRejected, match="colonnes : au plus 1000"):
        open_table(path)


def test_huge_shared_strings_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(readers, "MAX_XLSX_SHARED_STRINGS", 10_000)
    path = _xlsx(tmp_path / "strings.xlsx", [["Commentaire"], ["Bien"]])
    items = "".join(f"<si><t>commentaire {i}</t></si>" for i in range(1_000))
    with zipfile.ZipFile(path, "a") as archive:  # stored: only its size matters here
        archive.writestr("xl/sharedStrings.xml", f"<sst>{items}</sst>")
    with pytest.raises(FileRejected, match="Les textes de ce classeur occupent"):
        open_table(path)


def test_a_sheet_announcing_too_many_rows_is_refused(tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "long.xlsx", [["Magasin", "Date", "NPS"], ["Site Lille", "x", 9]])
    with zipfile.ZipFile(path) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    forged = sheet.replace('<dimension ref="A1:C2" />', '<dimension ref="A1:C9000000" />')
    assert forged != sheet
    broken = _replace(path, "xl/worksheets/sheet1.xml", forged.encode())
    with pytest.raises(FileRejected, match="annonce 9000000 lignes"):
        open_table(broken)


@pytest.mark.parametrize(
    "garbage",
    [b"<worksheet><sheetData><row><c r='A1' t='s'><v>99</v></c>", b"not xml at all \x00"],
)
def test_a_malformed_sheet_is_a_clear_error(tmp_path: Path, garbage: bytes) -> None:
    path = _xlsx(tmp_path / "ok.xlsx", [["Magasin", "NPS"], ["Site Lille", 9]])
    broken = _replace(path, "xl/worksheets/sheet1.xml", garbage)
    with pytest.raises(FileRejected, match="illisible"):
        list(open_table(broken).rows)


def test_a_malformed_sheet_on_the_mapping_screen_is_a_message_not_a_500(
    client: Client, personas: Personas, settings: object, tmp_path: Path
) -> None:
    settings.UPLOAD_DIR = tmp_path  # type: ignore[attr-defined]
    path = _xlsx(tmp_path / "ok.xlsx", [["Magasin", "NPS"], ["Site Lille", 9]])
    broken = _replace(path, "xl/worksheets/sheet1.xml", b"not xml at all")
    client.force_login(personas.carol)
    response = client.post(
        reverse("feedback-import-upload"),
        {
            "perimeter": personas.nord.pk,
            "file": SimpleUploadedFile("sheet.xlsx", broken.read_bytes()),
        },
    )
    page = client.get(response["Location"], follow=True)
    assert page.status_code == 200
    assert "illisible" in page.content.decode()
    assert Import.objects.get().status == Import.Status.FAILED


def test_json_lines_import(personas: Personas, tmp_path: Path) -> None:
    path = tmp_path / "avis.jsonl"
    lines = [
        {"magasin": "Site Lille", "date": "22/11/2025", "nps": 9, "commentaire": "Parfait"},
        {"magasin": "Site Roubaix", "date": "23/11/2025", "nps": 3},
        {"magasin": "Site Lille", "date": "24/11/2025", "commentaire": "Bien", "canal": "web"},
    ]
    path.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n\n{oops\n")
    summary = do_import_feedback(path, root=personas.nord)
    assert (summary.read, summary.accepted, summary.quarantined) == (4, 3, 1)
    assert (summary.lines, summary.blank_lines) == (5, 1)
    assert Feedback.objects.get(nps=9).text == "Parfait"
