"""The API's leak registry: every endpoint, as bob (viewer of Lille, read-only token), carol
(analyst of Nord), charlie (no grant) and anonymously. An endpoint missing here fails."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.urls import URLPattern, reverse

from pouls.api.tests.conftest import World, client_for
from pouls.api.urls import router
from pouls.callbacks.models import Callback
from pouls.feedback.models import Feedback
from pouls.org.models import Perimeter, Person
from pouls.surveys.models import SurveyLink
from pouls.watch.models import ThemeSignal

pytestmark = pytest.mark.django_db

# basename -> (model, how to find the Lille or Marseille row)
DETAIL: dict[str, Callable[[World, bool], object]] = {
    "api-perimeter": lambda w, own: w.personas.lille if own else w.personas.marseille,
    "api-feedback": lambda w, own: Feedback.objects.get(
        perimeter=w.personas.lille if own else w.personas.marseille
    ),
    "api-signal": lambda w, own: ThemeSignal.objects.get(
        perimeter=w.personas.lille if own else w.personas.marseille
    ),
    "api-callback": lambda w, own: Callback.objects.get(
        perimeter=w.personas.lille if own else w.personas.marseille
    ),
    "api-person": lambda w, own: Person.objects.get(
        perimeter=w.personas.lille if own else w.personas.marseille
    ),
    "api-survey-link": lambda w, own: SurveyLink.objects.get(
        perimeter=w.personas.lille if own else w.personas.marseille, person=None
    ),
}
EXTRA_DETAIL = {"api-perimeter-figures": "api-perimeter"}
WRITES = {"api-feedback-list", "api-callback-calls", "api-sale-list"}
# Lists without a detail, each with its own scope test (test_climate.py, test_sales.py).
LISTS_ONLY = {"api-climate-result-list"}


def test_every_endpoint_is_in_the_registry() -> None:
    names = {u.name for u in router.urls if isinstance(u, URLPattern)}
    known = {f"{b}-list" for b in DETAIL} | {f"{b}-detail" for b in DETAIL} | set(EXTRA_DETAIL)
    known |= WRITES | LISTS_ONLY
    assert names <= known, names - known


def _detail_names() -> list[tuple[str, str]]:
    return [(f"{b}-detail", b) for b in DETAIL] + list(EXTRA_DETAIL.items())


@pytest.mark.parametrize(("name", "base"), _detail_names())
def test_bob_reaches_his_store_and_gets_404_outside(world: World, name: str, base: str) -> None:
    client = client_for(world, "bob")
    own, other = DETAIL[base](world, True), DETAIL[base](world, False)
    assert client.get(reverse(name, args=[own.code])).status_code == 200  # type: ignore[attr-defined]
    response = client.get(reverse(name, args=[other.code]))  # type: ignore[attr-defined]
    assert response.status_code == 404
    assert response.json() == {"error": "Introuvable.", "code": "not_found", "field": None}


@pytest.mark.parametrize(("name", "base"), _detail_names())
def test_charlie_gets_404_everywhere(world: World, name: str, base: str) -> None:
    client = client_for(world, "charlie")
    for own in (True, False):
        assert client.get(reverse(name, args=[DETAIL[base](world, own).code])).status_code == 404  # type: ignore[attr-defined]


@pytest.mark.parametrize("base", list(DETAIL))
def test_lists_hold_only_rows_in_scope(world: World, base: str) -> None:
    url = reverse(f"{base}-list")
    bob = client_for(world, "bob").get(url).json()["results"]
    lille = str(world.personas.lille.code)
    if base == "api-perimeter":
        assert {r["code"] for r in bob} == {lille, str(world.personas.lille_team.code)}
    else:
        assert {r["perimeter"] for r in bob} == {lille}
    assert client_for(world, "charlie").get(url).json()["results"] == []


def test_people_carry_no_email_and_links_their_public_address(world: World) -> None:
    bob = client_for(world, "bob")
    [person] = bob.get(reverse("api-person-list")).json()["results"]
    assert set(person) == {"code", "first_name", "last_name", "kind", "perimeter", "is_active"}
    links = bob.get(reverse("api-survey-link-list")).json()["results"]
    store = SurveyLink.objects.get(perimeter=world.personas.lille, person=None)
    [found] = [link for link in links if link["code"] == str(store.code)]
    assert found["public_url"].endswith(reverse("surveys-answer-form", args=[store.token]))
    assert found["survey"] == "Enquête Site Lille"


@pytest.mark.parametrize("base", list(DETAIL))
def test_anonymous_is_refused(world: World, base: str) -> None:
    from rest_framework.test import APIClient

    response = APIClient().get(reverse(f"{base}-list"))
    assert response.status_code in (401, 403)
    assert response.json()["code"] == "not_authenticated"


def test_a_read_only_token_cannot_write(world: World) -> None:
    bob = client_for(world, "bob")
    callback = Callback.objects.get(perimeter=world.personas.lille)
    response = bob.post(reverse("api-callback-calls", args=[callback.code]), {"outcome": "reached"})
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"
    answer = {"perimeter": "Site Lille", "received_at": "2026-12-01", "nps": "9"}
    assert bob.post(reverse("api-feedback-list"), answer, format="json").status_code == 403


def test_a_write_outside_scope_is_refused_and_stores_nothing(world: World) -> None:
    carol = client_for(world, "carol")
    before = Feedback.objects.count()
    answer = {
        "into": str(world.personas.marseille.code),
        "answers": [{"perimeter": "Site Marseille", "received_at": "2026-12-01", "nps": "9"}],
    }
    response = carol.post(reverse("api-feedback-list"), answer, format="json")
    assert response.status_code == 403
    assert Feedback.objects.count() == before
    assert Perimeter.objects.count() == 7
