"""Leading indicators against results: lagged cross-correlations with honest intervals.

For a leading series ``x`` (visits, calls, quotes, reports filed per week) and a result ``y``
(revenue, orders, NPS per week), the correlation at lag ``L`` pairs ``x[t]`` with ``y[t + L]``:
a relation at lag 2 means "weeks with more activity are followed, two weeks later, by weeks with
better results". Every correlation carries:

* ``n``, the number of week pairs, and ``n_eff``, the effective number once autocorrelation is
  accounted for. Weekly series drift (season, trends), which makes a plain correlation look far
  surer than it is. Bartlett's (1946) large-lag formula, as used by Pyper & Peterman (1998),
  gives ``n_eff = n / (1 + 2 Σ_k ρ_xx(k) ρ_yy(k))`` (k = 1 .. n/5), clipped to ``[3, n]``.
* a Fisher-z interval ``tanh(atanh(r) ± z / √(n_eff − 3))`` and its p-value.
* a multiple-testing guard: Holm's step-down adjustment over *every* (indicator, result, lag)
  tested together, since picking the best of 5 lags × k indicators otherwise finds something
  by chance.

With ``differences=True`` the correlations are computed on week-over-week changes: a shared
season or trend then no longer passes for a link (a crude prewhitening); the trend itself is
better read with :func:`period_change`, which compares the latest weeks with the ones before.

Weeks where either value is missing (NaN, e.g. too few NPS answers) are left out of the pairs.
Correlation is not causation: a common cause (season, a promotion, a new manager) moves both.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt
from scipy import stats as sps

from pouls_analysis.exceptions import InvalidInputError
from pouls_analysis.stats.scores import Z_95

__all__ = [
    "LagCorrelation",
    "LaggedReport",
    "MIN_PAIRS",
    "PairSummary",
    "PeriodChange",
    "lagged_correlations",
    "period_change",
    "silent_weeks",
]

MIN_PAIRS = 8
Verdict = Literal["lien crédible", "pas de lien démontré", "pas assez de semaines"]

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class LagCorrelation:
    """Correlation of ``leading[t]`` with ``result[t + lag]``.

    Attributes
    ----------
    n : int
        Week pairs with both values.
    n_eff : float or None
        Effective sample size after the autocorrelation correction.
    r, low, high : float or None
        Pearson correlation and its Fisher-z interval (None when ``n < MIN_PAIRS`` or a series
        is constant over the pairs).
    p_value, p_adjusted : float or None
        Two-sided p-value, and after Holm's adjustment over the whole report.
    verdict : str
        "lien crédible" only when the adjusted p-value is under ``alpha``.
    """

    leading: str
    result: str
    lag: int
    n: int
    n_eff: float | None
    r: float | None
    low: float | None
    high: float | None
    p_value: float | None
    p_adjusted: float | None
    verdict: Verdict

    @property
    def direction(self) -> Literal["positive", "negative"] | None:
        if self.r is None:
            return None
        return "positive" if self.r > 0 else "negative"


@dataclass(frozen=True, slots=True)
class PairSummary:
    """The strongest lag of one (leading, result) pair, and every lag for charts."""

    leading: str
    result: str
    best: LagCorrelation
    lags: tuple[LagCorrelation, ...]


@dataclass(frozen=True, slots=True)
class LaggedReport:
    """Every correlation tested together (the multiple-testing family).

    Attributes
    ----------
    n_weeks : int
        Length of the weekly series.
    n_tests : int
        Correlations actually tested (the size of the Holm family).
    correlations : tuple of LagCorrelation
        In input order: leading, then result, then lag.
    caveats : tuple of str
        Plain-French warnings to show beside the figures.
    """

    n_weeks: int
    max_lag: int
    alpha: float
    n_tests: int
    correlations: tuple[LagCorrelation, ...]
    caveats: tuple[str, ...]

    def pairs(self) -> list[PairSummary]:
        """One summary per (leading, result), strongest credible lag first, else largest |r|."""
        grouped: dict[tuple[str, str], list[LagCorrelation]] = {}
        for c in self.correlations:
            grouped.setdefault((c.leading, c.result), []).append(c)
        summaries = []
        for (leading, result), lags in grouped.items():
            tested = [c for c in lags if c.r is not None]
            best = (
                max(tested, key=lambda c: (c.verdict == "lien crédible", abs(c.r or 0.0)))
                if tested
                else lags[0]
            )
            summaries.append(PairSummary(leading, result, best, tuple(lags)))
        return summaries


def _autocorrelation(x: FloatArray, lag: int) -> float:
    """Autocorrelation at ``lag`` over the weeks where both values are present."""
    a, b = x[:-lag], x[lag:]
    keep = np.isfinite(a) & np.isfinite(b)
    if keep.sum() < 3 or np.ptp(a[keep]) == 0 or np.ptp(b[keep]) == 0:
        return 0.0
    return float(np.corrcoef(a[keep], b[keep])[0, 1])


def _effective_n(x: FloatArray, y: FloatArray, n: int) -> float:
    max_k = max(1, len(x) // 5)
    total = sum(_autocorrelation(x, k) * _autocorrelation(y, k) for k in range(1, max_k + 1))
    return float(min(n, max(3.0, n / (1 + 2 * total))))


def _correlate(
    x: FloatArray, y: FloatArray, lag: int, z: float
) -> tuple[int, float | None, float | None, float | None, float | None, float | None]:
    """n, n_eff, r, low, high, p for x[t] against y[t + lag]."""
    a, b = (x[: len(x) - lag], y[lag:]) if lag else (x, y)
    keep = np.isfinite(a) & np.isfinite(b)
    n = int(keep.sum())
    if n < MIN_PAIRS or np.ptp(a[keep]) == 0 or np.ptp(b[keep]) == 0:
        return n, None, None, None, None, None
    r = float(np.clip(np.corrcoef(a[keep], b[keep])[0, 1], -0.999999, 0.999999))
    n_eff = _effective_n(x, y, n)
    if n_eff <= 3:
        return n, n_eff, r, None, None, None
    se = 1 / math.sqrt(n_eff - 3)
    fz = math.atanh(r)
    p = float(2 * sps.norm.sf(abs(fz) / se))
    return n, n_eff, r, math.tanh(fz - z * se), math.tanh(fz + z * se), p


def _holm(p_values: Sequence[float]) -> list[float]:
    """Holm's step-down adjusted p-values (same order as the input)."""
    m = len(p_values)
    order = sorted(range(m), key=lambda i: p_values[i])
    adjusted = [0.0] * m
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (m - rank) * p_values[i]))
        adjusted[i] = running
    return adjusted


def _series(name: str, values: npt.ArrayLike, length: int | None) -> FloatArray:
    arr = np.asarray(values, dtype=float)
    if arr.ndim != 1:
        raise InvalidInputError(f"series {name!r} must be 1-dimensional, got {arr.ndim} dims.")
    if length is not None and arr.shape[0] != length:
        raise InvalidInputError(
            f"every series must cover the same weeks: {name!r} has {arr.shape[0]}, "
            f"expected {length}."
        )
    return arr


def lagged_correlations(
    leading: Mapping[str, npt.ArrayLike],
    results: Mapping[str, npt.ArrayLike],
    *,
    max_lag: int = 4,
    alpha: float = 0.05,
    differences: bool = False,
    z: float = Z_95,
) -> LaggedReport:
    """Cross-correlations of each leading series with each result at lags 0..``max_lag`` weeks.

    Parameters
    ----------
    leading, results : mapping of name to weekly values
        All series cover the same consecutive weeks, oldest first; NaN marks a missing week.
    max_lag : int
        Largest lag tested, in weeks (the result lags behind the activity).
    alpha : float
        Family-wise error rate of the "lien crédible" verdicts (Holm).
    differences : bool
        Correlate week-over-week changes instead of levels (removes shared trends).

    Returns
    -------
    LaggedReport

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.RandomState(0)
    >>> visits = rng.normal(100, 10, 60)
    >>> sales = np.r_[np.zeros(2), visits[:-2]] * 3 + rng.normal(0, 10, 60)
    >>> report = lagged_correlations({"visits": visits}, {"sales": sales})
    >>> best = report.pairs()[0].best
    >>> best.lag, best.verdict
    (2, 'lien crédible')
    """
    if not leading or not results:
        raise InvalidInputError("at least one leading series and one result series are needed.")
    if max_lag < 0:
        raise InvalidInputError(f"max_lag must be 0 or more weeks, got {max_lag}.")
    length = int(np.asarray(next(iter(leading.values()))).shape[0])
    xs = {k: _series(k, v, length) for k, v in leading.items()}
    ys = {k: _series(k, v, length) for k, v in results.items()}
    if differences:
        xs = {k: np.diff(v) for k, v in xs.items()}
        ys = {k: np.diff(v) for k, v in ys.items()}
    raw = []
    for lname, x in xs.items():
        for rname, y in ys.items():
            for lag in range(max_lag + 1):
                raw.append((lname, rname, lag, *_correlate(x, y, lag, z)))
    tested = [row[-1] for row in raw if row[-1] is not None]
    adjusted = iter(_holm([p for p in tested if p is not None]))
    correlations = []
    for lname, rname, lag, n, n_eff, r, low, high, p in raw:
        p_adj = next(adjusted) if p is not None else None
        verdict: Verdict = (
            "pas assez de semaines"
            if r is None or p_adj is None
            else "lien crédible"
            if p_adj < alpha
            else "pas de lien démontré"
        )
        correlations.append(
            LagCorrelation(lname, rname, lag, n, n_eff, r, low, high, p, p_adj, verdict)
        )
    return LaggedReport(
        n_weeks=length,
        max_lag=max_lag,
        alpha=alpha,
        n_tests=len(tested),
        correlations=tuple(correlations),
        caveats=_caveats(length, len(tested), differences),
    )


def _caveats(n_weeks: int, n_tests: int, differences: bool) -> tuple[str, ...]:
    caveats = [
        "Corrélation n'est pas causalité : une cause commune (saison, promotion, effectif) "
        "peut faire bouger l'activité et les résultats ensemble.",
        f"Calculé sur {n_weeks} semaines ; les semaines qui se suivent se ressemblent, "
        "l'intervalle tient compte de cette dépendance (n effectif).",
        f"{n_tests} corrélations testées ensemble : un lien n'est dit « crédible » qu'après "
        "correction pour tests multiples (Holm, 5 %).",
    ]
    if differences:
        caveats.append(
            "Les corrélations portent sur les variations d'une semaine à l'autre : une tendance "
            "ou une saison commune ne compte pas comme un lien."
        )
    if n_weeks < 26:
        caveats.append(
            "Moins de six mois de semaines : les intervalles sont larges, "
            "attendre avant de conclure."
        )
    return tuple(caveats)


def silent_weeks(values: npt.ArrayLike, *, min_weeks: int = 3) -> int:
    """Trailing weeks at zero after a period of activity (0 when the series is not silent).

    A team that stops filing reports shows no correlation at all; this says so plainly.

    Examples
    --------
    >>> silent_weeks([2, 3, 1, 2, 0, 0, 0, 0])
    4
    >>> silent_weeks([0, 0, 0, 0])
    0
    """
    arr = np.asarray(values, dtype=float)
    arr = arr[np.isfinite(arr)]
    trailing = 0
    for value in arr[::-1]:
        if value != 0:
            break
        trailing += 1
    active_before = arr[: len(arr) - trailing]
    if trailing < min_weeks or len(active_before) == 0 or active_before.mean() <= 0:
        return 0
    return trailing


@dataclass(frozen=True, slots=True)
class PeriodChange:
    """Mean of the latest ``weeks`` against the ``weeks`` before (Welch's t-test).

    Attributes
    ----------
    n_recent, n_before : int
        Weeks with a value in each block.
    relative : float or None
        ``recent / before - 1`` (None when the earlier mean is 0).
    """

    n_recent: int
    n_before: int
    recent: float | None
    before: float | None
    relative: float | None
    p_value: float | None
    verdict: Literal[
        "hausse crédible", "baisse crédible", "écart dans le bruit", "pas assez de semaines"
    ]


def period_change(values: npt.ArrayLike, *, weeks: int = 13, alpha: float = 0.05) -> PeriodChange:
    """Compare the last ``weeks`` values with the ``weeks`` before them.

    Weekly values that drift are autocorrelated, so the test is indicative: read it with the
    chart, not alone.

    Examples
    --------
    >>> period_change([10] * 13 + [10, 11] * 6 + [10] + [14, 15] * 6 + [14], weeks=13).verdict
    'hausse crédible'
    """
    arr = np.asarray(values, dtype=float)
    recent, before = arr[-weeks:], arr[-2 * weeks : -weeks]
    recent, before = recent[np.isfinite(recent)], before[np.isfinite(before)]
    if len(recent) < 3 or len(before) < 3:
        return PeriodChange(
            len(recent), len(before), None, None, None, None, "pas assez de semaines"
        )
    m_recent, m_before = float(recent.mean()), float(before.mean())
    relative = m_recent / m_before - 1 if m_before else None
    if np.ptp(recent) == 0 and np.ptp(before) == 0:
        p_value = 1.0 if m_recent == m_before else 0.0
    else:
        with warnings.catch_warnings():
            # Near-constant blocks: scipy warns about precision; the p-value is still usable.
            warnings.simplefilter("ignore", RuntimeWarning)
            p_value = float(sps.ttest_ind(recent, before, equal_var=False).pvalue)
    verdict: Literal["hausse crédible", "baisse crédible", "écart dans le bruit"] = (
        "écart dans le bruit"
        if not p_value < alpha
        else "hausse crédible"
        if m_recent > m_before
        else "baisse crédible"
    )
    return PeriodChange(len(recent), len(before), m_recent, m_before, relative, p_value, verdict)
