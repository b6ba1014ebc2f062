"""Operations state shared by every web and worker process through the database: leases that
keep two workers off the same work, and the record of the daily jobs."""

from __future__ import annotations

from django.db import models


class Lease(models.Model):
    """A named piece of work held by one worker process until ``expires_at`` (renewed while
    it works); a killed holder's lease simply expires and the next worker takes it."""

    name = models.CharField(max_length=64, unique=True)
    holder = models.CharField(max_length=128, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.holder or 'free'})"


class JobRun(models.Model):
    """One run of a daily job on one day: the unique key is what lets several workers share
    the schedule (the first one to insert the row runs the job, the others skip it)."""

    class Status(models.TextChoices):
        QUEUED = "queued", "En file"
        RUNNING = "running", "En cours"
        DONE = "done", "Terminé"
        FAILED = "failed", "Échec"

    job = models.CharField(max_length=64)
    day = models.DateField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["job", "day"], name="ops_jobrun_one_per_day"),
        ]

    def __str__(self) -> str:
        return f"{self.job} {self.day} {self.status}"
