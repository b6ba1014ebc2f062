"""Who enters the callback queue: consenting detractors, and consenting passives whose text
the analysis found negative; idempotent; the SLA comes from the setting."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings
from django.utils import timezone

from pouls.annotations.models import Annotation
from pouls.callbacks.actions import do_queue_callbacks, do_queue_recent_callbacks
from pouls.callbacks.models import Callback
from pouls.chain import after_analysis
from pouls.feedback.models import Feedback
from pouls.testing import Personas, make_feedback, make_person


def _answer(personas: Personas, nps: int, *, consent: bool = True, **kw: object) -> Feedback:
    kw.setdefault("text", "Attente trop longue.")
    feedback = make_feedback(perimeter=personas.lille, nps=nps, **kw)  # type: ignore[arg-type]
    Feedback.objects.filter(pk=feedback.pk).update(callback_consent=consent)
    return feedback


def _annotate(feedback: Feedback, label: str) -> None:
    Annotation.objects.create(
        feedback=feedback,
        perimeter=feedback.perimeter,
        day=timezone.localdate(),
        lang="fr",
        sentiment=-0.6 if label == "negative" else 0.4,
        sentiment_label=label,
        version="test",
    )


def test_consenting_detractors_enter_the_queue_of_their_store(personas: Personas) -> None:
    seller = make_person(perimeter=personas.lille)
    queued = _answer(personas, 3, person=seller)
    _answer(personas, 4, consent=False)
    _answer(personas, 10)
    ids = list(Feedback.objects.values_list("pk", flat=True))
    assert do_queue_callbacks(ids) == 1
    callback = Callback.objects.get()
    assert callback.feedback == queued and callback.assignee == seller
    assert callback.perimeter == personas.lille
    assert callback.due_at - callback.created_at == dt.timedelta(hours=48)


def test_imported_detractors_without_text_are_swept_after_the_analysis(
    personas: Personas,
) -> None:
    silent = _answer(personas, 4, text="")
    _answer(personas, 4, text="", received_at=timezone.now() - dt.timedelta(days=30))
    assert after_analysis().callbacks_queued == 1
    assert Callback.objects.get().feedback == silent
    assert after_analysis().callbacks_queued == 0
    assert Callback.objects.count() == 1


def test_old_feedback_does_not_enter_the_queue(personas: Personas) -> None:
    old = _answer(personas, 1, received_at=timezone.now() - dt.timedelta(days=15))
    recent = _answer(personas, 1, received_at=timezone.now() - dt.timedelta(days=13))
    assert do_queue_callbacks([old.pk, recent.pk]) == 1
    assert Callback.objects.get().feedback == recent


def test_queueing_is_idempotent(personas: Personas) -> None:
    feedback = _answer(personas, 0)
    assert do_queue_callbacks([feedback.pk]) == 1
    assert do_queue_callbacks([feedback.pk]) == 0
    assert Callback.objects.count() == 1


def test_a_passive_enters_only_once_its_text_is_found_negative(personas: Personas) -> None:
    negative, positive = _answer(personas, 7), _answer(personas, 8)
    assert do_queue_callbacks([negative.pk, positive.pk]) == 0  # not analysed yet
    _annotate(negative, "negative")
    _annotate(positive, "positive")
    assert do_queue_recent_callbacks() == 1
    callback = Callback.objects.get()
    assert callback.feedback == negative and callback.reason == "negative_passive"
    assert do_queue_recent_callbacks() == 0  # another pass
    assert Callback.objects.count() == 1


@pytest.mark.django_db
@override_settings(POULS_CALLBACK_SLA_HOURS=24)
def test_the_sla_follows_the_setting(personas: Personas) -> None:
    feedback = _answer(personas, 2)
    do_queue_callbacks([feedback.pk])
    callback = Callback.objects.get()
    assert callback.due_at - callback.created_at == dt.timedelta(hours=24)


def test_the_sla_setting_is_read_from_the_environment(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("POULS_")}
    env["POULS_DATA_DIR"] = str(tmp_path)
    code = "from django.conf import settings; print(settings.POULS_CALLBACK_SLA_HOURS)"
    run = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        env={**env, "POULS_CALLBACK_SLA_HOURS": "12", "DJANGO_SETTINGS_MODULE": "pouls.settings"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.stdout.strip().endswith("12"), run.stderr
    bad = subprocess.run(
        [sys.executable, "-c", "import pouls.settings"],
        env={**env, "POULS_CALLBACK_SLA_HOURS": "0"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert bad.returncode != 0 and "POULS_CALLBACK_SLA_HOURS" in bad.stderr
