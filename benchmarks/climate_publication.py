"""Cost and reach of the climate publication rule on a large organisation.

    python benchmarks/climate_publication.py [--stores 40] [--categories 2]

A group > 5 regions > ``stores`` stores > 2 teams each; team sizes cycle through
2, 4, 5, 7, 9, 12 (deterministic); one broad category with ``categories`` values assigned in
turn. Prints the time of a first decision, of a second one after one more answer in one team
(with the first as history), and how many groups each publishes (machine printed).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._machine import describe  # noqa: E402
from pouls_analysis.climate.confidentiality import decide_publication  # noqa: E402

SIZES = (2, 4, 5, 7, 9, 12)


def organisation(stores: int, categories: int) -> tuple[dict[str, list[str]], list[str]]:
    groups: dict[str, list[str]] = {"groupe": []}
    people: list[str] = []
    n = 0
    for s in range(stores):
        region, store = f"region{s % 5}", f"store{s}"
        for t in range(2):
            team = f"{store}-team{t}"
            size = SIZES[(2 * s + t) % len(SIZES)]
            members = [f"r{n + i}" for i in range(size)]
            n += size
            people += members
            for g in (team, store, region, "groupe"):
                groups.setdefault(g, []).extend(members)
    for c in range(categories):
        groups[f"cat{c}"] = people[c::categories]
    return groups, people


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stores", type=int, default=40)
    parser.add_argument("--categories", type=int, default=2)
    args = parser.parse_args()
    groups, people = organisation(args.stores, args.categories)
    started = time.perf_counter()
    first = decide_publication(groups, threshold=5)
    t1 = time.perf_counter() - started
    grown = {g: list(m) for g, m in groups.items()}
    for g in ("store0-team1", "store0", "region0", "groupe", "cat0")[: 5 if args.categories else 4]:
        grown[g].append("extra")
    started = time.perf_counter()
    second = decide_publication(grown, threshold=5, history=[first.published])
    t2 = time.perf_counter() - started
    print(f"machine: {describe()}")
    print(
        f"{len(people)} respondents, {len(groups)} groups ({args.stores} stores, "
        f"{args.categories} category values)"
    )
    print(
        f"first export:  {t1:.2f} s, {len(first.published)} published, "
        f"{sum('moins de' in r for r in first.hidden.values())} under 5, "
        f"{sum('différence' in r for r in first.hidden.values())} hidden by differencing"
    )
    print(
        f"second export: {t2:.2f} s, {len(second.published)} published "
        "(one more answer in store0-team1)"
    )


if __name__ == "__main__":
    main()
