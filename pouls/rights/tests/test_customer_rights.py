"""Issue 18 item 6: a customer's data found, exported and erased from an e-mail or a phone
number (GDPR art. 15 and 17), and the retention purge."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

from django.core.management import call_command
from django.utils import timezone

from pouls.callbacks.models import CallLog
from pouls.feedback.importers.pipeline import do_import_feedback
from pouls.feedback.models import CallbackContact, Feedback, QuarantinedRow
from pouls.lib import privacy
from pouls.org.models import AuditEvent
from pouls.rights.customers import (
    do_erase_customer,
    export_json,
    find_customer_data,
    identity_variants,
)
from pouls.rollups.models import MetricValue
from pouls.surveys.models import Invitation
from pouls.testing import (
    Personas,
    make_callback,
    make_feedback,
    make_grant,
    make_survey,
    make_user,
    refresh_rollups,
    text_cells,
)

EMAIL = "Claire.Fabre@example.org"
PHONE = "06 11 22 33 44"
OTHER = "autre.client@example.org"

EXPORT = f"""Magasin;Date;NPS;Commentaire;Email;Rappel
Site Lille;02/03/2026;2;Livraison en retard de deux semaines.;{EMAIL};oui
Site Lille;05/03/2026;8;Bon accueil au rayon jardin.;claire.fabre@example.org;non
Site Lille;06/03/2026;quinze;Note illisible sur le bon.;claire.fabre@example.org;oui
Site Roubaix;07/03/2026;3;Vendeur introuvable samedi.;{PHONE};oui
Site Roubaix;08/03/2026;9;Parfait, merci.;{OTHER};oui
Site Marseille;09/03/2026;1;Produit cassé à l'ouverture.;{EMAIL};oui
"""


def _import(personas: Personas, tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text(EXPORT, encoding="utf-8")
    summary = do_import_feedback(path, root=personas.group)
    assert (summary.accepted, summary.quarantined) == (5, 1)
    # The follow-up loop: a callback with a call note and a follow-up survey invitation.
    detractor = Feedback.objects.get(perimeter=personas.lille, nps=2)
    callback = make_callback(feedback=detractor)
    CallLog.objects.create(
        callback=callback, perimeter=personas.lille, outcome="reached", note="Rappelée, geste fait."
    )
    link = make_survey(perimeter=personas.lille).links.first()
    assert link is not None
    Invitation.objects.create(link=link, perimeter=personas.lille, callback=callback)
    refresh_rollups()


def _linkable(values: list[str]) -> list[tuple[str, str, str]]:
    """Cells of any table holding one of ``values`` (case-insensitive)."""
    wanted = [v.lower() for v in values]
    return [
        (table, column, text[:80])
        for table, column, text in text_cells()
        if any(v in text.lower() for v in wanted)
    ]


def _rollups() -> list[tuple[object, ...]]:
    names = [f.attname for f in MetricValue._meta.concrete_fields if f.name != "id"]
    return sorted(MetricValue.objects.values_list(*names), key=repr)


def test_the_phone_number_is_tried_as_people_write_it() -> None:
    variants = identity_variants("+33 6 11 22 33 44")
    assert {"0611223344", "06 11 22 33 44", "06.11.22.33.44", "+33611223344"} <= set(variants)
    assert identity_variants("  Claire.Fabre@Example.org ") == [
        "Claire.Fabre@Example.org",
        "claire.fabre@example.org",
    ]


def test_an_admin_finds_and_exports_everything_in_scope(personas: Personas, tmp_path: Path) -> None:
    _import(personas, tmp_path)
    nadia = make_user("nadia")
    make_grant(nadia, personas.nord, "admin")
    found = find_customer_data(nadia, "claire.fabre@EXAMPLE.org")
    # Two feedback in Lille (not the one in Marseille, outside her scope), one contact (the
    # second one did not consent), the callback, its call, the invitation; not the
    # quarantined row, which belongs to the import into the whole group.
    assert len(found.feedback) == 2
    assert [c.contact for c in found.contacts] == [EMAIL]
    assert (len(found.callbacks), len(found.call_logs)) == (1, 1)
    assert (len(found.quarantine), len(found.invitations)) == (0, 1)
    assert len(find_customer_data(personas.alice, EMAIL).quarantine) == 1
    exported = json.loads(export_json(found))
    assert exported["coordonnees"][0]["coordonnees"] == EMAIL
    assert {r["texte"] for r in exported["retours"]} == {
        "Livraison en retard de deux semaines.",
        "Bon accueil au rayon jardin.",
    }
    # The phone as the customer says it on the phone, not as the file had it.
    assert len(find_customer_data(nadia, "+33 6 11 22 33 44").feedback) == 1
    # An analyst of the same region is not an admin: nothing.
    assert find_customer_data(personas.carol, EMAIL).total == 0


def test_the_command_exports_csv(personas: Personas, tmp_path: Path) -> None:
    _import(personas, tmp_path)
    out = tmp_path / "client.csv"
    call_command("customer_data", EMAIL, "--export", "csv", "--output", str(out))
    text = out.read_text(encoding="utf-8")
    assert "Produit cassé" in text and "Livraison en retard" in text and EMAIL in text


def test_after_erasure_no_row_of_any_table_links_to_the_customer(
    personas: Personas, tmp_path: Path
) -> None:
    """The must-show erasure test: every text cell of every table is searched for the
    e-mail, the phone (as written and as digits) and every keyed reference they give."""
    _import(personas, tmp_path)
    refs = {privacy.customer_ref(v) for v in identity_variants(EMAIL) + identity_variants(PHONE)}
    planted = [EMAIL, "0611223344", PHONE, *refs]
    assert _linkable(planted), "the test must first see the customer somewhere"
    kept = Feedback.objects.get(customer_ref=privacy.customer_ref(OTHER))

    for identity in (EMAIL, "+33 6 11 22 33 44"):
        do_erase_customer(personas.alice, identity)

    assert _linkable(planted) == []
    # Only their rows went: the other customer's feedback and contact stay.
    assert Feedback.objects.filter(pk=kept.pk).exists()
    assert list(CallbackContact.objects.values_list("contact", flat=True)) == [OTHER]
    assert not QuarantinedRow.objects.exists() and not Invitation.objects.exists()
    # The rollups count only what is left: the same as rebuilt from scratch.
    refreshed = _rollups()
    from pouls.rollups.fill import rebuild_all

    rebuild_all()
    assert refreshed == _rollups()
    # One audit line per erasure, counts only.
    events = list(
        AuditEvent.objects.filter(action="erasure").order_by("pk").values_list("target", "detail")
    )
    assert events == [
        ("client", {"kind": "customer", "count": 3, "rows": 9}),
        ("client", {"kind": "customer", "count": 1, "rows": 2}),
    ]


def test_an_admin_erases_only_in_scope(personas: Personas, tmp_path: Path) -> None:
    _import(personas, tmp_path)
    nadia = make_user("nadia")
    make_grant(nadia, personas.nord, "admin")
    erased = do_erase_customer(nadia, EMAIL)
    assert erased.feedback == 2 and erased.periods_refreshed > 0
    left = Feedback.objects.filter(customer_ref=privacy.customer_ref(EMAIL))
    assert [f.perimeter for f in left] == [personas.marseille]


def test_the_command_erases_with_confirmation(personas: Personas, tmp_path: Path) -> None:
    _import(personas, tmp_path)
    out = io.StringIO()
    call_command("customer_data", EMAIL, "--erase", "--yes", stdout=out)
    assert "Effacé : 3 retour(s), 2 coordonnée(s)" in out.getvalue()
    assert find_customer_data(None, EMAIL).total == 0
    assert AuditEvent.objects.get(action="erasure").actor is None


def test_retention_purges_old_texts_and_contacts(personas: Personas, settings: object) -> None:
    settings.POULS_RETENTION_MONTHS = 12  # type: ignore[attr-defined]
    now = timezone.now()
    old = make_feedback(
        perimeter=personas.lille, text="Ancien avis.", received_at=now - dt.timedelta(days=400)
    )
    recent = make_feedback(
        perimeter=personas.lille, text="Avis récent.", received_at=now - dt.timedelta(days=300)
    )
    for feedback in (old, recent):
        CallbackContact.objects.create(
            feedback=feedback,
            perimeter=personas.lille,
            contact=f"client{feedback.pk}@example.org",
            expires_at=now + dt.timedelta(days=30),
        )
    out = io.StringIO()
    call_command("purge_personal_data", stdout=out)
    assert "Plus de 12 mois : 1 texte(s) vidé(s), 1 coordonnée(s)" in out.getvalue()
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.text, old.nps) == ("", 9)  # the score stays, without its text
    assert recent.text == "Avis récent."
    assert list(CallbackContact.objects.values_list("feedback_id", flat=True)) == [recent.pk]
