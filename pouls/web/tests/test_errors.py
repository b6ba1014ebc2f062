"""Error pages a person can read: French, styled, with the navigation and a way back; a page
outside one's scope stays a 404 (its existence is not revealed)."""

from __future__ import annotations

import re

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from pouls.briefings.models import Briefing
from pouls.testing import Personas


def test_a_perimeter_outside_the_scope_is_a_french_404_with_the_menu(
    client: Client, personas: Personas
) -> None:
    client.force_login(personas.bob)
    url = reverse("web-perimeter-dashboard", args=[personas.marseille.code])
    response = client.get(url, HTTP_REFERER="http://testserver/")
    body = response.content.decode()
    assert response.status_code == 404
    assert "Page introuvable" in body and "Not Found" not in body
    assert 'class="topbar"' in body and "Quoi de neuf" in body  # the navigation
    assert reverse("web-home-view") in body and "Revenir à la page précédente" in body
    assert "Site Marseille" not in body


def test_an_unknown_page_and_an_outside_row_look_the_same(
    client: Client, personas: Personas
) -> None:
    client.force_login(personas.bob)
    outside = client.get(reverse("web-perimeter-dashboard", args=[personas.marseille.code]))
    unknown = client.get(
        reverse("web-perimeter-dashboard", args=["00000000-0000-0000-0000-000000000000"])
    )
    assert outside.status_code == unknown.status_code == 404
    # Only the CSRF token of the logout form differs (it is masked afresh on each response).
    token = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')
    assert token.sub(b"", outside.content) == token.sub(b"", unknown.content)


def test_a_role_too_low_is_a_french_403_that_says_what_to_ask(
    client: Client, personas: Personas
) -> None:
    client.force_login(personas.bob)
    url = reverse("briefings-briefing-create", args=[personas.lille.code])
    response = client.post(url, {"period": "weekly", "sections": "chiffres"})
    body = response.content.decode()
    assert response.status_code == 403
    assert "Action non autorisée" in body and "administrateur de votre périmètre" in body
    assert 'class="topbar"' in body and not Briefing.objects.exists()


@pytest.mark.django_db
def test_the_500_page_renders_without_a_request_context() -> None:
    from django.views.defaults import server_error

    response = server_error(RequestFactory().get("/"))
    body = response.content.decode()
    assert response.status_code == 500
    assert "Une erreur est survenue" in body and 'class="topbar"' in body
    assert reverse("web-home-view") in body
