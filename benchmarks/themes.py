"""Throughput of the theme stage: ThemeModel.annotate, discovery of uncovered texts, verbatims.

Reads real French reviews from ../shared/data (insurance and Amazon.fr; never shipped), repeats
them up to --n texts, and prints texts per second and peak memory. The full pipeline benchmark
(language, sentiment, themes, behaviours, BERTopic side by side) is benchmarks/analysis.py.

Usage: python -m benchmarks.themes --n 50000
       python -m benchmarks.themes --discover 1000000   # discovery alone, at scale
"""

from __future__ import annotations

import argparse
import csv
import resource
import sys
import time
from pathlib import Path

from benchmarks._machine import describe

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def _texts(limit: int) -> list[str]:
    csv.field_size_limit(sys.maxsize)
    texts: list[str] = []
    for name in ("fr_insurance_reviews/train.csv", "marc_fr_amazon_reviews/train_pool.csv"):
        with (DATA / name).open(encoding="utf-8", newline="") as handle:
            texts += [row["text"] for row in csv.DictReader(handle) if row["text"].strip()]
    if not texts:
        raise SystemExit(f"no texts found under {DATA}")
    return (texts * (limit // len(texts) + 1))[:limit]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=50_000, help="number of texts")
    parser.add_argument(
        "--discover", type=int, default=0, help="only time discovery on this many texts"
    )
    args = parser.parse_args()
    if args.discover:
        _discover_at_scale(args.discover)
        return

    from pouls_analysis.themes.discovery import ThemeDiscoverer
    from pouls_analysis.themes.model import ThemeModel
    from pouls_analysis.themes.verbatims import select_verbatims

    texts = _texts(args.n)
    print(describe())
    print(f"{len(texts)} texts, {sum(map(len, texts)) / len(texts):.0f} characters on average")
    started = time.perf_counter()
    model = ThemeModel(random_state=0).fit([])
    print(f"fit (zero-shot, loads spaCy's vectors): {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    annotations = model.annotate(texts)
    elapsed = time.perf_counter() - started
    uncovered = [t for t, a in zip(texts, annotations, strict=True) if a.uncovered]
    print(
        f"annotate: {len(texts) / elapsed:,.0f} texts/s ({elapsed:.1f} s), "
        f"{len(uncovered) / len(texts):.0%} uncovered"
    )
    sample = uncovered[:20_000]
    started = time.perf_counter()
    discovered = ThemeDiscoverer(random_state=0).fit(sample)
    elapsed = time.perf_counter() - started
    print(
        f"discovery on {len(sample)} uncovered texts: {elapsed:.1f} s, "
        f"{len(discovered.themes_)} groups"
    )
    by_theme: dict[str, list[str]] = {}
    for text, annotation in zip(texts[:20_000], annotations[:20_000], strict=True):
        for theme in annotation.themes[:1]:
            by_theme.setdefault(theme, []).append(text)
    started = time.perf_counter()
    for theme_texts in by_theme.values():
        select_verbatims(theme_texts[:2000], k=3, analyzer=model.preprocessor_)
    print(f"verbatims for {len(by_theme)} themes: {time.perf_counter() - started:.1f} s")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory: {peak:.0f} MB")


def _discover_at_scale(n: int) -> None:
    """``ThemeDiscoverer.fit`` on ``n`` texts (the real reviews repeated): time and memory.

    Repeated texts make duplicate points, which changes the groups but not the work: every
    text is still tokenised, averaged, assigned and counted for the keywords.
    """
    from pouls_analysis.themes.discovery import ThemeDiscoverer

    texts = _texts(n)
    print(describe())
    print(f"{len(texts):,} texts ({len(set(texts)):,} distinct, repeated)")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started = time.perf_counter()
    discovered = ThemeDiscoverer(random_state=0).fit(texts)
    elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"discovery: {elapsed:.1f} s ({len(texts) / elapsed:,.0f} texts/s), "
        f"{len(discovered.themes_)} groups; peak memory {peak:,.0f} MB "
        f"({before:,.0f} MB with the texts loaded, before fitting)"
    )
    print("largest groups:")
    for theme in discovered.themes_[:5]:
        print(f"  {theme.size:>8,}  {', '.join(theme.keywords)}")


if __name__ == "__main__":
    main()
