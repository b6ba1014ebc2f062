"""Read CSV, XLSX and JSON Lines files into rows of ``{column: value}``, never raising on data.

A problem with the whole file (binary content, empty file, XLSX zip bomb) raises
``FileRejected`` with a French message. A problem with one row becomes a ``RawRow`` with an
``error``, which the pipeline quarantines: nothing is dropped silently.
"""

from __future__ import annotations

import csv
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

MAX_CELL_CHARS = 100_000
SNIFF_BYTES = 64 * 1024
# XLSX is a zip: refuse archives that would inflate past this or with absurd ratios.
MAX_XLSX_UNCOMPRESSED = 512 * 1024 * 1024
MAX_XLSX_RATIO = 200


class FileRejected(ValueError):
    """The file as a whole cannot be read; ``message`` is for the user (French)."""


@dataclass(frozen=True, slots=True)
class RawRow:
    number: int  # 1-based line or row number in the file, as a spreadsheet shows it
    values: dict[str, Any]
    error: str = ""

    def __reduce__(self) -> tuple[type[RawRow], tuple[int, dict[str, Any], str]]:
        # Rows travel to the import's worker processes: the dataclass's own pickling
        # (field by field, in Python) cost the importing process ~25 µs a row (measured).
        return (RawRow, (self.number, self.values, self.error))


@dataclass(slots=True)
class Table:
    """A file read lazily: ``header`` and an iterator of rows."""

    header: list[str]
    rows: Iterator[RawRow]
    encoding: str = ""
    delimiter: str = ""
    notes: list[str] = field(default_factory=list)


def detect_encoding(sample: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with its BOM (Excel's "Unicode text"), else
    cp1252 (Windows exports), else latin-1."""
    if sample.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    for encoding in ("utf-8", "cp1252"):
        try:
            sample.decode(encoding)
        except UnicodeDecodeError as exc:
            # A multi-byte character cut at the end of the sample is not an error.
            if encoding == "utf-8" and exc.reason == "unexpected end of data":
                return encoding
            continue
        return encoding
    return "latin-1"


def _looks_binary(sample: bytes) -> bool:
    """Many NUL bytes among many control bytes mean a binary file; a stray one in a text
    file only spoils its row (even in a file of three short rows)."""
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    head = sample[:8192]
    controls = sum(head.count(byte) for byte in _CONTROL_BYTES)
    return head.count(0) > max(1, len(head) // 100) and controls * 10 > len(head)


_CONTROL_BYTES = bytes(b for b in range(32) if b not in b"\t\n\r")


def open_table(path: Path, *, header_rows: int = 1, sheet: str | None = None) -> Table:
    """Open ``path`` by its extension (.csv/.txt/.tsv, .xlsx, .jsonl/.ndjson)."""
    suffix = path.suffix.lower()
    if not path.exists() or path.stat().st_size == 0:
        raise FileRejected("Le fichier est vide.")
    if suffix == ".xlsx":
        return read_xlsx(path, header_rows=header_rows, sheet=sheet)
    if suffix in {".jsonl", ".ndjson"}:
        return read_jsonl(path)
    if suffix in {".csv", ".txt", ".tsv"}:
        return read_csv(path, header_rows=header_rows)
    raise FileRejected(
        f"Format « {suffix or 'sans extension'} » non pris en charge : "
        "formats acceptés .csv, .tsv, .txt, .xlsx, .jsonl."
    )


def read_csv(path: Path, *, header_rows: int = 1) -> Table:
    with path.open("rb") as raw:
        sample = raw.read(SNIFF_BYTES)
    if _looks_binary(sample):
        raise FileRejected("Ce fichier n'est pas un texte CSV (contenu binaire).")
    encoding = detect_encoding(sample)
    text_sample = sample.decode(encoding, errors="replace")
    delimiter = _sniff_delimiter(text_sample)
    handle = path.open(encoding=encoding, errors="replace", newline="")
    csv.field_size_limit(MAX_CELL_CHARS)
    reader = csv.reader(handle, delimiter=delimiter)
    header = _read_header(reader, header_rows)
    if not header:
        handle.close()
        raise FileRejected("Le fichier ne contient pas de ligne d'en-tête.")
    return Table(header, _csv_rows(handle, reader, header, header_rows), encoding, delimiter)


def _sniff_delimiter(sample: str) -> str:
    first_lines = "\n".join(sample.splitlines()[:20])
    try:
        return csv.Sniffer().sniff(first_lines, delimiters=",;\t|").delimiter
    except csv.Error:
        counts = {d: first_lines.count(d) for d in ",;\t|"}
        return max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","


def _read_header(reader: Any, header_rows: int) -> list[str]:
    """Combine ``header_rows`` rows into one header (SurveyMonkey's two rows)."""
    rows: list[list[str]] = []
    for _ in range(header_rows):
        try:
            rows.append(next(reader))
        except (StopIteration, csv.Error):
            break
    if not rows:
        return []
    return combine_header(rows)


# SurveyMonkey's second header row under single answers and open questions: adds nothing.
_EMPTY_SUBHEADERS = {"response", "réponse", "open-ended response", "réponse ouverte"}


def combine_header(rows: list[list[str]]) -> list[str]:
    """First row forward-filled, joined with the sub-header when it adds something."""
    width = max(len(r) for r in rows)
    header: list[str] = []
    last = ""
    for i in range(width):
        top = rows[0][i].strip() if i < len(rows[0]) else ""
        last = top or last
        parts = [last]
        for sub in rows[1:]:
            value = sub[i].strip() if i < len(sub) else ""
            if value and value.lower() not in _EMPTY_SUBHEADERS and value != last:
                parts.append(value)
        header.append(" / ".join(p for p in parts if p) or f"colonne_{i + 1}")
    return _unique(header)


def _unique(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for name in names:
        name = name.lstrip("\ufeff").strip()
        if name in seen:
            seen[name] += 1
            name = f"{name} ({seen[name]})"
        else:
            seen[name] = 1
        out.append(name)
    return out


def _csv_rows(
    handle: IO[str], reader: Any, header: list[str], header_rows: int
) -> Iterator[RawRow]:
    number = header_rows
    try:
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                number = reader.line_num
                yield RawRow(number, {}, f"ligne illisible ({exc})")
                continue
            number = reader.line_num
            if not any(c.strip() for c in cells):
                continue  # blank lines are not rows
            yield _row(number, header, cells)
    finally:
        handle.close()


def _clean(value: Any) -> Any:
    # PostgreSQL text cannot hold NUL characters; they carry nothing in a survey answer.
    return value.replace("\x00", "") if isinstance(value, str) else value


def _row(number: int, header: list[str], cells: list[Any]) -> RawRow:
    cells = [_clean(c) for c in cells]
    values = {name: cells[i] if i < len(cells) else None for i, name in enumerate(header)}
    error = ""
    if len(cells) > len(header) and any(str(c).strip() for c in cells[len(header) :]):
        extra = len(cells) - len(header)
        values["_extra"] = cells[len(header) :]
        error = f"{extra} cellule(s) de plus que les {len(header)} colonnes de l'en-tête"
    return RawRow(number, values, error)


def read_jsonl(path: Path) -> Table:
    with path.open("rb") as raw:
        if _looks_binary(raw.read(8192)):
            raise FileRejected("Ce fichier n'est pas du JSON Lines (contenu binaire).")
    handle = path.open(encoding="utf-8", errors="replace")
    header: list[str] = []
    return Table(header, _jsonl_rows(handle, header), "utf-8", "")


def _jsonl_rows(handle: IO[str], header: list[str]) -> Iterator[RawRow]:
    with handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            if len(line) > MAX_CELL_CHARS * 4:
                yield RawRow(number, {"_raw": line[:1000]}, "ligne trop longue")
                continue
            try:
                value = json.loads(line)
            except json.JSONDecodeError as exc:
                yield RawRow(number, {"_raw": line[:1000]}, f"JSON invalide ({exc.msg})")
                continue
            if not isinstance(value, dict):
                yield RawRow(number, {"_raw": line[:1000]}, "chaque ligne doit être un objet JSON")
                continue
            value = {_clean(str(k)): _clean(v) for k, v in value.items()}
            for key in value:
                if key not in header:
                    header.append(key)
            yield RawRow(number, value)


def check_zip(path: Path) -> None:
    """Refuse XLSX files that are not zips or that would inflate absurdly (zip bombs)."""
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError):
        raise FileRejected("Ce fichier n'est pas un classeur Excel .xlsx valide.") from None
    total = sum(i.file_size for i in infos)
    compressed = max(1, sum(i.compress_size for i in infos))
    if total > MAX_XLSX_UNCOMPRESSED or total / compressed > MAX_XLSX_RATIO:
        raise FileRejected(
            "Ce classeur se décompresse en un volume anormal "
            f"({total // (1024 * 1024)} Mo) : il est refusé par sécurité."
        )


def read_xlsx(path: Path, *, header_rows: int = 1, sheet: str | None = None) -> Table:
    import openpyxl

    check_zip(path)
    try:
        # read_only streams rows; data_only reads formulas as their cached values.
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types on corrupt files
        raise FileRejected(f"Classeur Excel illisible ({type(exc).__name__}).") from None
    if sheet is not None and sheet not in book.sheetnames:
        book.close()
        raise FileRejected(
            f"Feuille « {sheet} » absente ; feuilles : {', '.join(book.sheetnames)}."
        )
    worksheet = book[sheet] if sheet else book.worksheets[0]
    rows = worksheet.iter_rows(values_only=True)
    head: list[list[str]] = []
    for _ in range(header_rows):
        try:
            head.append(["" if c is None else str(c) for c in next(rows)])
        except StopIteration:
            break
    if not head:
        book.close()
        raise FileRejected("La feuille ne contient pas de ligne d'en-tête.")
    header = combine_header(head)
    return Table(header, _xlsx_rows(book, rows, header, header_rows), "xlsx", "")


def _xlsx_rows(
    book: Any, rows: Iterator[tuple[Any, ...]], header: list[str], start: int
) -> Iterator[RawRow]:
    try:
        for number, cells in enumerate(rows, start + 1):
            if all(c is None or str(c).strip() == "" for c in cells):
                continue
            yield _row(number, header, list(cells))
    finally:
        book.close()
