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
from dataclasses import dataclass

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
    3. detect weak signals over the recent weeks, from the fresh rollups.

    ``today`` (default: the server's date) sets the last complete week the detection reads.
    """
    from pouls.callbacks.actions import do_queue_recent_callbacks
    from pouls.rollups.fill import refresh
    from pouls.watch.detection import detect_recent

    started = time.perf_counter()
    queued = do_queue_recent_callbacks()
    periods = refresh()
    found = detect_recent(today=today)
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
    enters the callback queue now (its text may come later). Returns how many were queued."""
    from pouls.callbacks.actions import do_queue_callbacks

    return do_queue_callbacks([feedback_id])


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
