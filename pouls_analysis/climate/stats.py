"""Reliability and agreement statistics for employee surveys; every result carries n."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats as sps

from pouls_analysis.exceptions import InvalidInputError
from pouls_analysis.stats.scores import NpsResult, nps_from_scores

__all__ = ["AlphaResult", "MeanResult", "cronbach_alpha", "rwg", "rwg_j", "mean_with_ci", "enps"]

ALPHA_FLOOR = 0.7


@dataclass(frozen=True, slots=True)
class AlphaResult:
    alpha: float
    n: int
    k: int
    low: bool


@dataclass(frozen=True, slots=True)
class MeanResult:
    mean: float
    low: float
    high: float
    n: int


def cronbach_alpha(items_matrix: Sequence[Sequence[float]] | np.ndarray) -> AlphaResult:
    """Cronbach's alpha, rows = respondents, columns = items; rows with NaN dropped."""
    x = np.asarray(items_matrix, dtype=float)
    if x.ndim != 2 or x.shape[1] < 2:
        raise InvalidInputError("cronbach_alpha needs a 2-D matrix with at least 2 items.")
    x = x[~np.isnan(x).any(axis=1)]
    n, k = x.shape
    if n < 2:
        raise InvalidInputError(f"cronbach_alpha needs at least 2 complete rows, got {n}.")
    item_var = x.var(axis=0, ddof=1).sum()
    total_var = x.sum(axis=1).var(ddof=1)
    alpha = float(k / (k - 1) * (1 - item_var / total_var)) if total_var > 0 else float("nan")
    return AlphaResult(alpha, n, k, not alpha >= ALPHA_FLOOR)


def _sigma_eu(options: int) -> float:
    if options < 2:
        raise InvalidInputError(f"A scale needs at least 2 options, got {options}.")
    return (options**2 - 1) / 12.0


def rwg(answers: Sequence[float], options: int) -> float:
    """James, Demaree & Wolf (1984) single item: 1 - s²/σ²_EU, truncated to [0, 1]."""
    x = np.asarray(answers, dtype=float)
    x = x[~np.isnan(x)]
    if x.size < 2:
        raise InvalidInputError("rwg needs at least 2 answers.")
    value = 1 - x.var(ddof=1) / _sigma_eu(options)
    return float(min(1.0, max(0.0, value)))


def rwg_j(items_matrix: Sequence[Sequence[float]] | np.ndarray, options: int) -> float:
    """rwg(J) for J parallel items: J(1 - s̄²/σ²) / (J(1 - s̄²/σ²) + s̄²/σ²), in [0, 1]."""
    x = np.asarray(items_matrix, dtype=float)
    x = x[~np.isnan(x).any(axis=1)]
    if x.ndim != 2 or x.shape[0] < 2:
        raise InvalidInputError("rwg_j needs at least 2 complete rows.")
    j = x.shape[1]
    ratio = float(x.var(axis=0, ddof=1).mean()) / _sigma_eu(options)
    if ratio >= 1:
        return 0.0
    return float(j * (1 - ratio) / (j * (1 - ratio) + ratio))


def mean_with_ci(values: Sequence[float], confidence: float = 0.95) -> MeanResult:
    """Mean with a Student t interval."""
    x = np.asarray(values, dtype=float)
    x = x[~np.isnan(x)]
    n = int(x.size)
    if n == 0:
        raise InvalidInputError("mean_with_ci needs at least one value.")
    m = float(x.mean())
    if n < 2:
        return MeanResult(m, float("nan"), float("nan"), n)
    half = float(sps.t.ppf((1 + confidence) / 2, n - 1) * x.std(ddof=1) / np.sqrt(n))
    return MeanResult(m, m - half, m + half, n)


def enps(scores: Sequence[int]) -> NpsResult:
    """Employee NPS from 0-10 answers (same computation as customer NPS)."""
    return nps_from_scores(scores)
