"""Full-text search (raw SQL): the same answers on SQLite (FTS5) and PostgreSQL (tsvector);
CI runs this file on both backends."""

from __future__ import annotations

import pytest
from django.db import connection

from pouls.feedback.models import Feedback
from pouls.feedback.search import query_words, search_feedback
from pouls.testing import Personas, make_feedback


@pytest.fixture
def texts(personas: Personas) -> dict[str, Feedback]:
    return {
        "late": make_feedback(perimeter=personas.lille, text="Livraison en retard de deux jours."),
        "many": make_feedback(perimeter=personas.lille, text="Les livraisons arrivent cassées."),
        "delay": make_feedback(perimeter=personas.lille, text="Un DÉLAI d'attente trop long."),
        "smile": make_feedback(perimeter=personas.marseille, text="Accueil souriant, merci !"),
    }


def _found(query: str) -> set[int]:
    return set(search_feedback(Feedback.objects.all(), query).values_list("pk", flat=True))


@pytest.mark.django_db
def test_words_match_with_or_without_accents_and_case(texts: dict[str, Feedback]) -> None:
    assert _found("delai") == {texts["delay"].pk}
    assert _found("Délai attente") == {texts["delay"].pk}
    assert _found("ACCUEIL") == {texts["smile"].pk}


@pytest.mark.django_db
def test_a_word_finds_its_plural(texts: dict[str, Feedback]) -> None:
    assert _found("livraison") == {texts["late"].pk, texts["many"].pk}


@pytest.mark.django_db
def test_every_word_must_be_there(texts: dict[str, Feedback]) -> None:
    assert _found("livraison retard") == {texts["late"].pk}
    assert _found("livraison souriant") == set()


@pytest.mark.django_db
def test_engine_syntax_is_not_passed_through(texts: dict[str, Feedback]) -> None:
    assert query_words('livraison" OR * NEAR(') == ["livraison", "or", "near"]
    assert _found('"retard") ((*') == {texts["late"].pk}
    assert _found("retard de la livraison") == {texts["late"].pk}  # function words dropped
    assert _found("  ;; ") == _found("") == {t.pk for t in texts.values()}


@pytest.mark.django_db
def test_search_narrows_a_scoped_queryset(personas: Personas, texts: dict[str, Feedback]) -> None:
    mine = Feedback.objects.for_user(personas.bob)
    assert set(search_feedback(mine, "accueil")) == set()
    assert set(search_feedback(mine, "livraison")) == {texts["late"], texts["many"]}


@pytest.mark.django_db
def test_the_index_follows_updates_and_deletions(texts: dict[str, Feedback]) -> None:
    late = texts["late"]
    late.text = "Colis perdu."
    late.save(update_fields=["text"])
    assert _found("retard") == set() and _found("colis") == {late.pk}
    late.delete()
    assert _found("colis") == set()


@pytest.mark.django_db
def test_the_index_exists_on_this_backend(db: None) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE name LIKE 'feedback_search%'")
            names = {row[0] for row in cursor.fetchall()}
            assert {"feedback_search", "feedback_search_insert"} <= names
        else:
            cursor.execute("SELECT 1 FROM pg_indexes WHERE indexname = 'feedback_text_search'")
            assert cursor.fetchone() is not None
