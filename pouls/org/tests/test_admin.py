from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client
from django.urls import reverse

from pouls.org.models import Perimeter
from pouls.testing import Personas, make_grant, make_user


@pytest.fixture
def dora(personas: Personas) -> User:
    """A staff admin of Région Nord only."""
    user = make_user("dora-nord")  # not the personas' dora (climate handouts)
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="org"))
    make_grant(user, personas.nord, "admin")
    return user


def test_the_admin_lists_only_the_admins_perimeters(client: Client, dora: User) -> None:
    client.force_login(dora)
    body = client.get(reverse("admin:org_perimeter_changelist")).content.decode()
    assert "Site Lille" in body and "Site Roubaix" in body
    assert "Site Marseille" not in body and "Région Sud" not in body


def test_a_perimeter_outside_the_scope_is_not_found(
    client: Client, dora: User, personas: Personas
) -> None:
    client.force_login(dora)
    url = reverse("admin:org_perimeter_change", args=[personas.marseille.pk])
    response = client.get(url)
    assert response.status_code in {302, 404}
    assert "Site Marseille" not in response.content.decode()


def test_moving_a_perimeter_out_of_the_scope_is_refused(
    client: Client, dora: User, personas: Personas
) -> None:
    client.force_login(dora)
    url = reverse("admin:org_perimeter_change", args=[personas.roubaix.pk])
    data = {
        "ref": personas.roubaix.ref,
        "name": "Site Roubaix",
        "kind": "store",
        "parent": personas.sud.pk,
    }
    response = client.post(url, data)
    # Région Sud is not a choice for dora: the form rejects it, nothing moves.
    assert response.status_code == 200
    personas.roubaix.refresh_from_db()
    assert personas.roubaix.parent == personas.nord


def test_a_viewer_without_staff_status_cannot_open_the_admin(
    client: Client, personas: Personas
) -> None:
    client.force_login(personas.bob)
    response = client.get(reverse("admin:org_perimeter_changelist"))
    assert response.status_code == 302


def test_the_group_admin_sees_every_perimeter(client: Client, personas: Personas) -> None:
    personas.alice.is_staff = True
    personas.alice.save(update_fields=["is_staff"])
    personas.alice.user_permissions.set(Permission.objects.filter(content_type__app_label="org"))
    client.force_login(personas.alice)
    body = client.get(reverse("admin:org_perimeter_changelist")).content.decode()
    for perimeter in Perimeter.objects.all():
        assert perimeter.name in body
