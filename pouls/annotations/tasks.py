"""Background analysis of new feedback texts (enqueued after each import and answer)."""

from __future__ import annotations

from django.db import transaction
from django_tasks import task

from pouls.annotations.models import Annotation
from pouls.annotations.services import annotate_pending
from pouls.annotations.signals import analysis_finished


@task()
def analyse_pending_feedback() -> int:
    """Annotate every feedback text not yet analysed by the current version, then tell the
    listeners (the rollups refresh themselves; an import without texts also ends here)."""
    done = annotate_pending()
    analysis_finished.send(sender=Annotation)
    return done


def request_analysis() -> None:
    """Queue the analysis of new texts once the current transaction commits (the worker
    runs it; several requests in a row cost one pass, the others find nothing left)."""
    transaction.on_commit(lambda: analyse_pending_feedback.enqueue())
