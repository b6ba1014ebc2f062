"""`pouls worker`: the task worker (django-tasks-db's ``db_worker``) plus the daily schedule.

Several worker processes, on one machine or several, share one database: a task row is
claimed by one worker (``SELECT … FOR UPDATE SKIP LOCKED`` on PostgreSQL, an exclusive
transaction on SQLite), the analysis pass is guarded by a lease (``ops.leases``) and each
daily job by its ``JobRun`` row. A running import holds a lease too, renewed at each commit:
at start and each minute, a worker takes back the imports whose lease expired (their worker
died) and they go on from their last committed record.
"""

from __future__ import annotations

import logging
import threading

from django.core.management import call_command
from django.db import close_old_connections

logger = logging.getLogger(__name__)

SCHEDULE_EVERY_SECONDS = 60.0


def _schedule_loop(stop: threading.Event) -> None:
    from pouls.ops.schedule import enqueue_due_jobs

    while not stop.wait(SCHEDULE_EVERY_SECONDS):
        try:
            close_old_connections()
            _take_back_imports()
            enqueue_due_jobs()
        except Exception:  # the schedule must outlive a database restart
            logger.exception("daily schedule check failed")
        finally:
            close_old_connections()


def _take_back_imports() -> None:
    from pouls.chain import on_worker_tick

    on_worker_tick()


def run_worker(*, interval: float, max_tasks: int | None, schedule: bool) -> None:
    """Run tasks until stopped (SIGINT/SIGTERM finish the current task first)."""
    stop = threading.Event()
    # Before the first task: an import a killed worker left running is queued again.
    try:
        _take_back_imports()
        if schedule:
            from pouls.ops.schedule import enqueue_due_jobs

            enqueue_due_jobs()
    except Exception:
        logger.exception("start-up checks failed")
    finally:
        close_old_connections()
    if schedule:
        threading.Thread(target=_schedule_loop, args=(stop,), daemon=True).start()
    options: dict[str, object] = {"interval": interval, "verbosity": 0}
    if max_tasks is not None:
        options["max_tasks"] = max_tasks
    try:
        call_command("db_worker", **options)
    finally:
        stop.set()
