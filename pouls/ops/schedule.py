"""The daily jobs, run by `pouls worker` at one configured time (``POULS_DAILY_AT``) instead of
a crontab the user must write.

Every worker process checks the schedule each minute; the first one to insert the day's
``JobRun`` row queues the job and the others find the row and skip it, so several workers on
several machines run each job once a day.
"""

from __future__ import annotations

import datetime as dt
import io
import logging

from django.conf import settings
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks import task

from pouls.ops.models import JobRun

logger = logging.getLogger(__name__)

# Order matters a little: purge first (less to carry), then what the morning mails read.
DAILY_JOBS = (
    "purge_personal_data",
    "purge_audit",
    "detect_candidate_themes",
    "remind_callbacks",
    "send_briefings",
    "send_digests",
)


def enqueue_due_jobs(now: dt.datetime | None = None) -> list[str]:
    """Queue today's jobs once the configured time has passed; returns those queued here."""
    at: dt.time | None = settings.POULS_DAILY_AT
    local = timezone.localtime(now or timezone.now())
    if at is None or local.time() < at:
        return []
    queued = []
    for job in DAILY_JOBS:
        try:
            with transaction.atomic():
                JobRun.objects.create(job=job, day=local.date())
        except IntegrityError:
            continue  # another worker queued it (or it ran) today
        run_daily_job.enqueue(job, local.date().isoformat())
        queued.append(job)
    if queued:
        logger.info("daily jobs queued: %s", ",".join(queued))
    return queued


@task()
def run_daily_job(job: str, day: str) -> str:
    """Run one daily job (a management command) and record how it ended."""
    run = JobRun.objects.get(job=job, day=dt.date.fromisoformat(day))
    run.status, run.started_at = JobRun.Status.RUNNING, timezone.now()
    run.save(update_fields=["status", "started_at"])
    try:
        call_command(job, stdout=io.StringIO())
    except Exception as exc:
        run.status, run.error = JobRun.Status.FAILED, type(exc).__name__
        logger.exception("daily job %s failed", job)
    else:
        run.status = JobRun.Status.DONE
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "error", "finished_at"])
    return str(run.status)


def last_successes() -> dict[str, str | None]:
    """Each daily job's last successful end (ISO time), None when it never succeeded."""
    done = {
        job: finished.isoformat()
        for job, finished in JobRun.objects.filter(status=JobRun.Status.DONE)
        .order_by("job", "finished_at")
        .values_list("job", "finished_at")
        if finished is not None
    }
    return {job: done.get(job) for job in DAILY_JOBS}
