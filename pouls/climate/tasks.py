"""Background work of the climate app: writing pending answers in shuffled batches."""

from __future__ import annotations

import logging

from django.db import DatabaseError, connection
from django_tasks import task

from pouls.climate.actions import do_write_answer_batch

logger = logging.getLogger(__name__)


@task()
def write_answer_batch(campaign_id: int, final: bool = False) -> int:
    """Write a campaign's pending answers once a batch's floor is reached (or all of them,
    with every earlier batch reshuffled, when ``final``); idempotent: a second run finds
    fewer than the floor and writes nothing."""
    written = do_write_answer_batch(campaign_id, final=final)
    if written and connection.vendor == "postgresql" and not connection.in_atomic_block:
        # The batch left dead row versions behind: the pending answers and the invitations'
        # versions stamped with each answer's own transaction id. VACUUM frees them now
        # rather than at autovacuum's leisure (a superuser's pageinspect would list them).
        try:
            with connection.cursor() as cursor:
                cursor.execute("VACUUM climate_pendinganswer, climate_invitation")
        except DatabaseError:
            logger.warning("climate batch: VACUUM failed; autovacuum will free the rows")
    return written
