"""``GET /health/``: what a load balancer or a monitor asks. No login, no data: the database
is reachable, no migration is pending, the oldest queued task's age, the daily jobs' last
success. 200 when the app can serve, 503 with the reason otherwise."""

from __future__ import annotations

from typing import Any

from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


def _pending_migrations() -> int:
    executor = MigrationExecutor(connection)
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def _oldest_queued_seconds() -> float | None:
    from django_tasks_db.models import DBTaskResult

    # ready(): queued and due now (a task scheduled for later is not late).
    oldest = (
        DBTaskResult.objects.ready()
        .order_by("enqueued_at")
        .values_list("enqueued_at", flat=True)
        .first()
    )
    return None if oldest is None else round((timezone.now() - oldest).total_seconds(), 1)


@never_cache
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    from pouls.ops.schedule import last_successes

    body: dict[str, Any] = {"status": "ok"}
    try:
        pending = _pending_migrations()
        body["pending_migrations"] = pending
        body["oldest_queued_task_seconds"] = _oldest_queued_seconds()
        body["daily_jobs_last_success"] = last_successes()
    except DatabaseError as exc:
        return JsonResponse(
            {"status": "error", "reason": f"database unreachable ({type(exc).__name__})"},
            status=503,
        )
    if pending:
        body.update(status="error", reason=f"{pending} migrations not applied")
        return JsonResponse(body, status=503)
    return JsonResponse(body)
