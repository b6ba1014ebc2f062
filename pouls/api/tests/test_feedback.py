"""Feedback through the API: the list's filters, the detail with its analysis, and answers
pushed in batches that land exactly as the same rows imported from a file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from pouls.annotations.models import Annotation, ThemeMention
from pouls.annotations.services import annotate_pending
from pouls.api.tests.conftest import World, client_for
from pouls.feedback.importers.pipeline import do_import_feedback
from pouls.feedback.models import Feedback, Import, QuarantinedRow
from pouls.rollups.fill import rebuild_all
from pouls.rollups.models import MetricValue
from pouls.testing import make_feedback

pytestmark = pytest.mark.django_db

TEXTS = (
    "Vendeur très aimable, conseil précis sur la perceuse.",
    "Attente interminable en caisse, une seule caisse ouverte.",
    "Produit en rupture de stock depuis trois semaines.",
    "Livraison rapide, rien à redire.",
)


def _answers(n: int) -> list[dict[str, str]]:
    return [
        {
            "perimeter": "Site Lille" if i % 3 else "Site Roubaix",
            "received_at": f"2026-11-{1 + i % 28:02d}T10:{i % 60:02d}:00+01:00",
            "source_id": f"ticket-{i}",
            "nps": str(i % 11) if i % 97 else "onze",
            "text": TEXTS[i % len(TEXTS)]
            + (" Écrivez-moi : client@example.fr" if i % 50 == 0 else ""),
        }
        for i in range(n)
    ]


def _snapshot() -> dict[str, Any]:
    rebuild_all()
    return {
        "feedback": sorted(
            Feedback.objects.values_list("perimeter_id", "received_at", "nps", "text", "source_id")
        ),
        "sentiment": sorted(
            Annotation.objects.values_list("feedback__source_id", "sentiment_label")
        ),
        "themes": sorted(ThemeMention.objects.values_list("feedback__source_id", "theme")),
        "rollups": sorted(
            MetricValue.objects.values_list(
                "perimeter_id",
                "period",
                "start",
                "dimension",
                "value",
                "feedback",
                "nps_n",
                "promoters",
                "detractors",
            )
        ),
        "quarantine": QuarantinedRow.objects.count(),
    }


def _forget() -> None:
    QuarantinedRow.objects.all().delete()
    Feedback.objects.all().delete()
    Import.objects.all().delete()


@pytest.mark.slow
def test_a_batch_lands_as_the_same_file_would_and_twice_adds_nothing(
    world: World, tmp_path: Path
) -> None:
    _forget()
    answers = _answers(10_000)
    alice = client_for(world, "alice")
    url = reverse("api-feedback-list")
    first = alice.post(url, {"source": "caisse", "answers": answers}, format="json").json()
    assert first["read"] == 10_000 == first["accepted"] + first["quarantined"] + first["duplicates"]
    assert first["quarantined"] == len([a for a in answers if a["nps"] == "onze"])
    assert all(r["reasons"] for r in first["rejected"])
    again = alice.post(url, {"source": "caisse", "answers": answers}, format="json").json()
    assert (again["accepted"], again["duplicates"] + again["quarantined"]) == (0, 10_000)
    annotate_pending()
    through_api = _snapshot()
    assert "client@example.fr" not in json.dumps(through_api["feedback"], default=str)

    _forget()
    path = tmp_path / "answers.jsonl"
    path.write_text("\n".join(json.dumps(a, ensure_ascii=False) for a in answers), "utf-8")
    columns = {k: k for k in answers[0]}
    do_import_feedback(
        path,
        root=world.personas.group,
        mapping={"columns": columns, "guess": False},
        survey="caisse",
    )
    annotate_pending()
    from_file = _snapshot()
    assert through_api == from_file


def test_one_answer_alone_is_accepted(world: World) -> None:
    answer = {"perimeter": "Site Lille", "received_at": "2026-12-01T09:00:00+01:00", "nps": "10"}
    response = client_for(world, "alice").post(reverse("api-feedback-list"), answer, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["read"], body["accepted"]) == (1, 1)


def test_an_empty_batch_is_a_clear_error(world: World) -> None:
    response = client_for(world, "alice").post(
        reverse("api-feedback-list"), {"answers": []}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["field"] == "answers" and response.json()["code"] == "empty"


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"nps_category": "detractor"}, {"bad"}),
        ({"nps_category": "promoter"}, {"good"}),
        ({"q": "caisse"}, {"bad"}),
        ({"channel": "web"}, {"web"}),
        ({"source_kind": "review"}, {"review"}),
        ({"since": "2026-11-10"}, {"recent"}),
        ({"until": "2026-11-09"}, {"bad", "good", "web", "review"}),
    ],
)
def test_each_filter_narrows_the_list(
    world: World, params: dict[str, str], expected: set[str]
) -> None:
    import datetime as dt

    from django.utils import timezone

    Feedback.objects.all().delete()
    old = timezone.make_aware(dt.datetime(2026, 11, 1, 10))
    rows = {
        "bad": make_feedback(
            perimeter=world.personas.lille, nps=2, text="Caisse fermée.", received_at=old
        ),
        "good": make_feedback(
            perimeter=world.personas.lille, nps=10, text="Parfait.", received_at=old
        ),
        "web": make_feedback(perimeter=world.personas.lille, nps=8, channel="web", received_at=old),
        "review": make_feedback(
            perimeter=world.personas.lille, nps=None, source_kind="review", received_at=old
        ),
        "recent": make_feedback(
            perimeter=world.personas.lille, nps=7, received_at=old + dt.timedelta(days=20)
        ),
    }
    names = {str(f.code): name for name, f in rows.items()}
    body = client_for(world, "bob").get(reverse("api-feedback-list"), params).json()
    assert {names[r["code"]] for r in body["results"]} == expected


def test_the_perimeter_filter_takes_the_subtree(world: World) -> None:
    carol = client_for(world, "carol")
    nord = carol.get(reverse("api-feedback-list"), {"perimeter": str(world.personas.nord.code)})
    assert {r["perimeter"] for r in nord.json()["results"]} == {str(world.personas.lille.code)}
    outside = carol.get(reverse("api-feedback-list"), {"perimeter": str(world.personas.sud.code)})
    assert outside.json()["results"] == []


def test_theme_and_sentiment_filters_read_the_analysis(world: World) -> None:
    annotate_pending()
    mention = ThemeMention.objects.filter(perimeter=world.personas.lille).first()
    assert mention is not None
    bob = client_for(world, "bob")
    by_theme = bob.get(reverse("api-feedback-list"), {"theme": mention.theme}).json()["results"]
    assert [r["code"] for r in by_theme] == [str(mention.feedback.code)]
    label = Annotation.objects.get(feedback=mention.feedback).sentiment_label
    by_tone = bob.get(reverse("api-feedback-list"), {"sentiment": label}).json()["results"]
    assert str(mention.feedback.code) in {r["code"] for r in by_tone}
    assert by_theme[0]["themes"] and by_theme[0]["sentiment"] == label


def test_the_list_costs_the_same_queries_for_more_rows(
    world: World, django_assert_max_num_queries: Any
) -> None:
    for _ in range(20):
        make_feedback(perimeter=world.personas.lille)
    with django_assert_max_num_queries(8):
        client_for(world, "bob").get(reverse("api-feedback-list"))
