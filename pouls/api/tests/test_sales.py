"""``POST /api/v1/sales/``: the sales file import's upsert, through the API, in scope."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse

from pouls.activity.imports import do_import_sales
from pouls.activity.models import ActivityFact, SalesFact
from pouls.api.tests.conftest import World, client_for

pytestmark = pytest.mark.django_db

ROWS = [
    {"date": "2026-12-01", "perimeter": "Site Lille", "revenue": "1200.50", "orders": "4"},
    {"date": "2026-12-01", "perimeter": "Site Lille", "revenue": "99.50", "orders": "1"},
    {"date": "2026-12-02", "perimeter": "Site Roubaix", "visits": "3", "calls": "8"},
]


def _facts() -> list[tuple[object, ...]]:
    sales = SalesFact.objects.order_by("date", "perimeter_id")
    activity = ActivityFact.objects.order_by("date", "perimeter_id")
    return [
        *sales.values_list("perimeter__name", "person_id", "date", "revenue", "orders"),
        *activity.values_list("perimeter__name", "date", "visits", "calls"),
    ]


def test_a_batch_is_upserted_once_like_the_file(world: World, tmp_path: Path) -> None:
    carol = client_for(world, "carol")
    response = carol.post(reverse("api-sale-list"), {"rows": ROWS}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json() == {
        "read": 3,
        "accepted": 3,
        "quarantined": 0,
        "duplicates": 0,
        "rejected": [],
    }
    lille = SalesFact.objects.get(perimeter=world.personas.lille)
    assert (lille.revenue, lille.orders) == (Decimal("1300.00"), 5)
    via_api = _facts()
    again = carol.post(reverse("api-sale-list"), {"rows": ROWS}, format="json").json()
    assert (again["accepted"], again["duplicates"]) == (0, 3)
    assert _facts() == via_api
    # The same rows from a file: nothing new either (same upsert keyed on store, person, day).
    csv = tmp_path / "ventes.csv"
    csv.write_text(
        "date;magasin;montant;commandes;visites;appels\n"
        "2026-12-01;Site Lille;1200,50;4;;\n2026-12-01;Site Lille;99,50;1;;\n"
        "2026-12-02;Site Roubaix;;;3;8\n",
        encoding="utf-8",
    )
    from_file = do_import_sales(csv, root=world.personas.nord, user=world.personas.carol)
    assert from_file.accepted == 0 and from_file.duplicates == 3


def test_rows_outside_scope_are_quarantined_and_writes_refused(world: World) -> None:
    carol = client_for(world, "carol")
    outside = [{"date": "2026-12-01", "perimeter": "Site Marseille", "revenue": "10"}]
    body = carol.post(reverse("api-sale-list"), {"rows": outside}, format="json").json()
    assert (body["read"], body["quarantined"], body["accepted"]) == (1, 1, 0)
    into = {"into": str(world.personas.marseille.code), "rows": outside}
    assert carol.post(reverse("api-sale-list"), into, format="json").status_code == 403
    for persona in ("bob", "charlie"):  # read-only token; no grant at all
        response = client_for(world, persona).post(
            reverse("api-sale-list"), {"rows": ROWS}, format="json"
        )
        assert response.status_code == 403
    assert not SalesFact.objects.exists()
