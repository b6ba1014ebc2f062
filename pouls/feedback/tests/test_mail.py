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
    assert clean_body(body) == "Bonjour,\nLe lave-linge fuit depuis la livraison."


def test_a_quote_header_cut_over_two_lines_ends_the_text() -> None:
    body = (
        "Bonjour,\nToujours pas de remboursement.\n\n"
        "Le lun. 7 déc. 2026 à 10:12, Marie Dupont <marie.dupont@example.fr> a\nécrit :\n"
        "Bonjour Madame, votre dossier est en cours."
    )
    assert clean_body(body) == "Bonjour,\nToujours pas de remboursement."


def test_one_line_signatures_go_wherever_they_sit() -> None:
    assert clean_body("Colis arrivé ouvert.\nCordialement, Marie Dupont, 06 12 34 56 78") == (
        "Colis arrivé ouvert."
    )
    assert clean_body("Colis arrivé ouvert. Bien à vous, Marie Dupont") == "Colis arrivé ouvert."
    # "Merci" followed by more text is a sentence, not a sign-off
    text = (
        "Livraison rapide.\nMerci\n" + "Mais le carton était abîmé et il manquait la notice.\n" * 5
    )
    assert clean_body(text) == text.strip()


def test_forwarded_messages_keep_the_customer_words_without_separator_and_headers() -> None:
    body = (
        "Pour info, voir ci-dessous.\n\n---------- Forwarded message ---------\n"
        "De : Paul Durand <p.durand@example.fr>\nDate: lun. 7 déc. 2026 à 09:00\n"
        "Subject: Plainte\nTo: <contact@enseigne.example>\n\nLe SAV ne répond jamais.\nPaul"
    )
    assert clean_body(body) == "Pour info, voir ci-dessous.\n\nLe SAV ne répond jamais."
    body = "-------- Message transféré --------\nObjet : SAV\nDate : 07/12/2026\n\nRien reçu."
    assert clean_body(body) == "Rien reçu."


def test_outlook_html_signature_and_reply_header_are_skipped() -> None:
    html = (
        "<html><body><div class='WordSection1'><p>Bonjour,</p><p>Ma commande est incomplète."
        "</p><p>Il manque deux chaises.</p><div id='Signature'><p>Marc Leroux</p><p>Acheteur"
        "</p><p>Société Leroux &amp; Fils</p><p>12 rue de la Gare</p><p>59000 Lille</p><p>Tél. "
        "03 20 12 34 56</p><p>Ce message est confidentiel.</p></div><div id='divRplyFwdMsg'>"
        "<p>De : Service client</p></div><p>Ancien message</p></div></body></html>"
    )
    assert html_to_text(html) == "Bonjour,\nMa commande est incomplète.\nIl manque deux chaises."


def test_letter_formulas_and_letterheads_are_removed() -> None:
    from pouls.feedback.importers.letters import clean_letter

    letter = (
        "Geneviève Lambert\n8 allée des Lilas\n44000 Nantes\n\nService clients\nBP 123\n"
        "59000 Lille\n\nNantes, le 3 mars 2026\n\nObjet : facture contestée\n\n"
        "Madame, Monsieur,\n\nLa facture du 2 mars compte deux fois la livraison. Dans "
        "l'attente de votre réponse, je vous prie d'agréer, Madame, Monsieur, l'expression de "
        "mes salutations distinguées.\n\nGeneviève Lambert"
    )
    assert clean_letter(letter) == (
        "facture contestée\nMadame, Monsieur,\n\nLa facture du 2 mars compte deux fois la "
        "livraison."
    )


def test_an_empty_body_is_quarantined_with_its_reason(tmp_path: Path) -> None:
    from pouls.feedback.importers.mail import EMPTY_BODY

    empty = _message("contact@autre.example", "\n-- \nJean Dupont\n06 12 34 56 78\n")
    (tmp_path / "a.eml").write_bytes(empty.as_bytes())
    (row,) = read_mail(tmp_path, [], default_perimeter="GROUPE").rows
    assert row.error == EMPTY_BODY
    assert row.values["text"] == ""  # never the subject as the text


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
    strict = CliRunner().invoke(main, [*command, "--strict"])
    assert strict.exit_code == 1
    assert "lus 2 = acceptés 1 + en quarantaine 1 + doublons 0" in strict.output
    assert "quarantaine — received_at : 1 ligne(s)" in strict.output
    # Imported again: the stored message and the quarantined one are both recognised.
    lenient = CliRunner().invoke(main, command)
    assert lenient.exit_code == 0, lenient.output
    assert "acceptés 0 + en quarantaine 0 + doublons 2" in lenient.output
