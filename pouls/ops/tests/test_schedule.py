from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from pouls.ops.models import JobRun
from pouls.ops.schedule import DAILY_JOBS, enqueue_due_jobs, last_successes, run_daily_job

pytestmark = pytest.mark.django_db

MORNING = timezone.make_aware(dt.datetime(2026, 12, 7, 7, 0))
NIGHT = timezone.make_aware(dt.datetime(2026, 12, 7, 5, 0))


@override_settings(POULS_DAILY_AT=dt.time(6, 30))
def test_each_job_is_queued_once_a_day_whatever_the_number_of_workers() -> None:
    assert enqueue_due_jobs(NIGHT) == []
    assert enqueue_due_jobs(MORNING) == list(DAILY_JOBS)
    assert enqueue_due_jobs(MORNING + dt.timedelta(minutes=1)) == []  # a second worker
    assert DBTaskResult.objects.count() == len(DAILY_JOBS)
    assert enqueue_due_jobs(MORNING + dt.timedelta(days=1)) == list(DAILY_JOBS)


@override_settings(POULS_DAILY_AT=None)
def test_off_queues_nothing() -> None:
    assert enqueue_due_jobs(MORNING) == []


@override_settings(POULS_DAILY_AT=dt.time(6, 30))
def test_a_job_run_records_its_success(personas: object) -> None:
    enqueue_due_jobs(MORNING)
    assert run_daily_job.call("remind_callbacks", "2026-12-07") == "done"
    run = JobRun.objects.get(job="remind_callbacks")
    assert run.finished_at is not None
    assert last_successes()["remind_callbacks"] == run.finished_at.isoformat()
    assert last_successes()["send_digests"] is None
