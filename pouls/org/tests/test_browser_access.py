"""The must-show path in a real browser (Debian's Chromium): alice invites a store manager by
e-mail, the invitee sets a password, logs in, sees exactly her store, prepares and presents a
briefing; alice links a login to a seller by choosing the seller's name; the seller sees
« Mon pouls » with data."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse

from pouls.org.models import Account, Grant
from pouls.testing import (
    PASSWORD,
    Personas,
    make_callback,
    make_feedback,
    make_grant,
    make_person,
    make_user,
    refresh_rollups,
)

pytestmark = pytest.mark.browser


def _login(page: Any, live_url: str, username: str, password: str) -> None:
    page.goto(live_url + reverse("login"))
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(live_url + reverse("web-home-view"))


def test_invite_a_store_manager_then_link_a_seller(
    browser: Any, live_url: str, personas: Personas
) -> None:
    make_feedback(perimeter=personas.roubaix, nps=9, text="Roubaix : accueil parfait.")
    refresh_rollups()
    alice = browser.new_page()
    _login(alice, live_url, "alice", PASSWORD)
    alice.click("text=Personnes et accès")
    alice.click("text=Inviter une personne")
    alice.fill("#id_email", "nina@example.test")
    alice.fill("#id_first_name", "Nina")
    alice.fill("#id_last_name", "Gérante")
    alice.select_option("#id_perimeter", str(personas.roubaix.pk))
    alice.select_option("#id_role", "manager")
    alice.click("#invite-form button[type=submit]")
    alice.wait_for_selector("text=Invitation envoyée à nina@example.test")

    # The invitee opens the e-mail's link in her own browser, sets a password, logs in.
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/mot-de-passe/\S+/", str(mail.outbox[0].body))
    assert link is not None
    nina = browser.new_page()
    nina.goto(link.group(0))
    nina.fill("#id_new_password1", "roubaix-nina-2026")
    nina.fill("#id_new_password2", "roubaix-nina-2026")
    nina.click("#set-password button[type=submit]")
    nina.wait_for_selector("text=Mot de passe enregistré")
    _login(nina, live_url, "nina@example.test", "roubaix-nina-2026")
    tree = nina.inner_text("main")
    assert "Site Roubaix" in tree
    for other in ("Site Lille", "Site Marseille", "Région Nord", "Groupe"):
        assert other not in tree
    nav = nina.inner_text("nav.user")
    assert "Imports" not in nav and "Personnes et accès" not in nav and "Mon pouls" not in nav

    # She prepares and presents her store's briefing.
    nina.goto(live_url + reverse("briefings-briefing-list", args=[personas.roubaix.code]))
    nina.click("main form button:text-is('Préparer')")
    nina.wait_for_selector("text=Mode présentation", timeout=90_000)
    nina.click("button:text-is('Marquer comme présenté')")
    nina.wait_for_selector("text=Mode présentation")
    nina.click("text=Mode présentation")
    nina.wait_for_selector(".bsec")
    assert "Roubaix" in nina.inner_text("body")

    # alice links a login to a seller by choosing the seller's name.
    lea = make_user("lea")
    make_grant(lea, personas.lille_team, "viewer")
    account = Account.objects.create(user=lea, perimeter=personas.lille_team)
    seller = make_person(perimeter=personas.lille_team, first_name="Léa", last_name="Martin")
    for text in ("Léa m'a très bien conseillé pour le lave-linge.", "Conseils clairs, merci."):
        make_feedback(perimeter=personas.lille_team, nps=10, text=text, person=seller)
    detractor = make_feedback(perimeter=personas.lille_team, nps=3, text="Livré en retard.")
    detractor.person = seller
    detractor.save(update_fields=["person"])
    make_callback(feedback=detractor)
    alice.goto(live_url + reverse("org-account-detail", args=[account.code]))
    alice.select_option("#id_person", label="Léa Martin — Vendeur·se, Équipe Lille Vente")
    alice.click("#link-form button[type=submit]")
    alice.wait_for_selector("text=Fiche reliée enregistrée.")

    seller_page = browser.new_page()
    _login(seller_page, live_url, "lea", PASSWORD)
    seller_page.click("nav.user >> text=Mon pouls")
    seller_page.wait_for_selector("#mes-verbatims")
    body = seller_page.inner_text("main")
    assert "Léa m'a très bien conseillé" in body and "à rappeler avant le" in body
    assert Grant.objects.filter(user__username="nina@example.test", role="manager").exists()
