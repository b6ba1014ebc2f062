from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pouls.feedback.importers.readers import (
    MAX_CELL_CHARS,
    FileRejected,
    detect_encoding,
    open_table,
)

HEADER = "Magasin;Date;Note;Commentaire\n"


def _rows(path: Path) -> list[tuple[int, dict[str, object], str]]:
    table = open_table(path)
    return [(r.number, r.values, r.error) for r in table.rows]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "latin-1", "utf-16"])
def test_french_text_survives_each_encoding(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "f.csv"
    path.write_bytes((HEADER + "Lille;22/11/2025;9;Très réussi, élégant\n").encode(encoding))
    rows = _rows(path)
    assert rows[0][1]["Commentaire"] == "Très réussi, élégant"
    assert list(rows[0][1]) == ["Magasin", "Date", "Note", "Commentaire"]


def test_cp1252_specials_are_read_as_windows_wrote_them(tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    path.write_bytes((HEADER + "Lille;22/11/2025;9;Prix : 49 € – l’œuvre\n").encode("cp1252"))
    assert _rows(path)[0][1]["Commentaire"] == "Prix : 49 € – l’œuvre"


def test_encoding_detection_prefers_utf8_then_cp1252() -> None:
    assert detect_encoding("é".encode()) == "utf-8"
    assert detect_encoding("\ufeffé".encode()) == "utf-8-sig"
    assert detect_encoding("œ€".encode("cp1252")) == "cp1252"
    assert detect_encoding(bytes([0x81, 0xE9])) == "latin-1"  # 0x81 is undefined in cp1252


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_the_delimiter_is_detected(tmp_path: Path, delimiter: str) -> None:
    path = tmp_path / "f.csv"
    path.write_text(
        delimiter.join(["a", "b", "c"]) + "\n" + delimiter.join(["1", "2", "trois mots ici"]) + "\n"
    )
    assert _rows(path)[0][1] == {"a": "1", "b": "2", "c": "trois mots ici"}


def test_two_header_rows_are_combined(tmp_path: Path) -> None:
    path = tmp_path / "sm.csv"
    path.write_text(
        "Respondent ID,Q1,Pourquoi ?,\n,Response,Open-Ended Response,Other\n1,9,Bien,x\n"
    )
    table = open_table(path, header_rows=2)
    assert table.header == [
        "Respondent ID",
        "Q1",
        "Pourquoi ?",  # "Open-Ended Response" says nothing: the guesses still find it
        "Pourquoi ? / Other",
    ]


def test_missing_and_extra_cells(tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    path.write_text(HEADER + "Lille;22/11/2025\nLille;22/11/2025;9;ok;en trop\n")
    rows = _rows(path)
    assert rows[0][1]["Note"] is None and rows[0][2] == ""
    assert "de plus" in rows[1][2]


def test_a_giant_cell_is_a_row_error_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    path.write_text(
        HEADER + "Lille;22/11/2025;9;" + "x" * (MAX_CELL_CHARS + 10) + "\nLille;23/11/2025;8;ok\n"
    )
    rows = _rows(path)
    assert rows[0][2] == f"cellule de plus de {MAX_CELL_CHARS} caractères"
    assert rows[-1][1]["Commentaire"] == "ok"


@pytest.mark.parametrize("content", [b"", b"\x00\x01\x02binary\x00", b"PK\x03\x04" + bytes(200)])
def test_empty_or_binary_files_are_refused(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "f.csv"
    path.write_bytes(content)
    with pytest.raises(FileRejected):
        open_table(path)


def test_unknown_formats_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "f.pdf"
    path.write_bytes(b"%PDF-1.4")
    with pytest.raises(FileRejected, match="non pris en charge"):
        open_table(path)


def test_xlsx_is_streamed_with_formulas_as_values(tmp_path: Path) -> None:
    import openpyxl

    path = tmp_path / "f.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Magasin", "Note", "Double"])
    sheet.append(["Lille", 9, "=B2*2"])
    book.save(path)
    rows = _rows(path)
    # openpyxl writes no cached value, so a formula never computed by Excel reads as empty:
    # the formula text itself is never imported.
    assert rows[0][1]["Magasin"] == "Lille" and rows[0][1]["Note"] == 9
    assert rows[0][1]["Double"] in (None, 18)


def test_an_xlsx_zip_bomb_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (50 * 1024 * 1024))
    with pytest.raises(FileRejected, match="volume anormal"):
        open_table(path)


def test_a_csv_renamed_xlsx_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "f.xlsx"
    path.write_text(HEADER)
    with pytest.raises(FileRejected, match="pas un classeur"):
        open_table(path)


def test_json_lines_with_broken_lines(tmp_path: Path) -> None:
    path = tmp_path / "f.jsonl"
    path.write_text('{"text": "Bien", "nps": 9}\n{oops\n\n[1, 2]\n{"text": "Mal"}\n')
    rows = _rows(path)
    assert [r[2] != "" for r in rows] == [False, True, True, False]
    assert rows[1][0] == 2


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.binary(max_size=2000), suffix=st.sampled_from([".csv", ".jsonl", ".xlsx", ".tsv"]))
def test_random_bytes_never_crash_a_reader(tmp_path: Path, data: bytes, suffix: str) -> None:
    path = tmp_path / f"random{suffix}"
    path.write_bytes(data)
    try:
        table = open_table(path)
    except FileRejected:
        return
    for row in table.rows:
        assert isinstance(row.values, dict)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    lines=st.lists(
        st.lists(
            st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=30), max_size=6
        ),
        max_size=15,
    ),
    delimiter=st.sampled_from([",", ";", "\t"]),
)
def test_mutated_csv_never_crash_a_reader(
    tmp_path: Path, lines: list[list[str]], delimiter: str
) -> None:
    path = tmp_path / "mutated.csv"
    body = "\n".join(delimiter.join(cells) for cells in lines)
    path.write_text(HEADER.replace(";", delimiter) + body, encoding="utf-8")
    try:
        table = open_table(path)
    except FileRejected:  # a file made mostly of NUL characters is binary: a clean refusal
        assert "\x00" in body
        return
    for row in table.rows:
        assert isinstance(row.values, dict) and isinstance(row.error, str)


def test_stray_nuls_in_a_small_file_spoil_nothing_else(tmp_path: Path) -> None:
    # Found by the property test: two NULs in a 90-byte file made it "binary".
    path = tmp_path / "f.csv"
    path.write_text(HEADER + "Lille;22/11/2025;0;\nLille;22/11/2025;0;\x00\x00\n")
    rows = _rows(path)
    assert len(rows) == 2 and rows[1][1]["Commentaire"] == ""


def test_a_stray_nul_spoils_only_its_row(tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    path.write_text(HEADER + "Lille;22/11/2025;9;ok\x00ko\n" + "Lille;23/11/2025;8;bien\n" * 300)
    rows = _rows(path)
    assert len(rows) == 301
    assert rows[0][1]["Commentaire"] == "okko" and rows[0][2] == ""
