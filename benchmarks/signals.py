"""Weak-signal detector on the simulator: recall, delay and false alarms (issue 5 targets).

    python benchmarks/signals.py [--seeds 10]

Seeds 0-3 were used to choose the baseline length, the windows, the dispersion trim and the
FDR level; the figures printed here come from seeds 100 and up, which were not. Targets:
recall >= 90 % for surges that double a theme's weekly count with >= 10 mentions, median
delay <= 1 week, <= 1 false alarm per 100 theme-weeks. Beside it: the same procedure with
the plain exact Poisson test (no over-dispersion), and the `scipy.stats.poisson` test without
over-dispersion, FDR or known-signal handling (a spreadsheet rule "alert when p < 0.05").
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np
from scipy import stats as sps

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def naive_false_alarms(counts: np.ndarray, onsets: np.ndarray) -> tuple[float, float]:
    """Recall and false alarms per 100 theme-weeks of "p < 0.05 against the last 12 weeks"."""
    found, false, weeks = set(), 0, 0
    for t in range(14, counts.shape[1]):
        expected = np.maximum(counts[:, t - 12 : t].mean(axis=1), 0.5)
        p = sps.poisson.sf(counts[:, t] - 1, expected)
        weeks += counts.shape[0]
        for i in np.flatnonzero(p < 0.05):
            if onsets[i] < 0 or t < onsets[i]:
                false += 1
            elif t - onsets[i] <= 3:
                found.add(int(i))
    surges = int((onsets >= 0).sum())
    return len(found) / max(1, surges), 100 * false / weeks


def main() -> None:
    from benchmarks._machine import describe
    from pouls_analysis.signals.simulate import evaluate, simulate

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=10)
    args = parser.parse_args()
    print(f"machine: {describe()}")
    rows = []
    plain = []
    start = time.perf_counter()
    for seed in range(100, 100 + args.seeds):
        scenario = simulate(random_state=seed)
        report = evaluate(scenario)
        naive = naive_false_alarms(scenario.counts, scenario.onsets)
        rows.append((report, naive))
        plain.append(evaluate(scenario, overdispersion=False))
    seconds = time.perf_counter() - start
    recall = [r.recall for r, _ in rows]
    delays = [r.median_delay for r, _ in rows if r.median_delay is not None]
    false = [r.false_alarms_per_100 for r, _ in rows]
    print(f"{args.seeds} simulations x 400 theme series x 52 weeks ({seconds:.1f} s)")
    print(
        f"pouls       recall median {statistics.median(recall):.1%} (min {min(recall):.1%})  "
        f"median delay {statistics.median(delays):.1f} week(s)  "
        f"false alarms {statistics.median(false):.2f} per 100 theme-weeks"
    )
    print(
        f"plain exact Poisson recall median {statistics.median(r.recall for r in plain):.1%}  "
        f"false alarms {statistics.median(r.false_alarms_per_100 for r in plain):.2f} "
        "per 100 theme-weeks"
    )
    print(
        f"naive p<.05 recall median {statistics.median(n[0] for _, n in rows):.1%}  "
        f"false alarms {statistics.median(n[1] for _, n in rows):.2f} per 100 theme-weeks"
    )


if __name__ == "__main__":
    main()
