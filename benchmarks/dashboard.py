"""Server time of the dashboards on the demo company (README: `python benchmarks/dashboard.py`).

Builds the demo (seed 42) in a data directory of its own unless it is there already, then
times N requests of the group dashboard over all data (alice) and of a store dashboard (bob),
through Django's full request stack (middleware, scoping, queries, template). For comparison,
in the same run, it times the naive path a user would otherwise take: export every feedback
row and compute the same NPS, interval and weekly trend in Python. Prints medians, p95 and the
machine. Target (issue 2): group dashboard median under 300 ms on SQLite. Also times the
verbatim explorer's French full-text search (10 queries, alice on the group) and the callback
queue (first page, alice on the group) (issue 17: median under 300 ms each).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _timings(fn: Callable[[], object], n: int) -> list[float]:
    fn()  # warm-up: caches, compiled templates, connection
    out = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def _summary(name: str, ms: list[float]) -> str:
    ms = sorted(ms)
    p95 = ms[min(len(ms) - 1, int(round(0.95 * len(ms))) - 1)]
    return f"{name:<46} median {statistics.median(ms):8.1f} ms   p95 {p95:8.1f} ms   (n={len(ms)})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", default="pouls-data-bench")
    parser.add_argument("--requests", type=int, default=50)
    args = parser.parse_args()
    os.environ.setdefault("POULS_DATA_DIR", args.data_dir)
    os.environ.setdefault("POULS_SECRET_KEY", "benchmark-only-not-secret")
    os.environ.setdefault("POULS_ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pouls.settings")
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from benchmarks._machine import describe
    from pouls.demo.build import demo_exists, do_build_demo
    from pouls.feedback.models import Feedback
    from pouls.org.models import Perimeter
    from pouls_analysis import nps_from_scores

    call_command("migrate", verbosity=0)
    if not demo_exists():
        start = time.perf_counter()
        counts = do_build_demo(seed=42)
        print(f"demo built in {time.perf_counter() - start:.1f} s: {counts}")
    # Dashboards read the rollups, which the worker keeps up to date after each import.
    from pouls.rollups.fill import refresh

    start = time.perf_counter()
    print(f"rollups: {refresh()} periods filled in {time.perf_counter() - start:.1f} s")
    group = Perimeter.objects.get(ref="DEMO-GROUPE")
    lille = Perimeter.objects.get(name="Magasin Lille")
    rows = Feedback.objects.count()

    def page(
        user: str, perimeter: Perimeter, query: str, view: str = "web-perimeter-dashboard"
    ) -> Callable[[], object]:
        client = Client()
        client.force_login(User.objects.get(username=user))
        url = reverse(view, args=[perimeter.code]) + query

        def get() -> object:
            response = client.get(url)
            assert response.status_code == 200, response.status_code
            return response

        return get

    def naive_export() -> object:
        data = list(Feedback.objects.filter(nps__isnull=False).values_list("nps", "received_at"))
        weeks: dict[object, list[int]] = {}
        for score, received in data:
            if score is not None:
                weeks.setdefault(received.isocalendar()[:2], []).append(score)
        overall = nps_from_scores(s for s, _ in data if s is not None)
        return overall, [nps_from_scores(v) for v in weeks.values()]

    print(f"machine: {describe()}")
    print(f"database: {connection.vendor}, {rows} feedback rows")
    n = args.requests
    group_ms = _timings(page("alice", group, "?periode=all"), n)
    print(_summary("group dashboard, all data (alice)", group_ms))
    trend_ms = _timings(page("alice", group, "", "web-perimeter-trend"), n)
    print(_summary("group weekly trend JSON, 12 months (alice)", trend_ms))
    print(_summary("store dashboard, 90 days (bob)", _timings(page("bob", lille, ""), n)))
    store_trend = _timings(page("bob", lille, "", "web-perimeter-trend"), n)
    print(_summary("store weekly trend JSON (bob)", store_trend))
    words = [
        "livraison",
        "attente caisse",
        "vendeur",
        "retard",
        "remboursement",
        "accueil",
        "prix",
        "parking",
        "conseil",
        "delai",
    ]
    searches = [
        page("alice", group, f"?q={w.replace(' ', '+')}", "web-verbatim-list") for w in words
    ]
    search_ms = [ms for search in searches for ms in _timings(search, max(n // 10, 3))]
    print(_summary("verbatim search, 10 French queries (alice)", search_ms))
    from pouls.callbacks.actions import do_queue_recent_callbacks

    do_queue_recent_callbacks()
    queue = page("alice", group, "", "callbacks-callback-queue")
    print(_summary("callback queue, first page (alice)", _timings(queue, n)))
    naive_ms = _timings(naive_export, n)
    print(_summary("naive: export all rows + compute in Python", naive_ms))
    ratio = statistics.median(naive_ms) / statistics.median(group_ms)
    print(f"naive export / group dashboard (medians): {ratio:.1f}x")


if __name__ == "__main__":
    main()
