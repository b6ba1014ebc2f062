"""What the mapping screen shows of an uploaded file: its columns, the guessed mapping, and a
few rows, pseudonymised like everything the server keeps or shows."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from pouls.feedback.importers.columns import label_text
from pouls.feedback.importers.mapping import (
    ColumnMapping,
    MappingError,
    Resolved,
    load_mapping,
    resolve,
)
from pouls.feedback.importers.readers import open_table
from pouls.lib import privacy

SAMPLE_ROWS = 3


@dataclass(frozen=True, slots=True)
class Preview:
    header: list[str]
    initial: dict[str, Any]
    sample: list[list[str]]
    problem: str
    labels: dict[str, str] = field(default_factory=dict)  # column -> its question text
    notes: list[str] = field(default_factory=list)  # what the import will infer (French)


def _order_choice(day_first: bool | None) -> str:
    return "auto" if day_first is None else "day" if day_first else "month"


def preview_upload(path: Path, mapping: dict[str, Any] | None, preset: str | None) -> Preview:
    column_mapping = load_mapping(mapping, preset=preset)
    table = open_table(
        path, header_rows=column_mapping.header_rows, label_rows=column_mapping.label_rows
    )
    head = list(islice(table.rows, column_mapping.skip_rows, column_mapping.skip_rows + 50))
    rows = head[:SAMPLE_ROWS]
    cells = [
        ["" if r.values.get(h) is None else str(r.values.get(h))[:200] for h in table.header]
        for r in rows
    ]
    flat = privacy.pseudonymise([c for row in cells for c in row])
    width = len(table.header)
    sample = [flat[i * width : (i + 1) * width] for i in range(len(cells))]
    initial: dict[str, Any] = {"day_first": _order_choice(column_mapping.day_first)}
    problem = ""
    notes: list[str] = []
    try:
        resolved = resolve(
            column_mapping,
            table.header,
            labels=table.labels,
            sample=[r.values for r in head if not r.error],
        )
    except MappingError as exc:
        problem = str(exc)
    else:
        for name, columns in resolved.columns.items():
            initial[name] = list(columns) if name == "text" else columns[0]
        notes = _date_notes(path, column_mapping, resolved)
    labels = {
        h: privacy.pseudonymise([" · ".join(_question(c) for c in cells)])[0][:200]
        for h, cells in table.labels.items()
        if cells
    }
    return Preview(table.header, initial, sample, problem, labels, notes if not problem else [])


def _question(cell: str) -> str:
    # Qualtrics' third header row is JSON ({"ImportId":"QID1"}): shown as its value.
    return label_text(cell) if cell.startswith("{") else cell


def _date_notes(path: Path, column_mapping: ColumnMapping, resolved: Resolved) -> list[str]:
    from pouls.feedback.importers.pipeline import date_order

    def values() -> Iterator[dict[str, Any]]:
        table = open_table(
            path, header_rows=column_mapping.header_rows, label_rows=column_mapping.label_rows
        )
        return (r.values for r in islice(table.rows, column_mapping.skip_rows, None))

    return date_order(column_mapping, resolved, values)[1]
