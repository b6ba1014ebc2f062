from __future__ import annotations

import mailbox
from email.message import EmailMessage
from pathlib import Path

from django.utils import timezone

from pouls.feedback.importers.mail import MailRule, clean_body, html_to_text, read_mail
from pouls.feedback.importers.pipeline import do_import_mail
from pouls.feedback.models import Feedback
from pouls.lib.privacy import customer_ref
from pouls.testing import Personas


def _message(to: str, body: str, *, html: str = "", msg_id: str = "<a@x>") -> EmailMessage:
    message = EmailMessage()
    message["From"] = "Client Mécontent <client.trois@example.com>"
    message["To"] = to
    message["Subject"] = "Réclamation commande"
    message["Date"] = "Sat, 22 Nov 2025 14:05:00 +0100"
    message["Message-ID"] = msg_id
    message.set_content(body)
    if html:
        message.add_alternative(html, subtype="html")
    return message


def test_quoted_replies_and_signatures_are_removed() -> None:
    body = (
        "Bonjour,\nLe lave-linge fuit depuis la livraison.\nCordialement,\nJean-Marc Lefort\n"
        "06 11 22 33 44\n\nLe 20/11/2025 à 10:00, Service client a écrit :\n"
        "> Merci de votre message"
    )
    assert clean_body(body) == "Bonjour,\nLe lave-linge fuit depuis la livraison.\nCordialement,"


def test_html_bodies_become_text() -> None:
    html = (
        "<html><head><style>p{}</style></head>"
        "<body><p>Très <b>déçu</b></p><p>du SAV</p></body></html>"
    )
    assert html_to_text(html) == "Très déçu\ndu SAV"


def test_messages_are_mapped_to_perimeters_by_address_rules(tmp_path: Path) -> None:
    (tmp_path / "a.eml").write_bytes(_message("lille@enseigne.example", "Merci !").as_bytes())
    (tmp_path / "b.eml").write_bytes(_message("contact@autre.example", "Bof.").as_bytes())
    (tmp_path / "c.eml").write_bytes(b"\x00\x01 pas un mail")
    rules = [MailRule(perimeter="SITE-LILLE", address="lille@enseigne.example")]
    rows = list(read_mail(tmp_path, rules, default_perimeter="GROUPE").rows)
    assert [r.values.get("perimeter") for r in rows] == ["SITE-LILLE", "GROUPE", None]
    assert rows[2].error.startswith("message illisible")
    assert rows[0].values["date"] == "2025-11-22T14:05:00+01:00"


def test_an_mbox_imports_once_with_hashed_senders(personas: Personas, tmp_path: Path) -> None:
    box = mailbox.mbox(tmp_path / "archive.mbox")
    box.add(
        _message(
            "lille@enseigne.example",
            "Vendeur absent, appelez-moi au 06 12 34 56 78",
            msg_id="<1@x>",
        )
    )
    box.add(
        _message(
            "lille@enseigne.example",
            "plain",
            html="<p>Livraison en retard de deux semaines.</p>",
            msg_id="<2@x>",
        )
    )
    box.flush()
    rules = [MailRule(perimeter="SITE-LILLE", address="lille@enseigne.example")]
    summary = do_import_mail(tmp_path / "archive.mbox", root=personas.nord, rules=rules)
    assert (summary.read, summary.accepted, summary.quarantined) == (2, 2, 0)
    stored = list(Feedback.objects.order_by("source_id"))
    assert {f.perimeter for f in stored} == {personas.lille}
    assert all(
        f.source_kind == "email" and f.customer_ref == customer_ref("client.trois@example.com")
        for f in stored
    )
    assert "06 12 34 56 78" not in stored[0].text and "[TÉLÉPHONE]" in stored[0].text
    again = do_import_mail(tmp_path / "archive.mbox", root=personas.nord, rules=rules)
    assert again.duplicates == 2


def test_letters_as_text_files(personas: Personas, tmp_path: Path) -> None:
    from pouls.feedback.importers.pipeline import do_import_letters

    (tmp_path / "a.txt").write_text(
        "Lille, le 3 mars 2025\n\nMadame, Monsieur,\nMon aspirateur est revenu du SAV en "
        "panne. Appelez-moi au 06 12 34 56 78.\nCordialement,\nAlain Dupuis\n",
        encoding="cp1252",
    )
    (tmp_path / "copie.txt").write_bytes((tmp_path / "a.txt").read_bytes())
    summary = do_import_letters(tmp_path, root=personas.lille)
    assert (summary.read, summary.accepted, summary.duplicates) == (2, 1, 1)
    letter = Feedback.objects.get()
    assert letter.source_kind == "letter"
    assert timezone.localtime(letter.received_at).date().isoformat() == "2025-03-03"
    assert "06 12 34 56 78" not in letter.text and "Alain Dupuis" not in letter.text


def test_the_mail_command_is_strict_only_when_asked(personas: Personas, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from pouls.cli import main

    box = mailbox.mbox(tmp_path / "archive.mbox")
    box.add(_message("lille@enseigne.example", "Colis jamais reçu.", msg_id="<1@x>"))
    undated = _message("lille@enseigne.example", "Remboursement ?", msg_id="<2@x>")
    undated.replace_header("Date", "hier soir")
    box.add(undated)
    box.flush()
    command = ["import", "mail", str(tmp_path / "archive.mbox"), "--into", "Région Nord"]
    lenient = CliRunner().invoke(main, command)
    assert lenient.exit_code == 0, lenient.output
    assert "lus 2 = acceptés 1 + en quarantaine 1 + doublons 0" in lenient.output
    assert "quarantaine — received_at : 1 ligne(s)" in lenient.output
    strict = CliRunner().invoke(main, [*command, "--strict"])
    assert strict.exit_code == 1
    assert "acceptés 0 + en quarantaine 1 + doublons 1" in strict.output
