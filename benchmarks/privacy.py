"""Throughput of the pseudonymiser on real French customer text, one process.

Reads insurance and Amazon.fr reviews from ../shared/data (never shipped), cuts them to
--max-chars (survey comments are short; the import pipeline sees whole texts), repeats them up
to --n texts and prints texts per second with and without NER, the share of texts sent to NER
and the spans found per kind.

Usage: python -m benchmarks.privacy --n 50000
"""

from __future__ import annotations

import argparse
import collections
import csv
import os
import resource
import sys
import time
from pathlib import Path

from benchmarks._machine import describe

# ../shared/data beside the checkout; POULS_SHARED_DATA points elsewhere (a git worktree).
DATA = Path(
    os.environ.get("POULS_SHARED_DATA", Path(__file__).resolve().parents[2] / "shared" / "data")
)


def _texts(limit: int, max_chars: int) -> list[str]:
    csv.field_size_limit(sys.maxsize)
    texts: list[str] = []
    for name in ("fr_insurance_reviews/train.csv", "marc_fr_amazon_reviews/train_pool.csv"):
        if not (DATA / name).exists():
            raise SystemExit(f"skipped: {DATA / name} is absent (real data is never shipped)")
        with (DATA / name).open(encoding="utf-8", newline="") as handle:
            texts += [row["text"][:max_chars] for row in csv.DictReader(handle) if row["text"]]
    if not texts:
        raise SystemExit(f"no texts found under {DATA}")
    return (texts * (limit // len(texts) + 1))[:limit]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=50_000, help="number of texts")
    parser.add_argument("--max-chars", type=int, default=400, help="cut each text to this")
    args = parser.parse_args()

    from pouls_analysis.privacy import Pseudonymiser
    from pouls_analysis.privacy.names import needs_ner

    texts = _texts(args.n, args.max_chars)
    print(describe())
    print(f"{len(texts)} texts, {sum(map(len, texts)) / len(texts):.0f} characters on average")
    print(f"sent to NER: {sum(map(needs_ner, texts)) / len(texts):.1%} of texts")
    for use_ner in (False, True):
        started = time.perf_counter()
        model = Pseudonymiser(use_ner=use_ner).fit()
        loaded = time.perf_counter() - started
        started = time.perf_counter()
        spans = model.find_all(texts)
        elapsed = time.perf_counter() - started
        kinds = collections.Counter(s.kind for found in spans for s in found)
        print(
            f"use_ner={use_ner}: {len(texts) / elapsed:,.0f} texts/s ({elapsed:.1f} s; "
            f"fit {loaded:.1f} s); spans {dict(sorted(kinds.items()))}"
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory: {peak:.0f} MB")


if __name__ == "__main__":
    main()
