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
EMPTY_BODY = "e-mail sans texte : le corps du message est vide (l'objet seul n'est pas gardé)"


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


# Elements that hold a signature or a quoted message in HTML mail (Gmail, Outlook on the web,
# Thunderbird, Apple Mail, Yahoo): skipped with everything inside them.
_SKIPPED_HTML = re.compile(
    r"(?i)signature|gmail_quote|gmail_attr|moz-cite-prefix|yahoo_quoted|divRplyFwdMsg|"
    r"OutlookMessageHeader|appendonsend|mail-editor-reference-message-container|"
    r"AppleOriginalContents|x_Signature|WordSection-sig"
)
_VOID_TAGS = frozenset("area base br col embed hr img input link meta source track wbr".split())


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip_depth = 0  # depth of open elements inside a skipped one
        self._stop = False  # an Outlook reply header: nothing after it is the customer's

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID_TAGS:
            if tag == "br" and not self._skip_depth:
                self.parts.append("\n")
            return
        if self._skip_depth:
            self._skip_depth += 1
            return
        marks = " ".join(v or "" for k, v in attrs if k in ("id", "class", "name"))
        if tag in {"script", "style", "head", "blockquote"} or _SKIPPED_HTML.search(marks):
            self._skip_depth = 1
            if "divRplyFwdMsg" in marks or "appendonsend" in marks:
                self._stop = True
        elif tag in {"p", "div", "li", "tr", "h1", "h2", "h3", "table"}:
            self.parts.append("\n")
        elif tag == "td":
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag not in _VOID_TAGS and self._skip_depth:
            self._skip_depth -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip_depth and not self._stop:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    parser = _TextExtractor()
    parser.feed(html)
    text = "".join(parser.parts)
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


# --- cleaning a body as a person would ------------------------------------------------------
# A reply's quote header, on one line or cut over up to four by the mail client:
# "Le lun. 7 déc. 2026 à 10:12, Marie <marie@example.fr> a\nécrit :", "On Mon, … wrote:".
_QUOTE_HEADER = re.compile(
    r"(?is)(?:le|on|el|am)\s.{3,300}?\s(?:a\s+[ée]crit|wrote|escribi[óo]|schrieb)\s*:?"
)
_QUOTE_HEADER_START = re.compile(r"(?i)^(?:le|on|el|am)\s")
_QUOTE_STARTS = re.compile(
    r"^(?:-{2,}\s*(?:Original Message|Message d['’]origine|Message initial)\s*-*"
    r"|(?:De|From|Exp[ée]diteur)\s*:\s.+|_{5,}|\*From:\*.*|"
    r"(?:Envoy[ée]|Sent)\s*:\s.+@.+)\s*$",
    re.IGNORECASE,
)
_FORWARD = re.compile(
    r"^(?:-{2,}\s*(?:Forwarded message|Message transf[ée]r[ée]|Message transmis|"
    r"Mail transf[ée]r[ée]|Courriel transf[ée]r[ée]|E-mail transf[ée]r[ée]|"
    r"Message r[ée]exp[ée]di[ée])"
    r"\s*-*|D[ée]but du message r[ée]exp[ée]dit?[ée]\s*:|Begin forwarded message\s*:)\s*$",
    re.IGNORECASE,
)
_HEADER_LINE = re.compile(
    r"^(?:De|From|Date|Envoy[ée]|Sent|Objet|Sujet|Subject|[ÀA]|Pour|To|Cc|Cci|Bcc|R[ée]pondre [àa]|"
    r"Reply-To|Exp[ée]diteur|Destinataire)\s*:",
    re.IGNORECASE,
)
# Lines that mail clients add: not the customer's words.
_NOISE = re.compile(
    r"(?i)^(?:envoy[ée] (?:de|depuis) (?:mon|l['’]|un|ma)\b.*|sent from my .*|"
    r"t[ée]l[ée]charge[rz] outlook pour .*|get outlook for .*|obtenir outlook pour .*|"
    r".*garanti sans virus.*|.*virus-free\..*|www\.avast\.com.*)$"
)
_SIGN_OFF_WORDS = (
    r"cordialement|bien cordialement|tr[èe]s cordialement|cdlt|cdt|bien [àa] vous|"
    r"salutations(?: distingu[ée]es| respectueuses)?|sinc[èe]res salutations|"
    r"meilleures salutations|respectueuses salutations|respectueusement|amicalement|"
    r"bien amicalement|merci d['’]avance|merci par avance|d['’]avance merci|"
    r"en vous remerciant(?: par avance| d['’]avance)?(?: de votre (?:compr[ée]hension|retour|"
    r"r[ée]ponse))?|bonne (?:journ[ée]e|soir[ée]e|fin de journ[ée]e)|belle journ[ée]e|"
    r"[àa] bient[ôo]t|bises|bisous|best regards|kind regards|regards|"
    r"merci(?: beaucoup| encore)?(?: et bonne (?:journ[ée]e|soir[ée]e))?"
)
_SIGN_OFF = re.compile(rf"(?i)^(?:{_SIGN_OFF_WORDS})\s*[,.!]*\s*$")
# "Cordialement, Marie Dupont, 06 12 34 56 78": a sign-off then the signature on one line.
_SIGN_OFF_INLINE = re.compile(
    rf"(?i)^(?:{_SIGN_OFF_WORDS})\s*[,.!;:-]+\s*(?-i:[A-ZÀ-Þ0-9+]).{{0,150}}$"
)
# "… arrivé ouvert. Cordialement, Marie Dupont": a sign-off after a sentence, on its line.
_SIGN_OFF_AFTER_SENTENCE = re.compile(
    rf"(?i)(?<=[.!?] )(?:{_SIGN_OFF_WORDS})\s*[,.!;:-]*\s*(?:(?-i:[A-ZÀ-Þ0-9+]).{{0,150}})?$"
)
# French letter formulas: the sentence that holds one starts the sign-off, wherever it sits.
_FORMULA = re.compile(
    r"(?i)(?:je vous prie|nous vous prions|veuillez|je vous demande)\s*,?\s*(?:[^.]{0,60}?,\s*)?"
    r"(?:d['’]agr[ée]er|agr[ée]er|de recevoir|de croire|d['’]accepter|recevoir|croire)"
    r"|recevez\s*,?\s*(?:madame|monsieur|messieurs|mes|nos|l['’]expression)"
    r"|je vous adresse(?:[^.]{0,60})? mes (?:sinc[èe]res |meilleures |respectueuses )?salutations"
    r"|(?:avec|en vous adressant) mes (?:sinc[èe]res |respectueuses |meilleures )?salutations"
)
_BARE_THANKS = re.compile(r"(?i)merci(?: beaucoup| bien| encore| à vous)?\s*[!.,]*")
_PS = re.compile(r"(?i)^(?:p\.?\s?s\.?|ps)\s*[:.-]")


def clean_body(text: str) -> str:
    """The customer's own words in a message: without quoted replies (from the first quote
    header or ``>`` line on), forwarded-message separators and headers, mail-client lines, and
    the sign-off with the signature after it (one-line, multi-line, letter formulas); a
    "P.-S." after the signature is kept. A greeting alone gives an empty text."""
    lines = _unsigned(_unquoted(text.replace("\r\n", "\n").replace("\r", "\n").split("\n")))
    if all(_is_greeting(x.strip()) for x in lines if x.strip()):
        return ""  # "Bonjour," then a signature: nothing the customer said
    return "\n".join(lines).strip()


def _unquoted(lines: list[str]) -> list[str]:
    kept: list[str] = []
    i = 0
    while i < len(lines):
        stripped = lines[i].strip()
        if _FORWARD.match(stripped):
            i += 1  # the separator, then the forwarded message's headers
            while i < len(lines) and (_HEADER_LINE.match(lines[i].strip()) or not lines[i].strip()):
                i += 1
            continue
        if stripped.startswith(">") or _QUOTE_STARTS.match(stripped) or stripped in ("--", "-- "):
            break
        if _QUOTE_HEADER_START.match(stripped) and any(
            _QUOTE_HEADER.fullmatch(" ".join(x.strip() for x in lines[i : i + n]))
            for n in range(1, 5)
        ):
            break
        if not _NOISE.match(stripped):
            kept.append(lines[i].rstrip())
        i += 1
    return kept


def _unsigned(lines: list[str]) -> list[str]:
    """Cut at the first sign-off that follows some text; keep a P.-S. written after it."""
    seen_text = False
    for i, line in enumerate(lines):
        stripped = line.strip()
        formula = _FORMULA.search(stripped) or _SIGN_OFF_AFTER_SENTENCE.search(stripped)
        if formula:
            start = _sentence_start(stripped, formula.start())
            head = stripped[:start].rstrip()
            if seen_text or head:
                return [*lines[:i], *([head] if head else []), *_postscript(lines[i + 1 :])]
        if (seen_text or i) and (_SIGN_OFF.match(stripped) or _SIGN_OFF_INLINE.match(stripped)):
            if not seen_text and _BARE_THANKS.fullmatch(stripped):
                continue  # "Bonjour,\nMerci !": the thanks are the message
            if _SIGN_OFF.match(stripped) and stripped.lower().startswith("merci"):
                # "Merci !" ends many messages but is also a whole sentence: a sign-off only
                # when what follows is short (a name, a phone), not more text.
                rest = [x for x in lines[i + 1 :] if x.strip()]
                if len(rest) > 4 or any(len(x) > 80 for x in rest):
                    continue
            return [*lines[:i], *_postscript(lines[i + 1 :])]
        if stripped and not _is_greeting(stripped):
            seen_text = True
    return _without_name_line(lines)


def _without_name_line(lines: list[str]) -> list[str]:
    """Drop a last line that is only a name ("Paul", "J. Martin", "Marie-Anne D."): a
    signature written without a sign-off."""
    from pouls_analysis.privacy.names import SURNAMES, is_first_name

    filled = [i for i, x in enumerate(lines) if x.strip()]
    if len(filled) < 2:
        return lines
    last = lines[filled[-1]].strip().rstrip(".")
    words = last.replace(",", " ").split()
    if (
        1 <= len(words) <= 4
        and all(_NAME_WORD.fullmatch(w) for w in words)
        and any(is_first_name(w.rstrip(".")) or w.lower() in SURNAMES for w in words)
    ):
        return lines[: filled[-1]]
    return lines


_NAME_WORD = re.compile(r"[A-ZÀ-Þ][a-zà-ÿA-ZÀ-Þ'’-]*\.?|[A-Z]\.")


def _sentence_start(line: str, at: int) -> int:
    """Where the sentence holding ``line[at]`` starts ("… merci. Dans l'attente, je vous prie")."""
    cut = max(line.rfind(". ", 0, at), line.rfind("! ", 0, at), line.rfind("? ", 0, at))
    return cut + 2 if cut >= 0 else 0


def _postscript(lines: list[str]) -> list[str]:
    for i, line in enumerate(lines):
        if _PS.match(line.strip()):
            return ["", *[x for x in lines[i:] if not _NOISE.match(x.strip())]]
    return []


_GREETING = re.compile(
    r"(?i)^(?:bonjour|bonsoir|hello|salut|madame|monsieur|mademoiselle|messieurs|mesdames|"
    r"cher|ch[èe]re|chers|[àa] l['’]attention|objet)\b[^.!?]{0,60}[,:!]?$"
)


def _is_greeting(line: str) -> bool:
    return bool(_GREETING.match(line))


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
        values = {
            "date": _date(str(message.get("Date", ""))),
            "from": sender,
            "message_id": str(message.get("Message-ID", "")).strip(),
            "subject": subject,
            "perimeter": rule.perimeter if rule else default_perimeter,
            "text": body,
        }
        if not body:  # never the subject alone as the customer's text
            yield RawRow(number, values, EMPTY_BODY)
            continue
        if subject and subject.lower() not in body.lower():
            values["text"] = f"{_bare_subject(subject)}\n{body}".strip()
        yield RawRow(number, values)


def _bare_subject(subject: str) -> str:
    """The subject without reply and forward prefixes ("RE: TR: Fwd: Commande 458")."""
    return re.sub(r"(?i)^(?:\s*(?:re|tr|fwd?|fw|réf|ref)\s*(?:\[\d+\])?\s*:\s*)+", "", subject)
