"""Learning from the organisation's data: themes from analysts' corrections change the
annotations, sentiment from the NPS scores when it beats the lexicon; too few corrections or
scores keep the shipped defaults; unusable model files fall back to them with a warning."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from pouls.annotations.corrections import do_correct_theme
from pouls.annotations.learning import learn_sentiment_model, learn_theme_model
from pouls.annotations.models import Annotation, ThemeMention
from pouls.annotations.services import (
    analysis_version,
    annotate,
    annotate_pending,
    learned_themes,
    shipped_version,
    theme_model_path,
)
from pouls.feedback.models import Feedback
from pouls.testing import FIXED_NOW, Personas, make_feedback

# In this organisation the self-service kiosks ("bornes") are part of paying: the shipped
# rules do not know it, the analysts teach it.
KIOSK = [
    "La borne en libre-service ne lit pas ma carte.",
    "Impossible d'utiliser la borne, écran figé.",
    "Bornes neuves, faciles à utiliser.",
    "Borne hors service depuis une semaine.",
    "La borne m'a demandé trois fois mon code.",
    "La borne était en panne.",
]
OTHER = [
    "Les vendeurs sont souriants et de bon conseil.",
    "Le magasin est propre et bien rangé.",
    "Prix trop élevés par rapport à la concurrence.",
    "Le parking est trop petit le samedi.",
    "Produits de bonne qualité, je recommande.",
    "Livraison en retard de trois jours.",
]
NEW = "La borne refuse les billets."


@pytest.fixture
def model_dir(settings: Any, tmp_path: Path) -> Path:
    settings.MODEL_DIR = tmp_path / "models"
    return tmp_path / "models"


def _teach(personas: Personas, texts: list[str], present: bool) -> None:
    for text in texts:
        feedback = make_feedback(perimeter=personas.lille, nps=3, text=text)
        do_correct_theme(personas.carol, feedback, "checkout_payment", present)


def _themes(text: str) -> set[str]:
    feedback = Feedback.objects.get(text=text)
    return set(ThemeMention.objects.filter(feedback=feedback).values_list("theme", flat=True))


@pytest.mark.slow  # fits the theme model
def test_corrections_teach_a_theme_and_every_text_is_annotated_again(
    personas: Personas, model_dir: Path
) -> None:
    _teach(personas, KIOSK, True)
    _teach(personas, OTHER, False)
    make_feedback(perimeter=personas.marseille, nps=4, text=NEW)
    assert annotate_pending() == 13
    assert "checkout_payment" not in _themes(NEW)
    before = analysis_version()

    result = learn_theme_model()

    assert (result.texts, result.labels, result.saved, result.changed) == (12, 12, True, True)
    assert result.learned == ("checkout_payment",)
    assert theme_model_path().is_file()
    assert analysis_version() != before and analysis_version().startswith(before)
    assert annotate_pending() == 13  # the version changed: every text is redone
    assert "checkout_payment" in _themes(NEW)
    assert "checkout_payment" not in _themes(OTHER[0])
    assert set(Annotation.objects.values_list("version", flat=True)) == {analysis_version()}
    # Nothing new: no refit, no re-annotation.
    again = learn_theme_model()
    assert (again.fitted, again.changed, again.saved) == (False, False, True)
    assert annotate_pending() == 0


def test_too_few_corrections_keep_the_shipped_rules(personas: Personas, model_dir: Path) -> None:
    _teach(personas, KIOSK[:3], True)
    _teach(personas, OTHER[:2], False)
    result = learn_theme_model()
    assert (result.fitted, result.saved, result.changed, result.learned) == (
        True,
        False,
        False,
        (),
    )
    assert "pas assez de corrections" in result.summary()
    assert not theme_model_path().exists()
    assert analysis_version() == shipped_version()


def test_the_command_learns_and_annotates(
    personas: Personas, model_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _teach(personas, KIOSK, True)
    _teach(personas, OTHER, False)
    call_command("learn_models")
    out = capsys.readouterr().out
    assert "thèmes appris (1) : checkout_payment" in out and "12 textes ré-analysés" in out
    call_command("learn_models")
    assert "rien de nouveau" in capsys.readouterr().out


@pytest.mark.parametrize("damage", ["versions", "bytes"])
def test_an_unusable_model_file_falls_back_to_the_rules_with_a_warning(
    personas: Personas, model_dir: Path, caplog: pytest.LogCaptureFixture, damage: str
) -> None:
    _teach(personas, KIOSK, True)
    _teach(personas, OTHER, False)
    learn_theme_model()
    path = theme_model_path()
    if damage == "versions":
        meta = path.with_name(path.name + ".json")
        saved = json.loads(meta.read_text(encoding="utf-8"))
        meta.write_text(json.dumps(saved | {"pouls_analysis_version": "0.0.1"}), "utf-8")
    else:
        path.write_bytes(b"not a model")
    new = make_feedback(perimeter=personas.lille, nps=4, text=NEW)
    with caplog.at_level(logging.WARNING, logger="pouls.annotations.services"):
        assert learned_themes() is None
        assert annotate_pending() == 13
    assert analysis_version() == shipped_version()
    assert "checkout_payment" not in _themes(NEW)
    assert Annotation.objects.get(feedback=new).version == shipped_version()
    assert "learn_models" in caplog.text


@pytest.mark.django_db(transaction=True)
def test_a_burst_of_corrections_queues_one_delayed_learning(personas: Personas) -> None:
    feedback = make_feedback(perimeter=personas.lille, nps=3, text=KIOSK[0])
    do_correct_theme(personas.carol, feedback, "checkout_payment", True)
    do_correct_theme(personas.carol, feedback, "waiting", False)
    queued = DBTaskResult.objects.filter(task_path__endswith="learn_from_corrections")
    assert queued.count() == 1
    task = queued.get()
    assert task.run_after > task.enqueued_at


# Scores that come with texts in a house vocabulary the shipped lexicon does not read: the
# kiosk ("borne") for detractors, the "comptoir Kdo" for promoters, aisles for passives.
_PLACES = ["l'entrée", "la caisse 3", "l'étage", "le rayon jardin", "la sortie", "le parking"]
_DAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]


def _scored(n: int) -> list[tuple[str, int]]:
    out = []
    for i in range(n):
        place, day = _PLACES[i % len(_PLACES)], _DAYS[(i // 3) % len(_DAYS)]
        kind = i % 3
        if kind == 0:
            out.append((f"Encore la borne près de {place} {day}, numéro {i}.", i % 5))
        elif kind == 1:
            out.append((f"Passage au comptoir Kdo près de {place} {day}, ticket {i}.", 9 + i % 2))
        else:
            out.append((f"Visite du rayon près de {place} {day}, allée {i}.", 7 + i % 2))
    return out


def _store_scored(personas: Personas, n: int) -> None:
    Feedback.objects.bulk_create(
        Feedback(
            perimeter=personas.lille,
            nps=score,
            text=text,
            source_kind="survey",
            channel="store",
            received_at=FIXED_NOW,
        )
        for text, score in _scored(n)
    )


def test_sentiment_is_learned_from_scores_when_it_beats_the_lexicon(
    personas: Personas, model_dir: Path
) -> None:
    _store_scored(personas, 510)
    new = make_feedback(perimeter=personas.lille, nps=None, text="Encore la borne ce matin.")
    annotate([new.pk])
    assert Annotation.objects.get(feedback=new).sentiment_label == "neutral"  # the lexicon

    result = learn_sentiment_model()

    assert result.texts == 510 and result.saved and result.changed
    assert result.learned_f1 is not None and result.lexicon_f1 is not None
    assert result.learned_f1 > result.lexicon_f1
    assert "+s" in analysis_version()
    annotate([new.pk])
    assert Annotation.objects.get(feedback=new).sentiment_label == "negative"
    assert not learn_sentiment_model().fitted  # nothing new


def test_too_few_scored_texts_keep_the_lexicon(personas: Personas, model_dir: Path) -> None:
    _store_scored(personas, 499)
    result = learn_sentiment_model()
    assert (result.fitted, result.saved, result.changed, result.learned_f1) == (
        True,
        False,
        False,
        None,
    )
    assert "il en faut 500" in result.summary()
    assert analysis_version() == shipped_version()
