"""Rollups at scale (issue 5): `python benchmarks/rollups.py [--rows 1000000] [--postgres URL]`.

Generates an organisation of 500 stores under 10 regions and ``--rows`` feedback items over
two years (with one annotation per text and one or two theme mentions, written directly: the
analysis itself is measured by benchmarks/analysis.py), then measures, on SQLite and (when
``--postgres`` is given) on PostgreSQL in the same run:

- the full recompute of every rollup (``rebuild_all``);
- the incremental update after one more day of feedback (``refresh``), median of 3 days;
- dashboard reads from the rollups (group NPS over 90 days and over all history, a store's
  weekly trend, NPS of all 511 perimeters for the home page), median of 20 each;
- side by side, the same figures read without rollups: one plain SQL aggregate over the same
  feedback rows (``COUNT(*) FILTER``-style counts through the ORM, the date bound written as
  a timestamp so that no row is cast to a date by a Python function on SQLite), checked to
  give the same counts as the rollups.

Targets: full < 120 s, daily update < 5 s, reads < 50 ms. Prints the machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

STORES, REGIONS, DAYS = 500, 10, 730
THEMES = ["delivery", "waiting", "price", "welcome", "checkout_payment", "advice_competence"]
CHANNELS = ["store", "web", "phone", "email"]


def _median_ms(fn: Callable[[], object], n: int) -> float:
    fn()
    times = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def _generate(rows: int, end: dt.date, seed: int = 7) -> None:
    from django.db import transaction
    from django.utils import timezone

    from pouls.annotations.models import Annotation, ThemeMention
    from pouls.feedback.models import Feedback
    from pouls.org.models import Perimeter

    rng = random.Random(seed)
    group = Perimeter.objects.create(name="Groupe bench", kind="group", ref="B-G")
    stores = []
    for r in range(REGIONS):
        region = Perimeter.objects.create(
            name=f"Région {r}", kind="region", parent=group, ref=f"B-R{r}"
        )
        for s in range(STORES // REGIONS):
            stores.append(
                Perimeter.objects.create(
                    name=f"Magasin {r}-{s}", kind="store", parent=region, ref=f"B-S{r}-{s}"
                )
            )
    zone = timezone.get_current_timezone()
    start = end - dt.timedelta(days=DAYS - 1)
    batch = 20_000
    for offset in range(0, rows, batch):
        # Days in order, as real traffic arrives (the last rows are the most recent).
        items = []
        for i in range(offset, min(rows, offset + batch)):
            day = start + dt.timedelta(days=i * DAYS // rows)
            moment = dt.datetime.combine(day, dt.time(9 + rng.randrange(10)), tzinfo=zone)
            items.append(
                Feedback(
                    perimeter=rng.choice(stores),
                    source_kind="survey",
                    channel=rng.choice(CHANNELS),
                    received_at=moment,
                    nps=rng.choice([0, 3, 5, 6, 7, 8, 8, 9, 9, 10, 10, 10]),
                    text="texte",
                )
            )
        with transaction.atomic():
            Feedback.objects.bulk_create(items, batch_size=5000)
            notes, mentions = [], []
            for f in items:
                day = timezone.localdate(f.received_at)
                common = {"feedback_id": f.pk, "perimeter_id": f.perimeter_id, "day": day}
                score = rng.uniform(-1, 1)
                notes.append(
                    Annotation(
                        **common,
                        lang="fr",
                        sentiment=score,
                        sentiment_label="negative" if score < -0.2 else "positive",
                        version="bench",
                    )
                )
                for theme in rng.sample(THEMES, rng.choice([1, 1, 2])):
                    mentions.append(
                        ThemeMention(
                            **common,
                            theme=theme,
                            confidence=0.9,
                            polarity=rng.choice(["negative", "positive", "neutral"]),
                            polarity_score=0.0,
                            start=0,
                            end=5,
                        )
                    )
            Annotation.objects.bulk_create(notes, batch_size=5000)
            ThemeMention.objects.bulk_create(mentions, batch_size=5000)


def run(label: str, rows: int) -> dict[str, float]:
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.db.models import Count, Q
    from django.utils import timezone

    from pouls.feedback.models import Feedback
    from pouls.org.models import Grant, Perimeter
    from pouls.rollups.fill import rebuild_all, refresh
    from pouls.rollups.queries import nps_counts, weekly_trend
    from pouls_analysis import nps_from_counts

    call_command("migrate", verbosity=0)
    end = dt.date(2026, 11, 1)
    started = time.perf_counter()
    _generate(rows, end)
    print(f"[{label}] generated {rows:,} feedback in {time.perf_counter() - started:.0f} s")
    group = Perimeter.objects.get(ref="B-G")
    store = Perimeter.objects.get(ref="B-S3-7")
    alice = User.objects.create_user("bench-alice")
    Grant.objects.create(user=alice, perimeter=group, role="admin")

    started = time.perf_counter()
    periods = rebuild_all()
    full = time.perf_counter() - started
    print(f"[{label}] full recompute: {full:.1f} s ({periods} periods)")

    daily = []
    for k in range(3):
        _generate_day(end + dt.timedelta(days=k + 1), rows // DAYS)
        started = time.perf_counter()
        refresh()
        daily.append(time.perf_counter() - started)
    print(f"[{label}] daily update: median {statistics.median(daily):.2f} s ({daily})")

    since = end - dt.timedelta(days=89)
    ids = list(Perimeter.objects.values_list("pk", flat=True))
    perimeter_ids = [group.pk]
    reads = {
        "group NPS, 90 days": lambda: nps_counts(alice, perimeter_ids, since),
        "group NPS, all history": lambda: nps_counts(alice, perimeter_ids),
        "store weekly trend": lambda: weekly_trend(alice, store.pk),
        "home: 511 perimeters, 90 days": lambda: nps_counts(alice, ids, since),
    }
    counts = {
        "promoters": Count("pk", filter=Q(nps__gte=9)),
        "passives": Count("pk", filter=Q(nps__gte=7, nps__lte=8)),
        "detractors": Count("pk", filter=Q(nps__lte=6)),
    }
    # The same rows as "day >= since" in the server's time zone, as the rollups count them:
    # received at or after that day's local midnight.
    start = timezone.make_aware(dt.datetime.combine(since, dt.time.min))
    naive = {
        "group NPS, 90 days": lambda: (
            Feedback.objects.for_user(alice).filter(received_at__gte=start).aggregate(**counts)
        ),
        "group NPS, all history": lambda: Feedback.objects.for_user(alice).aggregate(**counts),
    }
    for name, since_day in (("group NPS, 90 days", since), ("group NPS, all history", None)):
        rolled = nps_counts(alice, perimeter_ids, since_day)[group.pk]
        plain = naive[name]()
        same = all(rolled[k] == plain[k] for k in ("promoters", "passives", "detractors"))
        assert same, f"{name}: rollups {rolled} but SQL over the rows {plain}"
        nps_from_counts(**plain)
    figures = {"full_s": full, "daily_s": statistics.median(daily)}
    for name, fn in reads.items():
        ms = _median_ms(fn, 20)
        figures[name] = ms
        line = f"[{label}] read {name:<32} rollups {ms:8.1f} ms"
        if name in naive:
            raw = _median_ms(naive[name], 3)
            line += f"   SQL over the rows {raw:9.1f} ms   ratio {raw / ms:7.0f}x"
        print(line)
    return figures


def _generate_day(day: dt.date, rows: int) -> None:
    from django.utils import timezone

    from pouls.feedback.changes import record_days
    from pouls.feedback.models import Feedback
    from pouls.org.models import Perimeter

    rng = random.Random(day.toordinal())
    stores = list(Perimeter.objects.filter(kind="store"))
    zone = timezone.get_current_timezone()
    Feedback.objects.bulk_create(
        [
            Feedback(
                perimeter=rng.choice(stores),
                source_kind="survey",
                channel=rng.choice(CHANNELS),
                received_at=dt.datetime.combine(day, dt.time(12), tzinfo=zone),
                nps=rng.randrange(11),
            )
            for _ in range(rows)
        ],
        batch_size=5000,
    )
    record_days([day])  # as every writer of feedback does


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--postgres", help="postgres://... URL of an EMPTY database")
    parser.add_argument("--data-dir", default="pouls-data-bench-rollups")
    parser.add_argument("--child", choices=["sqlite", "postgres"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        os.environ.setdefault("POULS_SECRET_KEY", "benchmark-only-not-secret")
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pouls.settings")
        import django

        django.setup()
        run(args.child, args.rows)
        return
    from benchmarks._machine import describe

    print(describe())
    # One process per database: settings are read once per process.
    data_dir = Path(args.data_dir)
    if (data_dir / "pouls.sqlite3").exists():
        sys.exit(f"{data_dir} already holds a database: remove it or pass another --data-dir")
    env = {**os.environ, "POULS_DATA_DIR": str(data_dir)}
    env.pop("POULS_DATABASE_URL", None)
    me = [sys.executable, __file__, "--rows", str(args.rows)]
    subprocess.run([*me, "--child", "sqlite"], env=env, check=True)
    if args.postgres:
        env["POULS_DATABASE_URL"] = args.postgres
        subprocess.run([*me, "--child", "postgres"], env=env, check=True)
    else:
        print("PostgreSQL skipped (pass --postgres postgres://user@host/empty_db)")


if __name__ == "__main__":
    main()
