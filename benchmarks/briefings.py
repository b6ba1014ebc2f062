"""Team briefings on the demo company: `python benchmarks/briefings.py [--data-dir DIR]`.

Needs the analysed demo (`POULS_DATA_DIR=DIR pouls demo --no-serve`, then
`POULS_DATA_DIR=DIR pouls manage detect_signals` for the weak signals). Times, for last
week's briefing as alice: the first build in this process (it loads spaCy's French model for
the verbatim choice), then the median of N builds of a store, a region and the group; the PDF
(WeasyPrint) and the Markdown of the store's briefing. Prints the machine.
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


def _median_ms(fn: Callable[[], object], n: int) -> float:
    times = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", default="pouls-data")
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    os.environ.setdefault("POULS_DATA_DIR", args.data_dir)
    os.environ.setdefault("POULS_SECRET_KEY", "benchmark-only-not-secret")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pouls.settings")
    import django

    django.setup()
    from django.contrib.auth.models import User

    from benchmarks._machine import describe
    from pouls.briefings.queries import build_snapshot, default_start
    from pouls.briefings.render import render_markdown, render_pdf
    from pouls.demo.build import demo_exists
    from pouls.org.models import Perimeter

    if not demo_exists():
        sys.exit(f"No demo in {args.data_dir}: run `pouls demo --no-serve` with it first.")
    alice = User.objects.get(username="alice")
    start = default_start("weekly")
    store = Perimeter.objects.get(name="Magasin Lille")
    region = Perimeter.objects.get(name="Région Nord")
    group = Perimeter.objects.get(ref="DEMO-GROUPE")
    print(f"machine: {describe()}")
    print(f"briefing of the week starting {start:%Y-%m-%d}")
    began = time.perf_counter()
    snapshot = build_snapshot(alice, store, "weekly", start)
    print(f"first build in this process (spaCy load): {time.perf_counter() - began:.1f} s")
    for label, perimeter in (("store", store), ("region", region), ("group", group)):
        ms = _median_ms(lambda p=perimeter: build_snapshot(alice, p, "weekly", start), args.runs)
        print(f"build, {label:<6} ({perimeter.name}): median {ms:7.1f} ms (n={args.runs})")
    pdf_ms = _median_ms(lambda: render_pdf(snapshot), max(3, args.runs // 3))
    print(f"PDF (WeasyPrint), store: median {pdf_ms:7.1f} ms, {len(render_pdf(snapshot))} bytes")
    md_ms = _median_ms(lambda: render_markdown(snapshot), args.runs)
    print(f"Markdown, store: median {md_ms:7.1f} ms")
    points = snapshot["figures_points"], snapshot["customer_points"]
    print(f"store balance points (figures, customers): {points}")


if __name__ == "__main__":
    main()
