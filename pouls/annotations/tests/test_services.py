"""Annotating stored feedback: rows written, idempotence, versions, scope, and the queue."""

from __future__ import annotations

import datetime as dt

import pytest
from django_tasks_db.models import DBTaskResult

from pouls.annotations.models import Annotation, BehaviourMatch, ThemeMention
from pouls.annotations.services import annotate, annotate_pending, pending_ids
from pouls.feedback.actions import do_file_field_report
from pouls.testing import Personas, make_feedback

LATE = "Livraison en retard de trois semaines et vendeur désagréable, je suis très déçu."
PRAISE = "Accueil chaleureux, conseillère compétente et patiente, merci beaucoup !"
ENGLISH = "The delivery was late and the staff were rude, I will never come back."


def test_a_french_complaint_gets_its_sentiment_and_themes(personas: Personas) -> None:
    # 23:30 UTC on 31 Jan is already 1 Feb in Paris: the day is the French one.
    late = make_feedback(
        perimeter=personas.lille,
        nps=2,
        text=LATE,
        received_at=dt.datetime(2026, 1, 31, 23, 30, tzinfo=dt.UTC),
    )
    assert annotate([late.pk]) == 1
    note = Annotation.objects.get(feedback=late)
    assert (note.lang, note.is_french, note.sentiment_label) == ("fr", True, "negative")
    assert note.day == dt.date(2026, 2, 1)
    assert note.perimeter_id == personas.lille.pk
    delivery = ThemeMention.objects.get(feedback=late, theme="delivery")
    assert delivery.polarity == "negative"
    assert LATE[delivery.start : delivery.end].lower().startswith("livraison")
    assert not note.uncovered


def test_praise_is_positive_and_english_is_flagged_not_read_as_french(
    personas: Personas,
) -> None:
    praise = make_feedback(perimeter=personas.lille, text=PRAISE)
    english = make_feedback(perimeter=personas.lille, text=ENGLISH)
    annotate([praise.pk, english.pk])
    assert Annotation.objects.get(feedback=praise).sentiment_label == "positive"
    note = Annotation.objects.get(feedback=english)
    assert (note.lang, note.is_french) == ("en", False)
    assert not ThemeMention.objects.filter(feedback=english).exists()
    assert not BehaviourMatch.objects.filter(feedback=english).exists()


def test_empty_texts_are_not_analysed(personas: Personas) -> None:
    silent = make_feedback(perimeter=personas.lille, text="")
    assert annotate([silent.pk]) == 0
    assert pending_ids(10) == []


def test_annotating_twice_replaces_rather_than_adds(personas: Personas) -> None:
    late = make_feedback(perimeter=personas.lille, nps=2, text=LATE)
    annotate([late.pk])
    counts = (Annotation.objects.count(), ThemeMention.objects.count())
    annotate([late.pk])
    assert (Annotation.objects.count(), ThemeMention.objects.count()) == counts


def test_rows_of_an_older_analysis_version_are_redone(personas: Personas) -> None:
    late = make_feedback(perimeter=personas.lille, nps=2, text=LATE)
    fresh = make_feedback(perimeter=personas.lille, text=PRAISE)
    assert pending_ids(10) == [late.pk, fresh.pk]
    assert annotate_pending() == 2
    assert pending_ids(10) == []
    Annotation.objects.filter(feedback=late).update(version="0.0.0+old")
    assert pending_ids(10) == [late.pk]
    assert annotate_pending() == 1
    assert Annotation.objects.filter(version="0.0.0+old").count() == 0


def test_annotations_are_scoped_like_their_feedback(personas: Personas) -> None:
    lille = make_feedback(perimeter=personas.lille, nps=2, text=LATE)
    marseille = make_feedback(perimeter=personas.marseille, nps=2, text=LATE)
    annotate([lille.pk, marseille.pk])
    assert set(
        ThemeMention.objects.for_user(personas.bob).values_list("feedback_id", flat=True)
    ) == {lille.pk}
    assert set(Annotation.objects.for_user(personas.bob).values_list("feedback", flat=True)) == {
        lille.pk
    }
    assert not Annotation.objects.for_user(personas.charlie).exists()


@pytest.mark.django_db(transaction=True)
def test_a_field_report_queues_the_analysis(personas: Personas) -> None:
    before = DBTaskResult.objects.count()
    do_file_field_report(personas.bob, perimeter=personas.lille, category="dysfunction", text=LATE)
    task = DBTaskResult.objects.order_by("-enqueued_at").first()
    assert DBTaskResult.objects.count() == before + 1
    assert task is not None and task.task_path.endswith("analyse_pending_feedback")
