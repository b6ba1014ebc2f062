"""Intervals for proportions and means, and honest comparisons in words.

Every result carries ``n``. Comparisons answer the manager's question, "did it really
change?", with a test and words: "hausse crédible", "baisse crédible" or "écart dans le bruit".
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from scipy import stats as sps
from sklearn.utils import check_random_state

from pouls_analysis.exceptions import InvalidInputError
from pouls_analysis.stats.scores import Z_95, NpsResult

__all__ = [
    "Difference",
    "MeanResult",
    "ProportionResult",
    "bootstrap_mean_interval",
    "compare_nps",
    "compare_proportions",
    "csat_from_scores",
    "mean_interval",
    "proportion_interval",
    "SmoothedNps",
    "smooth_nps",
]

Verdict = Literal[
    "hausse crédible", "baisse crédible", "écart dans le bruit", "pas assez de réponses"
]
MIN_N_TO_COMPARE = 10


@dataclass(frozen=True, slots=True)
class ProportionResult:
    """A share (0..1) with its Wilson interval."""

    n: int
    successes: int
    share: float | None
    low: float | None
    high: float | None


@dataclass(frozen=True, slots=True)
class MeanResult:
    n: int
    mean: float | None
    sd: float | None
    low: float | None
    high: float | None


@dataclass(frozen=True, slots=True)
class Difference:
    """``b - a`` with its interval and a two-sided test; ``verdict`` says it in words."""

    n_a: int
    n_b: int
    difference: float | None
    low: float | None
    high: float | None
    p_value: float | None
    verdict: Verdict


def proportion_interval(successes: int, n: int, *, z: float = Z_95) -> ProportionResult:
    """Wilson score interval, which keeps its coverage for small n and extreme shares.

    Examples
    --------
    >>> r = proportion_interval(8, 10)
    >>> round(r.low, 3), round(r.high, 3)
    (0.49, 0.943)
    """
    if n < 0 or not 0 <= successes <= n:
        raise InvalidInputError(f"need 0 <= successes <= n, got successes={successes}, n={n}.")
    if n == 0:
        return ProportionResult(0, 0, None, None, None)
    p = successes / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    margin = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return ProportionResult(n, successes, p, max(0.0, centre - margin), min(1.0, centre + margin))


def csat_from_scores(scores: Sequence[int]) -> ProportionResult:
    """CSAT: the share of 4 and 5 among 1..5 answers, with its Wilson interval."""
    for score in scores:
        if not 1 <= score <= 5:
            raise InvalidInputError(f"CSAT scores must be integers in 1..5, got {score!r}.")
    return proportion_interval(sum(1 for s in scores if s >= 4), len(scores))


def mean_interval(values: Sequence[float], *, confidence: float = 0.95) -> MeanResult:
    """Mean with Student's t interval."""
    data = np.asarray(values, dtype=float)
    n = int(data.size)
    if n == 0:
        return MeanResult(0, None, None, None, None)
    mean = float(data.mean())
    if n == 1:
        return MeanResult(1, mean, None, None, None)
    sd = float(data.std(ddof=1))
    margin = float(sps.t.ppf(0.5 + confidence / 2, n - 1)) * sd / math.sqrt(n)
    return MeanResult(n, mean, sd, mean - margin, mean + margin)


def bootstrap_mean_interval(
    values: Sequence[float],
    *,
    n_resamples: int = 2000,
    confidence: float = 0.95,
    random_state: int | np.random.RandomState | None = None,
) -> MeanResult:
    """Mean with a percentile bootstrap interval (skewed scales, small n)."""
    data = np.asarray(values, dtype=float)
    n = int(data.size)
    if n < 2:
        return mean_interval(values, confidence=confidence)
    rng = check_random_state(random_state)
    means = data[rng.randint(0, n, size=(n_resamples, n))].mean(axis=1)
    alpha = (1 - confidence) / 2
    low, high = np.quantile(means, [alpha, 1 - alpha])
    return MeanResult(n, float(data.mean()), float(data.std(ddof=1)), float(low), float(high))


def _verdict(difference: float, p_value: float, n_a: int, n_b: int) -> Verdict:
    if min(n_a, n_b) < MIN_N_TO_COMPARE:
        return "pas assez de réponses"
    if p_value < 0.05:
        return "hausse crédible" if difference > 0 else "baisse crédible"
    return "écart dans le bruit"


def _nps_variance(r: NpsResult) -> float:
    p, d = r.promoters / r.n, r.detractors / r.n
    return (p + d - (p - d) ** 2) / r.n


def compare_nps(a: NpsResult, b: NpsResult, *, z: float = Z_95) -> Difference:
    """Difference of two NPS (``b - a``, in points) by a z-test on the summed variances.

    Examples
    --------
    >>> from pouls_analysis import nps_from_counts
    >>> compare_nps(nps_from_counts(50, 30, 20), nps_from_counts(70, 20, 10)).verdict
    'hausse crédible'
    """
    if a.n == 0 or b.n == 0 or a.nps is None or b.nps is None:
        return Difference(a.n, b.n, None, None, None, None, "pas assez de réponses")
    difference = b.nps - a.nps
    se = 100 * math.sqrt(_nps_variance(a) + _nps_variance(b))
    if se == 0:
        p_value = 1.0 if difference == 0 else 0.0
    else:
        p_value = float(2 * sps.norm.sf(abs(difference) / se))
    verdict = _verdict(difference, p_value, a.n, b.n)
    return Difference(
        a.n, b.n, difference, difference - z * se, difference + z * se, p_value, verdict
    )


def compare_proportions(a: ProportionResult, b: ProportionResult, *, z: float = Z_95) -> Difference:
    """Difference of two shares (``b - a``) by the pooled two-proportion z-test."""
    if a.n == 0 or b.n == 0 or a.share is None or b.share is None:
        return Difference(a.n, b.n, None, None, None, None, "pas assez de réponses")
    difference = b.share - a.share
    pooled = (a.successes + b.successes) / (a.n + b.n)
    se_test = math.sqrt(pooled * (1 - pooled) * (1 / a.n + 1 / b.n))
    p_value = 1.0 if se_test == 0 else float(2 * sps.norm.sf(abs(difference) / se_test))
    se = math.sqrt(a.share * (1 - a.share) / a.n + b.share * (1 - b.share) / b.n)
    verdict = _verdict(difference, p_value, a.n, b.n)
    return Difference(
        a.n, b.n, difference, difference - z * se, difference + z * se, p_value, verdict
    )


@dataclass(frozen=True, slots=True)
class SmoothedNps:
    """An NPS pulled toward its parent's by empirical Bayes: ``weight`` is the share kept
    from the perimeter's own answers (n / (n + prior_strength))."""

    n: int
    raw: float | None
    smoothed: float | None
    parent: float | None
    weight: float
    prior_strength: float


def smooth_nps(
    child: NpsResult, parent: NpsResult, siblings: Sequence[NpsResult] = ()
) -> SmoothedNps:
    """Shrink a small perimeter's NPS toward its parent's.

    The prior strength m is estimated from the siblings by the method of moments (the spread
    of their NPS beyond what sampling explains): m = within-person variance / between-
    perimeter variance. With fewer than 3 usable siblings it defaults to 30 answers.
    """
    if parent.n == 0 or parent.nps is None:
        return SmoothedNps(child.n, child.nps, child.nps, None, 1.0, 0.0)
    within = _nps_variance(parent) * parent.n  # one answer's variance, on the -1..1 scale
    usable = [s for s in siblings if s.n >= 5 and s.nps is not None]
    m = 30.0
    if len(usable) >= 3 and within > 0:
        values = np.array([s.nps for s in usable], dtype=float) / 100
        sampling = float(np.mean([within / s.n for s in usable]))
        between = float(values.var(ddof=1)) - sampling
        m = within / between if between > 1e-6 else 1000.0
    weight = child.n / (child.n + m)
    smoothed = parent.nps if child.nps is None else weight * child.nps + (1 - weight) * parent.nps
    return SmoothedNps(child.n, child.nps, smoothed, parent.nps, weight, m)
