"""Background work of the climate app: writing pending answers in shuffled batches."""

from __future__ import annotations

from django_tasks import task

from pouls.climate.actions import do_write_answer_batch


@task()
def write_answer_batch(campaign_id: int, final: bool = False) -> int:
    """Write a campaign's pending answers once a batch's floor is reached (or all of them,
    with every earlier batch reshuffled, when ``final``); idempotent: a second run finds
    fewer than the floor and writes nothing."""
    return do_write_answer_batch(campaign_id, final=final)
