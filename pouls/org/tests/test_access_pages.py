"""« Personnes et accès »: invitations with an expiring set-password link, grants, the link to
a seller chosen by name, the perimeter tree (rollups follow a move) and the audit trail."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import time_machine
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from pouls.org.models import Account, AuditEvent, Grant, Perimeter
from pouls.rollups.models import MetricValue
from pouls.testing import Personas, make_feedback, make_person, refresh_rollups


def _invite(client: Client, p: Personas, **extra: str) -> User:
    data = {
        "email": "Nina.Store@example.test",
        "first_name": "Nina",
        "last_name": "Gérante",
        "perimeter": str(p.roubaix.pk),
        "role": "manager",
        **extra,
    }
    response = client.post(reverse("org-account-invite"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return User.objects.get(username="nina.store@example.test")


def _link_in(message: str) -> str:
    found = re.search(r"https?://[^/\s]+(/mot-de-passe/[^\s]+/)", message)
    assert found, message
    return found.group(1)


def test_an_invitee_sets_a_password_and_sees_exactly_her_store(
    client: Client, personas: Personas
) -> None:
    client.force_login(personas.alice)
    nina = _invite(client, personas)
    assert not nina.has_usable_password()
    assert Grant.objects.get(user=nina).role == "manager"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["nina.store@example.test"]
    link = _link_in(str(mail.outbox[0].body))
    client.logout()
    form = client.get(link, follow=True)
    assert "Choisir un mot de passe" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "roubaix-2026-pouls", "new_password2": "roubaix-2026-pouls"},
    )
    assert done.status_code == 302
    assert client.login(username="nina.store@example.test", password="roubaix-2026-pouls")
    home = client.get(reverse("web-home-view")).content.decode()
    assert "Site Roubaix" in home and "Site Lille" not in home and "Région Nord" not in home
    # The link served once.
    client.logout()
    again = client.get(link, follow=True).content.decode()
    assert "n’est plus valable" in again


def test_the_invitation_link_expires(client: Client, personas: Personas, settings: Any) -> None:
    client.force_login(personas.alice)
    _invite(client, personas)
    link = _link_in(str(mail.outbox[0].body))
    client.logout()
    with time_machine.travel(timezone.now() + dt.timedelta(days=4)):
        page = client.get(link, follow=True).content.decode()
    assert "n’est plus valable" in page


def test_an_admin_cannot_invite_outside_her_perimeters(client: Client, personas: Personas) -> None:
    Grant.objects.create(user=personas.charlie, perimeter=personas.sud, role="admin")
    client.force_login(personas.charlie)
    data = {
        "email": "x@example.test",
        "first_name": "X",
        "last_name": "Y",
        "perimeter": str(personas.roubaix.pk),
        "role": "viewer",
    }
    response = client.post(reverse("org-account-invite"), data)
    assert response.status_code == 400 and not User.objects.filter(username="x@example.test")
    page = client.get(reverse("org-account-invite")).content.decode()
    assert "Site Marseille" in page and "Site Roubaix" not in page


def test_an_existing_address_is_refused_in_french(client: Client, personas: Personas) -> None:
    client.force_login(personas.alice)
    _invite(client, personas)
    data = {
        "email": "nina.store@example.test",
        "first_name": "N",
        "last_name": "G",
        "perimeter": str(personas.roubaix.pk),
        "role": "viewer",
    }
    response = client.post(reverse("org-account-invite"), data)
    assert response.status_code == 400 and "existe déjà" in response.content.decode()


def test_a_login_is_linked_to_a_seller_chosen_by_name(client: Client, personas: Personas) -> None:
    seller = make_person(perimeter=personas.lille_team, first_name="Lina", last_name="Vendeuse")
    client.force_login(personas.alice)
    account = Account.objects.get(user=personas.bob)
    page = client.get(reverse("org-account-detail", args=[account.code])).content.decode()
    assert "Lina Vendeuse — Vendeur·se, Équipe Lille Vente" in page
    url = reverse("org-account-link", args=[account.code])
    assert client.post(url, {"person": str(seller.pk)}).status_code == 302
    seller.refresh_from_db()
    assert seller.user == personas.bob
    event = AuditEvent.objects.get(action="user.linked")
    assert event.actor == personas.alice and "Lina" not in repr(event.detail)


def test_deactivation_stops_the_login_and_is_audited(client: Client, personas: Personas) -> None:
    client.force_login(personas.alice)
    account = Account.objects.get(user=personas.bob)
    client.post(reverse("org-account-active", args=[account.code]), {"active": "0"})
    personas.bob.refresh_from_db()
    assert not personas.bob.is_active
    bob = Client()
    bob.force_login(personas.bob)
    assert bob.get(reverse("web-home-view")).status_code == 302  # logged out
    assert AuditEvent.objects.filter(action="user.deactivated", target="bob").exists()


def test_the_tree_shows_who_sees_what(client: Client, personas: Personas) -> None:
    client.force_login(personas.alice)
    page = client.get(reverse("org-access-home")).content.decode()
    tree = page[page.index('id="access-tree"') :]
    assert tree.index("Région Nord") < tree.index("carol") < tree.index("Site Lille")
    account = Account.objects.get(user=personas.carol)
    detail = client.get(reverse("org-account-detail", args=[account.code])).content.decode()
    visible = detail[detail.index('id="visible"') :]
    assert "Site Roubaix" in visible and "Site Marseille" not in visible


def test_an_admin_of_a_region_sees_and_grants_only_within_it(
    client: Client, personas: Personas
) -> None:
    Grant.objects.create(user=personas.charlie, perimeter=personas.nord, role="admin")
    client.force_login(personas.charlie)
    page = client.get(reverse("org-access-home")).content.decode()
    assert "Site Lille" in page and "Site Marseille" not in page and "Groupe" not in page
    account = Account.objects.get(user=personas.bob)
    url = reverse("org-account-grant", args=[account.code])
    assert (
        client.post(url, {"perimeter": str(personas.marseille.pk), "role": "admin"}).status_code
        == 400
    )
    assert not Grant.objects.filter(user=personas.bob, perimeter=personas.marseille).exists()


def test_moving_a_store_rebuilds_the_rollups(
    client: Client, personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    make_feedback(perimeter=personas.roubaix, nps=10)
    refresh_rollups()

    def total(perimeter: Perimeter) -> int:
        rows = MetricValue.objects.filter(perimeter=perimeter, period="day", dimension="")
        return sum(rows.values_list("feedback", flat=True))

    assert (total(personas.nord), total(personas.sud)) == (1, 0)
    client.force_login(personas.alice)
    url = reverse("org-perimeter-edit", args=[personas.roubaix.code])
    data = {"name": "Site Roubaix Centre", "parent": str(personas.sud.pk)}
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, data).status_code == 302
    personas.roubaix.refresh_from_db()
    assert personas.roubaix.parent == personas.sud
    assert personas.roubaix.name == "Site Roubaix Centre"
    assert (total(personas.nord), total(personas.sud), total(personas.group)) == (0, 1, 1)
    assert AuditEvent.objects.filter(action="perimeter.changed").exists()


def test_a_store_cannot_move_under_its_own_team(client: Client, personas: Personas) -> None:
    client.force_login(personas.alice)
    url = reverse("org-perimeter-edit", args=[personas.lille.code])
    response = client.post(url, {"name": "Site Lille", "parent": str(personas.lille_team.pk)})
    assert response.status_code == 400 and "sous l’un des siens" in response.content.decode()


def test_creating_and_closing_a_store(client: Client, personas: Personas) -> None:
    client.force_login(personas.alice)
    data = {"name": "Site Lens", "parent": str(personas.nord.pk), "kind": "store", "ref": "LENS"}
    assert client.post(reverse("org-perimeter-new"), data).status_code == 302
    lens = Perimeter.objects.get(ref="LENS")
    assert lens.parent == personas.nord
    client.post(reverse("org-perimeter-close", args=[lens.code]))
    lens.refresh_from_db()
    assert lens.closed_on == timezone.localdate()
    invite = client.get(reverse("org-account-invite")).content.decode()
    assert "Site Lens" not in invite  # a closed store takes no new people
