"""What follows an event (an analysis pass, a survey answer), in plain functions anyone can
read and call.

The analysis task (``annotations.tasks.analyse_pending_feedback``), ``pouls demo``,
``learn_models`` and the tests all call :func:`after_analysis`; no dispatch signal carries this
work, so its order is the order written here and no caller can leave a step out.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class AfterAnalysis:
    callbacks_queued: int
    periods_refreshed: int
    signals_found: int


def after_analysis(today: dt.date | None = None) -> AfterAnalysis:
    """Steps, in order (each one idempotent, so a repeated or concurrent pass is harmless):

    1. queue the callbacks the new texts call for (consenting detractors, and passives whose
       text reads negative now that the sentiment is known);
    2. refresh the rollups of every day that changed (dashboards read only rollups);
    3. detect weak signals over the recent weeks, from the fresh rollups;
    4. queue the webhooks of the callbacks and signals created here (``callback.created``,
       ``signal.created``).

    ``today`` (default: the server's date) sets the last complete week the detection reads.
    """
    from pouls.api.webhooks import emit_callbacks_created, emit_signals_created
    from pouls.callbacks.actions import do_queue_recent_callbacks
    from pouls.callbacks.models import Callback
    from pouls.rollups.fill import refresh
    from pouls.watch.detection import detect_recent
    from pouls.watch.models import ThemeSignal

    started = time.perf_counter()
    # Rows are only ever added with growing ids: what lies above these marks is new here.
    last_callback = Callback.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    last_signal = ThemeSignal.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    queued = do_queue_recent_callbacks()
    periods = refresh()
    found = detect_recent(today=today)
    if queued:
        emit_callbacks_created(Callback.objects.filter(pk__gt=last_callback).order_by("pk"))
    emit_signals_created(ThemeSignal.objects.filter(pk__gt=last_signal).order_by("pk"))
    logger.info(
        "after analysis: %d callbacks queued, %d periods refreshed, %d signals (%d ms)",
        queued,
        periods,
        found,
        (time.perf_counter() - started) * 1000,
    )
    return AfterAnalysis(queued, periods, found)


def after_answer(feedback_id: int) -> int:
    """What follows one survey answer at once, before any analysis: a consenting detractor
    enters the callback queue now (its text may come later), and the perimeter's webhooks
    hear of it (``callback.created``). Returns how many were queued."""
    from pouls.api.webhooks import emit_callbacks_created
    from pouls.callbacks.actions import do_queue_callbacks
    from pouls.callbacks.models import Callback

    queued = do_queue_callbacks([feedback_id])
    if queued:
        emit_callbacks_created(Callback.objects.filter(feedback_id=feedback_id))
    return queued


def after_import(batch: Any) -> int:
    """What follows a finished (or failed) file import: the ``import.finished`` webhooks."""
    from pouls.api.webhooks import emit_import_finished

    return emit_import_finished(batch)


def after_overdue(callbacks: Iterable[Any]) -> int:
    """What follows the daily reminder of overdue callbacks: the ``callback.overdue``
    webhooks (one per callback per reminder, so at most one a day)."""
    from pouls.api.webhooks import emit_callbacks_overdue

    return emit_callbacks_overdue(callbacks)


def request_analysis() -> None:
    """Queue an analysis pass (then :func:`after_analysis`) once the current transaction
    commits; the worker runs it, and several requests in a row cost one pass."""
    from django.db import transaction

    from pouls.annotations.tasks import analyse_pending_feedback

    transaction.on_commit(lambda: analyse_pending_feedback.enqueue())


def after_reorganisation() -> int:
    """After a perimeter moved in the tree: every ancestor's figures changed, so the rollups
    are rebuilt from the raw rows (``rollups.fill.rebuild_all``); how many periods."""
    from pouls.rollups.fill import rebuild_all

    started = time.perf_counter()
    periods = rebuild_all()
    logger.info(
        "rollups rebuilt after a reorganisation: %d periods in %d ms",
        periods,
        (time.perf_counter() - started) * 1000,
    )
    return periods


def after_erasure(days: set[dt.date]) -> int:
    """After a customer's rows were erased: the figures of the days they were received on are
    rebuilt from the rows left (the rollups must not keep counting them); how many periods."""
    from pouls.rollups.fill import fill_pending, mark_pending

    if not days:
        return 0
    mark_pending(days)
    return fill_pending()


def on_worker_tick() -> None:
    """What every worker does at start and each minute: queue again an import whose worker
    died (its lease expired), so it goes on from its last committed record."""
    from pouls.feedback.tasks import resume_stale_imports

    resume_stale_imports()
