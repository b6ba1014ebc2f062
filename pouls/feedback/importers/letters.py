"""Letters transcribed as text files: one .txt per letter, in a folder (or a single file).

The text is the body as a person would read it: the letterhead (sender's and recipient's
address blocks, place and date, references) goes, the subject line stays; the letter formula
(« Je vous prie d'agréer… ») and the signature below it go (:func:`clean_letter`). A letter
with nothing left is quarantined with its reason.

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
        raw = data.decode(detect_encoding(data), errors="replace")
        text = clean_letter(raw)
        found = _DATE_IN_TEXT.search(raw[:600])
        date = (
            found.group(1)
            if found
            else dt.datetime.fromtimestamp(file.stat().st_mtime, tz=dt.UTC).isoformat()
        )
        values = {
            "date": date,
            # The content identifies a letter: the same letter scanned twice is one letter.
            "letter_id": "lettre:"
            + hashlib.sha256((text or raw.strip()).encode()).hexdigest()[:32],
            "perimeter": default_perimeter,
            "text": text,
        }
        yield RawRow(number, values, "" if text else EMPTY_LETTER)


EMPTY_LETTER = "lettre sans texte : rien ne reste une fois l'en-tête et la signature retirés"
_SALUTATION = re.compile(
    r"(?i)^(?:madame|monsieur|mademoiselle|messieurs|mesdames|bonjour|bonsoir|cher|ch[èe]re|"
    r"chers|[àa] qui de droit)\b[^.!?]{0,50}[,:!]?$"
)
_SUBJECT_LINE = re.compile(r"(?i)^(?:objet|obj\.|concerne)\s*:\s*(.+)$")
_PLACE_DATE = re.compile(
    r"(?i)^(?:[A-ZÀ-Þ][\w' -]{1,40},\s*)?(?:le\s+)?(?:lundi |mardi |mercredi |jeudi |vendredi |"
    r"samedi |dimanche )?\d{1,2}(?:er)?[ /.-](?:\d{1,2}|janvier|f[ée]vrier|mars|avril|mai|juin|"
    r"juillet|ao[ûu]t|septembre|octobre|novembre|d[ée]cembre)[ /.-]\d{2,4}\.?$"
)
MAX_LETTERHEAD_LINES = 30


def clean_letter(text: str) -> str:
    """The body of a transcribed letter: the letterhead removed (everything before the
    salutation, or before the place-and-date line when there is no salutation; the subject
    line is kept), then the formula and signature removed as in an e-mail."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    head = [x.strip() for x in lines[:MAX_LETTERHEAD_LINES]]
    start = next((i for i, x in enumerate(head) if _SALUTATION.match(x)), None)
    if start is None:
        dated = [i for i, x in enumerate(head) if _PLACE_DATE.match(x)]
        start = dated[0] + 1 if dated else 0
    subjects = [m.group(1) for x in head[:start] if (m := _SUBJECT_LINE.match(x))]
    body = lines[start:]
    while body and (not body[0].strip() or _SUBJECT_LINE.match(body[0].strip())):
        subject = _SUBJECT_LINE.match(body.pop(0).strip())
        if subject:
            subjects.append(subject.group(1))
    return clean_body("\n".join([*subjects, *body]))
