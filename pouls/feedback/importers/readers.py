"""Read CSV, XLSX and JSON Lines files into rows of ``{column: value}``, never raising on data.

A problem with the whole file (binary content, empty file, XLSX zip bomb) raises
``FileRejected`` with a French message. A problem with one row becomes a ``RawRow`` with an
``error``, which the pipeline quarantines: nothing is dropped silently.
"""

from __future__ import annotations

import csv
import json
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

MAX_CELL_CHARS = 100_000
# A survey export has tens of columns, a wide one a few hundred: beyond this a file is not a
# table of answers, and every page that lists the columns would grow with it.
MAX_COLUMNS = 1_000
SNIFF_BYTES = 64 * 1024
# XLSX is a zip: refuse archives that would inflate past this or with absurd ratios.
MAX_XLSX_UNCOMPRESSED = 512 * 1024 * 1024
MAX_XLSX_RATIO = 200
# openpyxl reads the shared strings part whole (a 50 MB part cost ~540 MB of memory).
MAX_XLSX_SHARED_STRINGS = 32 * 1024 * 1024
MAX_XLSX_ROWS = 1_048_576  # Excel's own limit: more is a forged sheet


class FileRejected(ValueError):
    """The file as a whole cannot be read; ``message`` is for the user (French)."""


@dataclass(frozen=True, slots=True)
class RawRow:
    number: int  # 1-based line or row number in the file, as a spreadsheet shows it
    values: dict[str, Any]
    error: str = ""
    lines: int = 1  # physical lines of the file the row spans (a quoted line break adds one)

    def __reduce__(self) -> tuple[type[RawRow], tuple[int, dict[str, Any], str, int]]:
        # Rows travel to the import's worker processes: the dataclass's own pickling
        # (field by field, in Python) cost the importing process ~25 µs a row (measured).
        return (RawRow, (self.number, self.values, self.error, self.lines))


@dataclass(slots=True)
class LineCount:
    """Physical lines after the header, filled in as the rows are read: every one is in a
    row (``RawRow.lines``) or blank."""

    lines: int = 0
    blank: int = 0


@dataclass(slots=True)
class Table:
    """A file read lazily: ``header`` and an iterator of rows. ``labels`` holds, per column,
    the cells of the header rows that describe it (Qualtrics' question text and ImportId)."""

    header: list[str]
    rows: Iterator[RawRow]
    encoding: str = ""
    delimiter: str = ""
    notes: list[str] = field(default_factory=list)
    labels: dict[str, tuple[str, ...]] = field(default_factory=dict)
    count: LineCount = field(default_factory=LineCount)


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


def open_table(
    path: Path, *, header_rows: int = 1, label_rows: int = 0, sheet: str | None = None
) -> Table:
    """Open ``path`` by its extension (.csv/.txt/.tsv, .xlsx, .jsonl/.ndjson)."""
    suffix = path.suffix.lower()
    if not path.exists() or path.stat().st_size == 0:
        raise FileRejected("Le fichier est vide.")
    if suffix == ".xlsx":
        return read_xlsx(path, header_rows=header_rows, label_rows=label_rows, sheet=sheet)
    if suffix in {".jsonl", ".ndjson"}:
        return read_jsonl(path)
    if suffix in {".csv", ".txt", ".tsv"}:
        return read_csv(path, header_rows=header_rows, label_rows=label_rows)
    raise FileRejected(
        f"Format « {suffix or 'sans extension'} » non pris en charge : "
        "formats acceptés .csv, .tsv, .txt, .xlsx, .jsonl."
    )


def read_csv(path: Path, *, header_rows: int = 1, label_rows: int = 0) -> Table:
    with path.open("rb") as raw:
        sample = raw.read(SNIFF_BYTES)
    if _looks_binary(sample):
        raise FileRejected("Ce fichier n'est pas un texte CSV (contenu binaire).")
    encoding = detect_encoding(sample)
    text_sample = sample.decode(encoding, errors="replace")
    delimiter = _sniff_delimiter(text_sample)
    handle = path.open(encoding=encoding, errors="replace", newline="")
    csv.field_size_limit(MAX_CELL_CHARS)
    lines = _Lines(handle)
    reader = csv.reader(lines, delimiter=delimiter)
    header = _read_header(reader, header_rows)
    if not header:
        handle.close()
        raise FileRejected("Le fichier ne contient pas de ligne d'en-tête.")
    _check_width(len(header))
    labels = _read_labels(reader, header, label_rows)
    lines.take()  # the header's lines
    first = lines.taken + 1
    table = Table(header, iter(()), encoding, delimiter, labels=labels)
    table.rows = _csv_rows(handle, reader, lines, table, first)
    return table


class _Lines:
    """The file's physical lines as the csv module reads them, kept until the row they
    belong to is complete: a row's lines are how it is accounted for."""

    def __init__(self, handle: IO[str]) -> None:
        self.handle = handle
        self.pending: list[str] = []
        self.taken = 0

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        line = next(self.handle)
        self.pending.append(line)
        return line

    def take(self) -> list[str]:
        lines, self.pending = self.pending, []
        self.taken += len(lines)
        return lines


def _read_labels(reader: Any, header: list[str], label_rows: int) -> dict[str, tuple[str, ...]]:
    rows: list[list[str]] = []
    for _ in range(label_rows):
        try:
            rows.append(next(reader))
        except (StopIteration, csv.Error):
            break
    return _labels(header, rows)


def _labels(header: list[str], rows: list[list[Any]]) -> dict[str, tuple[str, ...]]:
    return {
        name: tuple(str(r[i]).strip() for r in rows if i < len(r) and str(r[i] or "").strip())
        for i, name in enumerate(header)
    }


def _check_width(width: int) -> None:
    if width > MAX_COLUMNS:
        raise FileRejected(
            f"Le fichier a {width} colonnes : au plus {MAX_COLUMNS} sont acceptées. "
            "Gardez les colonnes utiles et importez-le à nouveau."
        )


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


_BREAK = re.compile(r"\r\n|\r|\n")


def _csv_rows(
    handle: IO[str], reader: Any, lines: _Lines, table: Table, first: int
) -> Iterator[RawRow]:
    """Rows with the physical lines they span. A quote left open swallows the lines after
    it into one cell: when such a cell holds lines that look like rows of the file, every
    line of the record is quarantined on its own, with the reason."""
    header, count = table.header, table.count
    number = first  # the physical line the next record starts on
    try:
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                physical = lines.take()
                count.lines += len(physical)
                yield from _line_by_line(number, physical, _csv_error(exc))
                number += len(physical)
                continue
            physical = lines.take()
            span = len(physical)
            count.lines += span
            start, number = number, number + span
            if not any(c.strip() for c in cells):
                count.blank += span
                continue  # blank lines are not rows
            swallowing = _swallowing(cells, header, table.delimiter) if span > 1 else None
            if swallowing is not None:
                reason = (
                    f"guillemet ouvert dans la colonne « {swallowing[:60]} » et jamais refermé : "
                    f"il avale les lignes {start + 1} à {start + span - 1}, qui ressemblent "
                    "à des lignes de données"
                )
                yield from _line_by_line(start, physical, reason)
                continue
            row = _row(start, header, cells)
            yield row if span == 1 else RawRow(row.number, row.values, row.error, span)
    finally:
        handle.close()


def _csv_error(exc: csv.Error) -> str:
    if "field larger than field limit" in str(exc):
        return f"cellule de plus de {MAX_CELL_CHARS} caractères"
    return f"ligne illisible ({exc})"


def _line_by_line(start: int, physical: list[str], reason: str) -> Iterator[RawRow]:
    """One quarantined row per physical line, the first with ``reason``."""
    for offset, line in enumerate(physical):
        message = reason if offset == 0 else f"ligne emportée avec la ligne {start} ({reason})"
        text = _clean(line.rstrip("\r\n"))[:MAX_CELL_CHARS]
        yield RawRow(start + offset, {"_ligne": text}, message)


def _swallowing(cells: list[str], header: list[str], delimiter: str) -> str | None:
    """The column whose cell holds, after a line break, a line shaped like a row of this
    file (at least as many cells as the header less one, and three or more)."""
    wanted = max(3, len(header) - 1)
    for index, cell in enumerate(cells):
        parts = _BREAK.split(cell)
        for part in parts[1:]:
            if part.count(delimiter) + 1 >= wanted and _cells(part, delimiter) >= wanted:
                return header[index] if index < len(header) else f"colonne_{index + 1}"
    return None


def _cells(line: str, delimiter: str) -> int:
    try:
        return len(next(csv.reader([line], delimiter=delimiter)))
    except (csv.Error, StopIteration):
        return 0


def _clean(value: Any) -> Any:
    # PostgreSQL text cannot hold NUL characters; they carry nothing in a survey answer.
    return value.replace("\x00", "") if isinstance(value, str) else value


def _row(number: int, header: list[str], cells: list[Any]) -> RawRow:
    cells = [_clean(c) for c in cells]
    if any(isinstance(c, str) and len(c) > MAX_CELL_CHARS for c in cells):
        values = {
            n: c[:1000] if isinstance(c, str) else c for n, c in zip(header, cells, strict=False)
        }
        return RawRow(number, values, f"cellule de plus de {MAX_CELL_CHARS} caractères")
    values = {name: cells[i] if i < len(cells) else None for i, name in enumerate(header)}
    error = ""
    if len(cells) > len(header) and any(str(c).strip() for c in cells[len(header) :]):
        extra = len(cells) - len(header)
        values["_extra"] = cells[len(header) :]
        error = f"{extra} cellule(s) de plus que les {len(header)} colonnes de l'en-tête"
    return RawRow(number, values, error)


def read_jsonl(path: Path) -> Table:
    """JSON Lines: the header is every key met in the file, in order of first appearance
    (read in a first pass, so that the mapping sees every column before any row)."""
    with path.open("rb") as raw:
        if _looks_binary(raw.read(8192)):
            raise FileRejected("Ce fichier n'est pas du JSON Lines (contenu binaire).")
    header: dict[str, None] = {}
    with path.open(encoding="utf-8", errors="replace") as handle:
        for line in handle:
            value = _json_object(line)
            if isinstance(value, dict):
                header.update(dict.fromkeys(_clean(str(k)) for k in value))
                _check_width(len(header))
    if not header:
        raise FileRejected("Aucune ligne de ce fichier n'est un objet JSON.")
    table = Table(list(header), iter(()), "utf-8", "")
    handle = path.open(encoding="utf-8", errors="replace")
    table.rows = _jsonl_rows(handle, table)
    return table


def _json_object(line: str) -> Any:
    if not line.strip() or len(line) > MAX_CELL_CHARS * 4:
        return None
    try:
        return json.loads(line)
    except json.JSONDecodeError:
        return None


def _jsonl_rows(handle: IO[str], table: Table) -> Iterator[RawRow]:
    count = table.count
    with handle:
        for number, line in enumerate(handle, 1):
            count.lines += 1
            if not line.strip():
                count.blank += 1
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
            yield RawRow(number, {_clean(str(k)): _clean(v) for k, v in value.items()})


def check_zip(path: Path) -> None:
    """Refuse XLSX files that are not zips, that would inflate absurdly (zip bombs) or whose
    shared strings (read whole into memory by any reader) are too big."""
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
    shared = sum(i.file_size for i in infos if i.filename.lower().endswith("sharedstrings.xml"))
    if shared > MAX_XLSX_SHARED_STRINGS:
        raise FileRejected(
            f"Les textes de ce classeur occupent {shared // (1024 * 1024)} Mo une fois "
            f"décompressés : au plus {MAX_XLSX_SHARED_STRINGS // (1024 * 1024)} Mo. "
            "Enregistrez-le en CSV, ou découpez-le."
        )


def read_xlsx(
    path: Path, *, header_rows: int = 1, label_rows: int = 0, sheet: str | None = None
) -> Table:
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
    try:
        worksheet = book[sheet] if sheet else book.worksheets[0]
        _check_sheet_size(worksheet)
        rows = worksheet.iter_rows(values_only=True)
        head = _xlsx_head(rows, header_rows + label_rows)
    except FileRejected:
        book.close()
        raise
    except Exception as exc:  # a malformed sheet: openpyxl raises whatever its parser met
        book.close()
        raise FileRejected(f"Feuille Excel illisible ({type(exc).__name__}).") from None
    if not head:
        book.close()
        raise FileRejected("La feuille ne contient pas de ligne d'en-tête.")
    header = combine_header(head[:header_rows])
    if len(header) > MAX_COLUMNS:
        book.close()
        _check_width(len(header))
    table = Table(header, iter(()), "xlsx", "", labels=_labels(header, head[header_rows:]))
    table.rows = _xlsx_rows(book, rows, table, len(head))
    return table


def _xlsx_head(rows: Iterator[tuple[Any, ...]], count: int) -> list[list[str]]:
    head: list[list[str]] = []
    for _ in range(count):
        try:
            cells = next(rows)
        except StopIteration:
            break
        _check_width(len(cells))
        head.append(["" if c is None else str(c)[:MAX_CELL_CHARS] for c in cells])
    return head


def _check_sheet_size(worksheet: Any) -> None:
    """The sheet's declared size (its dimension tag), refused when absurd; a sheet that lies
    about it is still bounded by the zip checks and the row loop."""
    rows, columns = worksheet.max_row or 0, worksheet.max_column or 0
    if columns > MAX_COLUMNS:
        _check_width(columns)
    if rows > MAX_XLSX_ROWS:
        raise FileRejected(
            f"La feuille annonce {rows} lignes : au plus {MAX_XLSX_ROWS} par classeur. "
            "Enregistrez-la en CSV (sans limite de lignes) et importez le CSV."
        )


def _xlsx_rows(
    book: Any, rows: Iterator[tuple[Any, ...]], table: Table, start: int
) -> Iterator[RawRow]:
    number = start
    try:
        for number, cells in enumerate(rows, start + 1):  # noqa: B007 - read after the loop
            table.count.lines += 1
            if all(c is None or str(c).strip() == "" for c in cells):
                table.count.blank += 1
                continue
            if len(cells) > MAX_COLUMNS:
                yield RawRow(number, {}, f"ligne de {len(cells)} cellules (au plus {MAX_COLUMNS})")
                continue
            yield _row(number, table.header, list(cells))
    except Exception as exc:  # a malformed sheet part, met while streaming it
        raise FileRejected(
            f"Feuille Excel illisible après la ligne {number} ({type(exc).__name__})."
        ) from None
    finally:
        book.close()
