"""Two workers never run the analysis pass (and the rollups that follow it) at once: the
second finds the lease taken, does nothing and queues one retry."""

from __future__ import annotations

import pytest
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from pouls.annotations.models import Annotation
from pouls.annotations.tasks import analyse_pending_feedback
from pouls.ops import leases
from pouls.testing import Personas, make_feedback

pytestmark = pytest.mark.django_db


def test_a_second_pass_waits_for_the_first(personas: Personas) -> None:
    make_feedback(perimeter=personas.lille, nps=2, text="La caisse était fermée, attente longue.")
    assert leases.acquire("analysis", "other-worker")
    assert analyse_pending_feedback.call() == 0
    assert not Annotation.objects.exists()
    retries = DBTaskResult.objects.filter(
        status=TaskResultStatus.READY, task_path=analyse_pending_feedback.module_path
    )
    assert retries.count() == 1
    assert analyse_pending_feedback.call() == 0
    assert retries.count() == 1  # one retry waiting is enough
    leases.release("analysis", "other-worker")
    assert analyse_pending_feedback.call() == 1
    assert Annotation.objects.count() == 1
