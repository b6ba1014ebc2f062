"""Background analysis of new feedback texts (enqueued after each import and answer), and
learning from the analysts' theme corrections (enqueued after corrections)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django_tasks import TaskResultStatus, task

from pouls.annotations.services import annotate_pending
from pouls.ops import leases

# Corrections come in bursts (an analyst reviews a page of verbatims): learning waits this
# long after the first one, and the burst costs one fit.
LEARNING_DELAY = dt.timedelta(minutes=5)


# A pass that finds another worker on the analysis comes back this much later, so that texts
# committed after that worker's last look are not left waiting for the next import.
RETRY_DELAY = dt.timedelta(seconds=30)


@task()
def analyse_pending_feedback() -> int:
    """Annotate every feedback text not yet analysed by the current version, then run what
    follows every pass (an import without texts also ends here).

    One worker at a time holds the "analysis" lease (renewed after each batch): two workers
    never annotate the same batch nor rebuild the same rollup period at once. A pass that
    finds the lease taken queues one retry (unless one is already waiting) and returns 0.
    """
    from pouls.chain import after_analysis

    with leases.hold("analysis") as holder:
        if holder is None:
            _retry_later()
            return 0
        done = annotate_pending(on_batch=lambda: leases.acquire("analysis", holder))
        after_analysis()
    return done


def _retry_later() -> None:
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.filter(
        status=TaskResultStatus.READY, task_path=analyse_pending_feedback.module_path
    )
    if not waiting.exists():
        analyse_pending_feedback.using(run_after=timezone.now() + RETRY_DELAY).enqueue()


@task()
def learn_from_corrections() -> bool:
    """Learn the theme model from every correction; when the saved model changed, queue the
    analysis (its version changed, so every text is redone). Returns whether it changed."""
    from pouls.annotations.learning import learn_theme_model

    result = learn_theme_model()
    if result.changed:
        analyse_pending_feedback.enqueue()
    return result.changed


def request_learning() -> None:
    """Queue one learning pass, ``LEARNING_DELAY`` from now, unless one is already waiting
    (learning is idempotent too: a pass with nothing new does nothing)."""

    def enqueue() -> None:
        from django_tasks_db.models import DBTaskResult

        waiting = DBTaskResult.objects.filter(
            status=TaskResultStatus.READY, task_path=learn_from_corrections.module_path
        )
        if not waiting.exists():
            learn_from_corrections.using(run_after=timezone.now() + LEARNING_DELAY).enqueue()

    transaction.on_commit(enqueue)
