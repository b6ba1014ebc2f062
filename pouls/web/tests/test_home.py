from __future__ import annotations

from django.test import Client
from django.urls import reverse

from pouls.testing import Personas, make_feedback, refresh_rollups


def test_home_shows_each_visible_perimeter_with_its_subtree_nps(
    client: Client, personas: Personas
) -> None:
    make_feedback(perimeter=personas.lille_team, nps=10)
    make_feedback(perimeter=personas.lille, nps=0)
    make_feedback(perimeter=personas.marseille, nps=10)
    refresh_rollups()
    client.force_login(personas.bob)
    rows = {
        r.perimeter.name: r.result for r in client.get(reverse("web-home-view")).context["rows"]
    }
    assert set(rows) == {"Site Lille", "Équipe Lille Vente"}
    assert (rows["Site Lille"].n, rows["Site Lille"].nps) == (2, 0.0)
    assert (rows["Équipe Lille Vente"].n, rows["Équipe Lille Vente"].nps) == (1, 100.0)


def test_home_query_count_is_flat(
    client: Client, personas: Personas, django_assert_max_num_queries: object
) -> None:
    client.force_login(personas.alice)
    with django_assert_max_num_queries(8):  # type: ignore[operator]
        client.get(reverse("web-home-view"))
