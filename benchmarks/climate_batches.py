"""Cost of writing climate answers in shuffled batches (docs/climate.md, "Batches").

    python benchmarks/climate_batches.py [--answers 2000] [--batch 10]

In a fresh SQLite database (or POULS_DATABASE_URL), one campaign (all six shipped
questionnaires, one comment per answer) receives ``answers`` answers through ``do_answer``
(two transactions each); the batch writer runs every ``batch`` answers, as the worker does;
then the campaign is closed and the final batch rewrites every answer in one shuffle.
Prints the median time of an answer, of a regular batch, and of the final rewrite, with the
machine.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=2000)
    parser.add_argument("--batch", type=int, default=10)
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="pouls-climate-batches-")
    os.environ.update(
        POULS_DATA_DIR=workdir,
        POULS_SECRET_KEY="bench-only",
        DJANGO_SETTINGS_MODULE="pouls.settings",
        POULS_CLIMATE_BATCH_MIN=str(args.batch),
    )
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from benchmarks._machine import describe
    from pouls.climate.actions import (
        do_answer,
        do_close_campaign,
        do_launch_campaign,
        do_print_links,
        do_write_answer_batch,
        hash_token,
    )
    from pouls.climate.instruments import shipped_text
    from pouls.climate.models import Campaign, Invitation, Response
    from pouls.climate.tests.builders import ALL, answers_for
    from pouls.org.models import Perimeter
    from pouls.testing import make_user

    call_command("migrate", verbosity=0)
    store = Perimeter.objects.create(name="Magasin", kind="store", ref="M")
    campaign = Campaign.objects.create(
        perimeter=store,
        name="Banc d'essai",
        instruments={i: shipped_text(i) for i in ALL},
        distributor=make_user("distributeur"),
    )
    campaign.targets.set([store])
    do_launch_campaign(campaign)
    tokens = do_print_links(campaign.distributor, campaign, store, args.answers, str)
    answer_times, batch_times = [], []
    for i, token in enumerate(tokens):
        invitation = Invitation.objects.select_related("campaign", "perimeter").get(
            token_hash=hash_token(token)
        )
        started = time.perf_counter()
        do_answer(invitation, answers_for(campaign, i % 6), {}, {"general": f"avis {i}"})
        answer_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        if do_write_answer_batch(campaign.pk):
            batch_times.append(time.perf_counter() - started)
    do_close_campaign(campaign)
    started = time.perf_counter()
    do_write_answer_batch(campaign.pk, final=True)
    final = time.perf_counter() - started
    assert Response.objects.filter(campaign=campaign).count() == args.answers
    print(f"machine: {describe()}")
    print(f"database: {connection.vendor}; answers: {args.answers}; batch floor: {args.batch}")
    median_answer = statistics.median(answer_times) * 1000
    print(f"answer (do_answer, 2 transactions): median {median_answer:.1f} ms")
    print(
        f"regular batch of {args.batch}: median {statistics.median(batch_times) * 1000:.1f} ms "
        f"({len(batch_times)} batches)"
    )
    print(f"final rewrite of {args.answers} answers and comments: {final:.2f} s")


if __name__ == "__main__":
    main()
