"""Letters transcribed as text files: one .txt per letter, in a folder (or a single file).

The date comes from the first date written in the letter (French forms such as "Lille, le
3 mars 2025"), else from the file's modification time; the perimeter from the folder rules
of the caller (default perimeter). A CSV of transcriptions goes through the ordinary
feedback import with ``defaults: {source_kind: letter, channel: mail}``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterator
from pathlib import Path

from pouls.feedback.importers.mail import clean_body
from pouls.feedback.importers.readers import FileRejected, RawRow, Table, detect_encoding

HEADER = ["date", "letter_id", "perimeter", "text"]
_DATE_IN_TEXT = re.compile(
    r"\b(?:le\s+)?(\d{1,2}(?:er)?\s+(?:janvier|février|fevrier|mars|avril|mai|juin|juillet|"
    r"août|aout|septembre|octobre|novembre|décembre|decembre)\s+\d{4}|\d{1,2}/\d{1,2}/\d{4})\b",
    re.IGNORECASE,
)
MAX_LETTER_BYTES = 1_000_000


def read_letters(path: Path, *, default_perimeter: str) -> Table:
    if not path.exists():
        raise FileRejected("Chemin introuvable.")
    files = sorted(p for p in path.rglob("*.txt")) if path.is_dir() else [path]
    if not files:
        raise FileRejected("Aucun fichier .txt dans ce dossier.")
    return Table(list(HEADER), _rows(files, default_perimeter))


def _rows(files: list[Path], default_perimeter: str) -> Iterator[RawRow]:
    for number, file in enumerate(files, 1):
        data = file.read_bytes()[: MAX_LETTER_BYTES + 1]
        if len(data) > MAX_LETTER_BYTES or b"\x00" in data[:4096]:
            yield RawRow(number, {"letter_id": file.name}, "fichier trop gros ou non textuel")
            continue
        text = clean_body(data.decode(detect_encoding(data), errors="replace"))
        found = _DATE_IN_TEXT.search(text[:600])
        date = (
            found.group(1)
            if found
            else dt.datetime.fromtimestamp(file.stat().st_mtime, tz=dt.UTC).isoformat()
        )
        yield RawRow(
            number,
            {
                "date": date,
                # The content identifies a letter: the same letter scanned twice is one letter.
                "letter_id": "lettre:" + hashlib.sha256(text.encode()).hexdigest()[:32],
                "perimeter": default_perimeter,
                "text": text,
            },
        )
