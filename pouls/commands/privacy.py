"""``pouls evaluate privacy``: precision and recall of the pseudonymiser per kind of personal data.

Runs without Django on a labelled JSON Lines file (default: the project's hand-written French
set, ``pouls_analysis/tests/data/pii_fr.jsonl``). Scores are span-level, per kind, with exact
matching (same kind, start and end) and overlap matching (same kind, spans intersect); the
``tune`` and ``test`` splits are reported apart, ``test`` being the part not looked at while
writing the rules.

With ``--mail``, it also reads the labelled French e-mails and letters
(``pouls/feedback/tests/data/mail_fr.jsonl``) through the real mail and letter readers and
reports what the cleaning leaves: the share of quoted, signature, forward-header and letterhead
lines still in the text, the customer's lines lost, the empty bodies quarantined, and the
personal-data characters readable after cleaning and after pseudonymisation.
"""

from __future__ import annotations

import html
import json
import re
import tempfile
import time
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import click

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "pouls_analysis/tests/data/pii_fr.jsonl"


@click.command(name="privacy")
@click.option(
    "--data",
    "data_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=DEFAULT_DATA,
    show_default="pouls_analysis/tests/data/pii_fr.jsonl",
    help="Labelled JSON Lines: text, spans [{start, end, kind}], optional split (tune/test).",
)
@click.option("--no-ner", is_flag=True, help="Patterns only, without spaCy's NER.")
@click.option(
    "--speed-rows",
    type=int,
    default=0,
    help="Also time transform() on this many texts drawn (repeated) from the file.",
)
@click.option(
    "--mail",
    "mail",
    is_flag=True,
    help="Also score the cleaning of e-mails and letters (quotes, signatures, letterheads).",
)
@click.option(
    "--mail-data",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Labelled e-mails and letters (default: pouls/feedback/tests/data/mail_fr.jsonl).",
)
def privacy(
    data_path: Path, no_ner: bool, speed_rows: int, mail: bool, mail_data: Path | None
) -> None:
    """Score the pseudonymiser per kind (e-mail, phone, IBAN, card, NIR, address, name).

    Prints JSON: per split, per kind, precision and recall with exact and overlap matching, the
    share of personal-data characters left unmasked, and texts per second.

    Example: pouls evaluate privacy --speed-rows 20000
    """
    from pouls_analysis.exceptions import AnalysisError
    from pouls_analysis.privacy import Pseudonymiser
    from pouls_analysis.privacy.evaluate import evaluate, load_labelled

    try:
        rows = load_labelled(data_path)
    except AnalysisError as exc:
        raise click.ClickException(str(exc)) from exc
    pseudonymiser = Pseudonymiser(use_ner=not no_ner).fit()  # loads spaCy outside the timing
    report: dict[str, Any] = {"data": str(data_path), "ner": not no_ner}
    report.update(evaluate(rows, pseudonymiser))
    if speed_rows > 0:
        texts = [rows[i % len(rows)].text for i in range(speed_rows)]
        started = time.perf_counter()
        pseudonymiser.transform(texts)
        seconds = time.perf_counter() - started
        report["speed"] = {"texts": speed_rows, "texts_per_second": round(speed_rows / seconds, 1)}
    if mail or mail_data:
        report["mail"] = evaluate_mail(mail_data or MAIL_DATA, pseudonymiser)
    click.echo(json.dumps(report, indent=2, ensure_ascii=False))


# --- e-mails and letters: what the cleaning leaves -------------------------------------------
MAIL_DATA = Path(__file__).resolve().parents[1] / "feedback/tests/data/mail_fr.jsonl"
_TAG = re.compile(r"\{(\w+)\|([^{}]*)\}")


def _untag(text: str) -> tuple[str, list[tuple[str, str]]]:
    return _TAG.sub(lambda m: m.group(2), text), [
        (m.group(2), m.group(1)) for m in _TAG.finditer(text)
    ]


def _plain(segments: list[list[str]]) -> str:
    out = ""
    for text, _, joiner in segments:
        out += (joiner if out else "") + _untag(text)[0]
    return out


def _html(doc: dict[str, Any]) -> str:
    """The document as the HTML part an Outlook (even ids) or Gmail (odd ids) client writes."""
    outlook = int(doc["id"][-3:]) % 2 == 0
    parts, role_open = ["<html><body><div dir='ltr'>"], ""
    closers = {"signature": "</div>", "quote": "</blockquote></div>" if not outlook else "</div>"}
    for text, role, _ in doc["segments"]:
        line = html.escape(_untag(text)[0]) or "<br>"
        if role != role_open and role in ("signature", "quote"):
            parts.append(closers.get(role_open, ""))
            if role == "signature":
                parts.append("<div id='Signature'>" if outlook else "<div class='gmail_signature'>")
            else:
                parts.append(
                    "<div id='divRplyFwdMsg'>"
                    if outlook
                    else "<div class='gmail_quote'><blockquote>"
                )
            role_open = role
        parts.append(f"<div>{line}</div>")
    parts.append(closers.get(role_open, "") + "</div></body></html>")
    return "".join(parts)


def _as_file(doc: dict[str, Any], folder: Path) -> Path:
    if doc["kind"] == "letter":
        path = folder / f"{doc['id']}.txt"
        path.write_text(_plain(doc["segments"]), encoding="utf-8")
        return path
    message = EmailMessage()
    message["From"] = "client@example.org"
    message["To"] = "contact@enseigne.example"
    message["Subject"] = "Réclamation"
    message["Message-ID"] = f"<{doc['id']}@example.org>"
    if doc["format"] == "html":
        message.set_content(_html(doc), subtype="html")
    else:
        message.set_content(_plain(doc["segments"]))
    path = folder / f"{doc['id']}.eml"
    path.write_bytes(message.as_bytes())
    return path


def evaluate_mail(path: Path, pseudonymiser: Any) -> dict[str, Any]:
    """Read each labelled message through the real readers (``read_mail``/``read_letters``),
    then count the segments left that should have gone, the customer's segments lost, the
    empty bodies quarantined, and the personal-data characters readable after cleaning and
    after pseudonymisation."""
    from pouls.feedback.importers.letters import read_letters
    from pouls.feedback.importers.mail import read_mail

    docs = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    report: dict[str, Any] = {"documents": len(docs)}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        rows = {}
        for doc in docs:
            file = _as_file(doc, folder)
            if doc["kind"] == "letter":
                (row,) = read_letters(file, default_perimeter="X").rows
            else:
                (row,) = read_mail(file, [], default_perimeter="X").rows
            rows[doc["id"]] = row
    texts = {k: str(r.values.get("text", "")) for k, r in rows.items()}
    masked = dict(zip(texts, pseudonymiser.transform(list(texts.values())), strict=True))
    for split in ("all", "tune", "test"):
        chosen = [d for d in docs if split in ("all", d["split"])]
        report[split] = _mail_scores(chosen, rows, texts, masked)
    return report


def _ratio(num: int, den: int) -> float | None:
    return round(num / den, 4) if den else None


def _mail_scores(
    docs: list[dict[str, Any]], rows: dict[str, Any], texts: dict[str, str], masked: dict[str, str]
) -> dict[str, Any]:
    c = dict.fromkeys(
        (
            "drop",
            "drop_left",
            "keep",
            "keep_lost",
            "empty",
            "empty_quarantined",
            "pii_chars",
            "pii_to_remove",
            "pii_left_cleaned",
            "pii_left_stored",
        ),
        0,
    )
    by_role: dict[str, list[int]] = {}
    for doc in docs:
        text, stored = texts[doc["id"]], masked[doc["id"]]
        has_words = any(
            role == "body" and not _GREETING_ONLY.match(_untag(t)[0].strip())
            for t, role, _ in doc["segments"]
            if _untag(t)[0].strip()
        )
        if not has_words:
            c["empty"] += 1
            c["empty_quarantined"] += bool(rows[doc["id"]].error)
        for raw, role, _ in doc["segments"]:
            line, pii = _untag(raw)
            line = line.strip()
            if len(line) >= 3:
                if role in ("body", "subject") and not has_words:
                    pass  # a greeting alone: the message is quarantined, nothing to keep
                elif role in ("body", "subject"):
                    wanted = line.split(":", 1)[1].strip() if role == "subject" else line
                    c["keep"] += 1
                    c["keep_lost"] += wanted not in text
                else:
                    left = line in text
                    c["drop"] += 1
                    c["drop_left"] += left
                    by_role.setdefault(role, [0, 0])
                    by_role[role][0] += 1
                    by_role[role][1] += left
            for value, _ in pii:
                c["pii_chars"] += len(value)
                c["pii_left_stored"] += len(value) if value in stored else 0
                if role not in ("body", "subject"):
                    c["pii_to_remove"] += len(value)
                    c["pii_left_cleaned"] += len(value) if value in text else 0
    return {
        "documents": len(docs),
        "lines_to_remove": c["drop"],
        "left_share": _ratio(c["drop_left"], c["drop"]),
        "left_share_by_role": {r: _ratio(v[1], v[0]) for r, v in sorted(by_role.items())},
        "customer_lines": c["keep"],
        "customer_lines_lost_share": _ratio(c["keep_lost"], c["keep"]),
        "empty_bodies": c["empty"],
        "empty_bodies_quarantined": c["empty_quarantined"],
        "personal_data_chars": c["pii_chars"],
        "personal_data_chars_in_removed_lines": c["pii_to_remove"],
        "of_which_left_after_cleaning": _ratio(c["pii_left_cleaned"], c["pii_to_remove"]),
        "personal_data_left_stored": _ratio(c["pii_left_stored"], c["pii_chars"]),
    }


_GREETING_ONLY = re.compile(
    r"(?i)^(?:bonjour|bonsoir|hello|madame|monsieur|messieurs)\b[^.!?]{0,40}[,:!]?$"
)
