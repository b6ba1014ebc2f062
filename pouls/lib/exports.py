"""CSV exports, with spreadsheet formula injection neutralised."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from typing import Any

from django.utils import timezone

from pouls.feedback.models import Feedback

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


# Control characters other than tab and line breaks: XLSX cannot hold them (openpyxl
# refuses the whole workbook) and they carry nothing a reader of a CSV wants.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def safe_cell(value: Any) -> Any:
    """Text without control characters, and with a quote before what a spreadsheet would run
    as a formula (OWASP's advice)."""
    if not isinstance(value, str):
        return value
    value = CONTROL.sub("", value)
    if value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def to_csv(header: list[str], rows: Iterable[Iterable[Any]]) -> str:
    """A UTF-8 CSV (with BOM, so Excel reads accents) using ';' as French Excel expects."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";")
    writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
    return out.getvalue()


def to_xlsx(header: list[str], rows: Iterable[Iterable[Any]]) -> bytes:
    """An XLSX workbook written in streaming mode (constant memory), formulas neutralised."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Pouls")
    sheet.append([safe_cell(h) for h in header])
    for row in rows:
        sheet.append([safe_cell(v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


FEEDBACK_HEADER = [
    "code",
    "reçu le",
    "périmètre",
    "source",
    "canal",
    "NPS",
    "CSAT",
    "CES",
    "échelle CES",
    "verbatim",
    "langue",
    "accepte le rappel",
    "catégorie",
]


def feedback_rows(queryset: Iterable[Feedback]) -> Iterable[list[Any]]:
    """Export rows of feedback already scoped by the caller (pseudonymised texts only)."""
    for f in queryset:
        yield [
            str(f.code),
            timezone.localtime(f.received_at).strftime("%Y-%m-%d %H:%M"),
            f.perimeter.name,
            f.get_source_kind_display(),
            f.get_channel_display(),
            f.nps,
            f.csat,
            f.ces,
            f.ces_scale,
            f.text,
            f.language,
            "oui" if f.callback_consent else "non",
            f.get_category_display() if f.category else "",
        ]
