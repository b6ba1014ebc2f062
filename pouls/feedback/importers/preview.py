"""What the mapping screen shows of an uploaded file: its columns, the guessed mapping, and a
few rows, pseudonymised like everything the server keeps or shows."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

from pouls.feedback.importers.mapping import MappingError, load_mapping, resolve
from pouls.feedback.importers.readers import open_table
from pouls.lib import privacy

SAMPLE_ROWS = 3


@dataclass(frozen=True, slots=True)
class Preview:
    header: list[str]
    initial: dict[str, Any]
    sample: list[list[str]]
    problem: str


def preview_upload(path: Path, mapping: dict[str, Any] | None, preset: str | None) -> Preview:
    column_mapping = load_mapping(mapping, preset=preset)
    table = open_table(path, header_rows=column_mapping.header_rows)
    rows = list(
        islice(table.rows, column_mapping.skip_rows, column_mapping.skip_rows + SAMPLE_ROWS)
    )
    cells = [
        ["" if r.values.get(h) is None else str(r.values.get(h))[:200] for h in table.header]
        for r in rows
    ]
    flat = privacy.pseudonymise([c for row in cells for c in row])
    width = len(table.header)
    sample = [flat[i * width : (i + 1) * width] for i in range(len(cells))]
    initial: dict[str, Any] = {"day_first": column_mapping.day_first}
    problem = ""
    try:
        resolved = resolve(column_mapping, table.header)
    except MappingError as exc:
        problem = str(exc)
    else:
        for name, columns in resolved.columns.items():
            initial[name] = list(columns) if name == "text" else columns[0]
    return Preview(table.header, initial, sample, problem)
