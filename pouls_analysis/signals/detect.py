"""Surges and drifts in count series (theme x perimeter, per week).

Steps for the latest period of every series: a rolling baseline from the previous periods
(mean, and the over-dispersion of theme counts: real counts vary more than Poisson); an
exact Poisson test of the latest 1-4 periods against it, on counts and expectation divided
by the dispersion (quasi-Poisson: with dispersion 1 it is the plain exact Poisson test,
which raises 2-3 times too many false alarms on over-dispersed counts, see
benchmarks/signals.py); the Benjamini-Hochberg procedure across all series tested that period,
so that looking at many themes does not flood the manager with chance findings; a minimum
support. A CUSUM on standardised residuals catches slow, persistent drifts that no single
week makes significant.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from scipy import stats as sps

from pouls_analysis.exceptions import InvalidInputError

__all__ = ["Alarm", "benjamini_hochberg", "cusum", "scan_latest"]

# Tuned on the simulator's seeds 0-3 (recall >= 90 % for doubled themes, <= 1 false alarm
# per 100 theme-weeks); benchmarks/signals.py reports other seeds.
BASELINE_PERIODS = 12
MIN_COUNT = 5
FDR = 0.08
# The last 1 to 4 periods are each tested against the baseline before them: a surge that
# lasts shows in the longer windows before any single week is significant.
WINDOWS = 4
# Share of series left out of the pooled dispersion: those with the most excess variance,
# mostly series with an old surge inside their baseline, which would otherwise make every
# other series look noisier than it is.
DISPERSION_TRIM = 0.1
CUSUM_K = 0.5
CUSUM_H = 8.0


@dataclass(frozen=True, slots=True)
class Alarm:
    """Series ``series`` departs upwards at ``period`` (index in the series)."""

    series: int
    period: int
    count: int
    expected: float
    p_value: float
    q_value: float
    kind: Literal["surge", "drift"]


def benjamini_hochberg(p_values: Sequence[float] | np.ndarray) -> np.ndarray:
    """BH-adjusted q-values (monotone, capped at 1), in the input order.

    Examples
    --------
    >>> [round(float(q), 3) for q in benjamini_hochberg([0.01, 0.04, 0.03, 0.5])]
    [0.04, 0.053, 0.053, 0.5]
    """
    p = np.asarray(p_values, dtype=float)
    m = p.size
    if m == 0:
        return p
    order = np.argsort(p)
    ranked = p[order] * m / np.arange(1, m + 1)
    q = np.minimum.accumulate(ranked[::-1])[::-1]
    out = np.empty(m)
    out[order] = np.minimum(q, 1.0)
    return out


def _baseline(history: np.ndarray, *, overdispersion: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """Mean of each row of ``history`` and its dispersion (variance / mean, at least 1).

    Counts are taken as negative binomial, var = mean + mean^2 / k, with one k pooled over
    all series by the method of moments (leaving out the ``DISPERSION_TRIM`` share with the
    largest excess): twelve weeks say little about one series' variance, while the extra
    variance growing with the mean is what real theme counts show.
    """
    mean = history.mean(axis=1)
    if not overdispersion:
        return np.maximum(mean, 0.5), np.ones_like(mean)
    var = history.var(axis=1, ddof=1) if history.shape[1] > 1 else mean
    ratio = (var - mean) / np.maximum(mean, 0.5) ** 2
    keep = ratio <= np.quantile(ratio, 1 - DISPERSION_TRIM) if ratio.size else ratio > 0
    excess = float(np.sum((var - mean)[keep]))
    squares = float(np.sum(mean[keep] ** 2))
    inverse_k = max(0.0, excess / squares) if squares > 0 else 0.0
    dispersion = np.clip(1.0 + mean * inverse_k, 1.0, 10.0)
    return np.maximum(mean, 0.5), dispersion


def _test(observed: np.ndarray, expected: np.ndarray, dispersion: np.ndarray) -> np.ndarray:
    # Quasi-Poisson exact test: P(X >= x) with counts and expectation scaled by dispersion.
    p_values = sps.poisson.sf(np.ceil(observed / dispersion) - 1, expected / dispersion)
    return np.where(observed > expected, p_values, 1.0)


def scan_latest(
    counts: np.ndarray,
    *,
    baseline_periods: int = BASELINE_PERIODS,
    fdr: float = FDR,
    min_count: int = MIN_COUNT,
    active: Sequence[int] = (),
    overdispersion: bool = True,
) -> list[Alarm]:
    """Surges at the end of ``counts`` (series x periods) against the periods before.

    Tests per series on the last 1 to 4 periods (``WINDOWS``) against the baseline
    before them, with the Benjamini-Hochberg procedure over all of them. Series in
    ``active`` (already signalled recently) are not tested again: they are known, and their
    repeated significance would otherwise loosen the procedure for everything else.
    ``overdispersion=False`` gives the plain exact Poisson test (for comparison).

    Examples
    --------
    >>> calm = [4, 5, 3, 4, 6, 4, 5, 4, 5, 4, 5, 3, 4, 6, 4]
    >>> counts = np.array([calm + [5], calm + [19]])
    >>> [(a.series, a.count) for a in scan_latest(counts)]
    [(1, 19)]
    """
    data = np.asarray(counts)
    if data.ndim != 2 or data.shape[1] < WINDOWS + 2:
        raise InvalidInputError(
            f"counts must be series x periods with >= {WINDOWS + 2} periods, got {data.shape}."
        )
    if np.any(data < 0):
        raise InvalidInputError("counts must be >= 0.")
    end = data.shape[1]
    tested = np.setdiff1d(np.arange(data.shape[0]), np.asarray(active, dtype=int))
    history = data[tested, max(0, end - WINDOWS - baseline_periods) : end - WINDOWS]
    expected, dispersion = _baseline(history.astype(float), overdispersion=overdispersion)
    last = data[tested, -1]
    p_values = np.concatenate(
        [
            _test(data[tested, -w:].sum(axis=1), w * expected, dispersion)
            for w in range(1, WINDOWS + 1)
        ]
    )
    q_values = benjamini_hochberg(p_values)
    n = tested.size
    alarms: dict[int, Alarm] = {}
    for j in np.flatnonzero(q_values <= fdr):
        k = int(j % n)
        series = int(tested[k])
        if last[k] >= min_count and series not in alarms:
            alarms[series] = Alarm(
                series,
                end - 1,
                int(last[k]),
                float(expected[k]),
                float(p_values[j]),
                float(q_values[j]),
                "surge",
            )
    return [alarms[i] for i in sorted(alarms)]


def cusum(
    counts: np.ndarray,
    *,
    baseline_periods: int = BASELINE_PERIODS,
    k: float = CUSUM_K,
    h: float = CUSUM_H,
    min_count: int = MIN_COUNT,
) -> list[Alarm]:
    """First upward drift of each series: the CUSUM of residuals standardised against the
    first ``baseline_periods`` (the reference), alarming when it exceeds ``h``."""
    data = np.asarray(counts, dtype=float)
    if data.ndim != 2 or data.shape[1] <= baseline_periods:
        return []
    expected, dispersion = _baseline(data[:, :baseline_periods])
    scale = np.sqrt(expected * dispersion)
    alarms = []
    for i in range(data.shape[0]):
        s = 0.0
        for t in range(baseline_periods, data.shape[1]):
            s = max(0.0, s + (data[i, t] - expected[i]) / scale[i] - k)
            if s > h and data[i, t] >= min_count:
                alarms.append(
                    Alarm(
                        i,
                        t,
                        int(data[i, t]),
                        float(expected[i]),
                        float("nan"),
                        float("nan"),
                        "drift",
                    )
                )
                break
    return alarms
