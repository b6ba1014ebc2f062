"""E-mails (.eml files, mbox archives, folders of them) as rows for the import pipeline.

Each message gives: date, sender (hashed later as the customer reference), Message-ID (for
de-duplication), the body as plain text without quoted replies nor signature, and a
perimeter from the address rules (first rule whose address or domain matches a recipient).
"""

from __future__ import annotations

import email
import email.policy
import email.utils
import mailbox
import re
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import EmailMessage
from html.parser import HTMLParser
from pathlib import Path

from pouls.feedback.importers.readers import FileRejected, RawRow, Table

HEADER = ["date", "from", "message_id", "subject", "perimeter", "text"]
_QUOTE_STARTS = re.compile(
    r"^(?:Le .{3,120} a écrit\s*:|On .{3,120} wrote\s*:"
    r"|-{2,}\s*(?:Original Message|Message d'origine)|De\s*:\s.+|From\s*:\s.+|_{5,})\s*$",
    re.IGNORECASE,
)
_SIGN_OFFS = re.compile(
    r"^(?:cordialement|bien cordialement|bien à vous|salutations|sincères salutations|"
    r"veuillez agréer.*|merci d'avance.*|bonne journée.*|best regards|regards)[\s,.!]*$",
    re.IGNORECASE,
)
MAX_SIGNATURE_LINES = 5


@dataclass(frozen=True, slots=True)
class MailRule:
    """Messages sent to ``address`` (or any address of ``domain``) go to ``perimeter``."""

    perimeter: str
    address: str = ""
    domain: str = ""

    def matches(self, recipients: list[str]) -> bool:
        for recipient in recipients:
            if self.address and recipient == self.address.lower():
                return True
            if self.domain and recipient.endswith("@" + self.domain.lower().lstrip("@")):
                return True
        return False


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag in {"script", "style", "head"}:
            self._skip += 1
        elif tag in {"br", "p", "div", "li", "tr"}:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style", "head"} and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    parser = _TextExtractor()
    parser.feed(html)
    text = "".join(parser.parts)
    return "\n".join(" ".join(line.split()) for line in text.splitlines()).strip()


def clean_body(text: str) -> str:
    """Drop quoted replies (from the first reply marker on) and the signature."""
    lines: list[str] = []
    for line in text.replace("\r\n", "\n").split("\n"):
        stripped = line.strip()
        if stripped.startswith(">") or _QUOTE_STARTS.match(stripped) or stripped == "--":
            break
        lines.append(line.rstrip())
    # A sign-off near the end starts the signature: keep the sign-off, drop the name below.
    for i in range(len(lines) - 1, max(-1, len(lines) - MAX_SIGNATURE_LINES - 2), -1):
        if _SIGN_OFFS.match(lines[i].strip()):
            lines = lines[: i + 1]
            break
    return "\n".join(lines).strip()


def _body(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    try:
        content = part.get_content()
    except (LookupError, UnicodeError):
        payload = part.get_payload(decode=True)
        content = payload.decode("latin-1") if isinstance(payload, bytes) else ""
    if part.get_content_type() == "text/html":
        content = html_to_text(str(content))
    return clean_body(str(content))


def _messages(path: Path) -> Iterator[tuple[int, EmailMessage | None]]:
    files = sorted(p for p in path.iterdir() if p.is_file()) if path.is_dir() else [path]
    number = 0
    for file in files:
        if file.suffix.lower() in {".mbox", ".mbx"} or file.name.lower().endswith("mbox"):
            for message in mailbox.mbox(file, factory=None, create=False):
                number += 1
                yield number, _parse(message.as_bytes())
        else:
            number += 1
            yield number, _parse(file.read_bytes())


def _parse(data: bytes) -> EmailMessage | None:
    try:
        message = email.message_from_bytes(data, policy=email.policy.default)
    except Exception:  # the email package raises many types on garbage
        return None
    return message if isinstance(message, EmailMessage) and message.get("From") else None


def read_mail(path: Path, rules: list[MailRule], *, default_perimeter: str) -> Table:
    """Messages under ``path``; those no rule maps go to ``default_perimeter``."""
    if not path.exists():
        raise FileRejected("Chemin introuvable.")
    return Table(list(HEADER), _rows(path, rules, default_perimeter))


def _date(value: str) -> str:
    try:
        return email.utils.parsedate_to_datetime(value).isoformat()
    except (TypeError, ValueError, IndexError):
        return value


def _rows(path: Path, rules: list[MailRule], default_perimeter: str) -> Iterator[RawRow]:
    for number, message in _messages(path):
        if message is None:
            yield RawRow(number, {}, "message illisible (pas un e-mail)")
            continue
        recipients = [
            a.lower()
            for _, a in email.utils.getaddresses(
                message.get_all("To", [])
                + message.get_all("Cc", [])
                + message.get_all("Delivered-To", [])
            )
        ]
        rule = next((r for r in rules if r.matches(recipients)), None)
        sender = email.utils.parseaddr(str(message.get("From", "")))[1]
        subject = str(message.get("Subject", "")).strip()
        body = _body(message)
        text = (
            f"{subject}\n{body}".strip()
            if subject and subject.lower() not in body.lower()
            else body
        )
        yield RawRow(
            number,
            {
                "date": _date(str(message.get("Date", ""))),
                "from": sender,
                "message_id": str(message.get("Message-ID", "")).strip(),
                "subject": subject,
                "perimeter": rule.perimeter if rule else default_perimeter,
                "text": text,
            },
        )
