"""Key drivers: how much each driver variable weighs on an outcome (every result carries ``n``).

Two decompositions of a linear model's R² among correlated drivers:

* **Relative weights** (Johnson 2000). The drivers' correlation matrix ``R = Q Λ Qᵀ`` gives
  ``Λ½ = Q Λ^½ Qᵀ``, the correlations between the drivers and their closest orthogonal
  counterparts ``Z``. Regressing the standardised outcome on ``Z`` gives ``β = Λ½⁻¹ r_xy``;
  driver ``j``'s raw weight is ``ε_j = Σ_k Λ½[j, k]² β_k²``. Raw weights are non-negative and
  sum to the full model's R².
* **Shapley value regression** (Lipovetsky & Conklin 2001): driver ``j`` gets its marginal
  R² gain averaged over every order of entry, ``Σ_S |S|!(p-|S|-1)!/p! (R²(S∪j) − R²(S))``, exact
  over the ``2^p`` subsets; it sums to the full R² exactly. Only run for ``p ≤ 15``.

The two usually agree closely; relative weights are cheap enough to bootstrap (percentile
intervals over resampled rows). Weights say *how much* a driver matters, never the direction:
``correlation`` and ``coefficient`` (OLS, in outcome units, all drivers held fixed) give it.

:func:`code_theme_drivers` turns per-response theme mentions into 0/1 driver columns (see its
docstring for the coding).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt
from sklearn.utils import check_random_state

from pouls_analysis.exceptions import InsufficientDataError, InvalidInputError

__all__ = [
    "DriverWeight",
    "DriversResult",
    "MAX_SHAPLEY_DRIVERS",
    "code_theme_drivers",
    "key_drivers",
    "relative_weights",
    "shapley_r2",
]

MAX_SHAPLEY_DRIVERS = 15
MIN_RESPONSES = 20
# Eigenvalues of the drivers' correlation matrix below this mean (near-)exact collinearity.
_COLLINEAR_TOL = 1e-8

FloatArray = npt.NDArray[np.float64]
Coding = Literal["polarity", "presence"]


@dataclass(frozen=True, slots=True)
class DriverWeight:
    """One driver's weight on the outcome.

    Attributes
    ----------
    name : str
        Driver name (column label).
    n_present : int
        Rows where the driver is non-zero (for 0/1 drivers: responses mentioning it).
    correlation : float
        Pearson correlation with the outcome (gives the direction).
    coefficient : float
        OLS coefficient in outcome units with every other driver held fixed.
    raw_weight : float
        Johnson's relative weight: share of outcome variance, all raw weights sum to ``r2``.
    share : float
        ``raw_weight / r2`` (shares sum to 1).
    low, high : float or None
        Bootstrap percentile interval of ``raw_weight`` (None without bootstrap).
    shapley : float or None
        Shapley R² share of the driver (None above ``MAX_SHAPLEY_DRIVERS`` drivers).
    """

    name: str
    n_present: int
    correlation: float
    coefficient: float
    raw_weight: float
    share: float
    low: float | None
    high: float | None
    shapley: float | None


@dataclass(frozen=True, slots=True)
class DriversResult:
    """Key-driver analysis of one outcome.

    Attributes
    ----------
    n : int
        Number of responses (rows).
    r2 : float
        R² of the linear model with every driver.
    weights : tuple of DriverWeight
        One per driver, largest raw weight first.
    n_bootstrap : int
        Bootstrap resamples actually used (resamples where a driver was constant are skipped).
    confidence : float
        Level of the bootstrap intervals.
    """

    n: int
    r2: float
    weights: tuple[DriverWeight, ...]
    n_bootstrap: int
    confidence: float

    def weight(self, name: str) -> DriverWeight:
        for w in self.weights:
            if w.name == name:
                return w
        raise KeyError(name)


def _check_inputs(
    X: npt.ArrayLike, y: npt.ArrayLike, names: Sequence[str] | None, min_n: int
) -> tuple[FloatArray, FloatArray, list[str]]:
    Xa = np.asarray(X, dtype=float)
    ya = np.asarray(y, dtype=float)
    if Xa.ndim != 2:
        raise InvalidInputError(f"X must be 2-dimensional (rows x drivers), got {Xa.ndim} dims.")
    if ya.ndim != 1 or ya.shape[0] != Xa.shape[0]:
        raise InvalidInputError(
            f"y must be 1-dimensional with one value per row of X ({Xa.shape[0]}), "
            f"got shape {ya.shape}."
        )
    n, p = Xa.shape
    if p == 0:
        raise InvalidInputError("X has no driver column; at least one is needed.")
    labels = list(names) if names is not None else [f"x{j}" for j in range(p)]
    if len(labels) != p:
        raise InvalidInputError(f"names has {len(labels)} labels for {p} driver columns.")
    if not (np.isfinite(Xa).all() and np.isfinite(ya).all()):
        raise InvalidInputError("X and y must hold finite numbers (no NaN or infinity).")
    needed = max(min_n, p + 2)
    if n < needed:
        raise InsufficientDataError(
            f"{n} responses for {p} drivers; at least {needed} are needed "
            f"(max of min_n={min_n} and drivers + 2)."
        )
    constant = [labels[j] for j in range(p) if np.ptp(Xa[:, j]) == 0]
    if constant:
        raise InvalidInputError(
            f"driver columns without variation cannot be weighed: {', '.join(constant)}; "
            "drop them before the analysis."
        )
    if np.ptp(ya) == 0:
        raise InvalidInputError(f"the outcome is constant ({ya[0]:g}); nothing to explain.")
    return Xa, ya, labels


def _correlations(X: FloatArray, y: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Drivers' correlation matrix and their correlations with the outcome."""
    full = np.asarray(np.corrcoef(np.column_stack([X, y]), rowvar=False), dtype=np.float64)
    return full[:-1, :-1], full[:-1, -1]


def _raw_weights(rxx: FloatArray, rxy: FloatArray) -> FloatArray | None:
    """Johnson's raw relative weights, or None when the drivers are collinear."""
    evals, evecs = np.linalg.eigh(rxx)
    if evals.min() < _COLLINEAR_TOL:
        return None
    lam = (evecs * np.sqrt(evals)) @ evecs.T
    beta = np.linalg.solve(lam, rxy)
    weights: FloatArray = (lam**2) @ (beta**2)
    return weights


def relative_weights(
    X: npt.ArrayLike, y: npt.ArrayLike, *, min_n: int = MIN_RESPONSES
) -> tuple[FloatArray, float]:
    """Johnson's (2000) raw relative weights of the columns of ``X`` on ``y``, and the R².

    Raises
    ------
    InsufficientDataError
        Fewer than ``max(min_n, p + 2)`` rows.
    InvalidInputError
        A constant column or outcome, non-finite values, or collinear drivers.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[1, 0], [0, 1], [1, 1], [0, 0], [1, 0], [0, 0]])
    >>> w, r2 = relative_weights(X, [9, 4, 6, 8, 10, 7], min_n=5)
    >>> bool(abs(w.sum() - r2) < 1e-12)
    True
    """
    Xa, ya, _ = _check_inputs(X, y, None, min_n)
    rxx, rxy = _correlations(Xa, ya)
    weights = _raw_weights(rxx, rxy)
    if weights is None:
        raise InvalidInputError(_collinear_message())
    return weights, float(weights.sum())


def _collinear_message() -> str:
    return (
        "the drivers are collinear (one column is a combination of others, e.g. a theme "
        "'present' column next to its 'negative' and 'positive' columns); drop one of them."
    )


def _subset_r2(rxx: FloatArray, rxy: FloatArray) -> FloatArray:
    """R² of the regression on every subset of drivers, indexed by bit mask."""
    p = rxy.shape[0]
    r2 = np.zeros(1 << p)
    for mask in range(1, 1 << p):
        idx = [j for j in range(p) if mask >> j & 1]
        r = rxy[idx]
        r2[mask] = float(r @ np.linalg.solve(rxx[np.ix_(idx, idx)], r))
    return r2


def shapley_r2(X: npt.ArrayLike, y: npt.ArrayLike, *, min_n: int = MIN_RESPONSES) -> FloatArray:
    """Exact Shapley decomposition of the R² of ``y`` on the columns of ``X``.

    The values sum to the full model's R² (efficiency). Cost is ``2^p`` small regressions, so
    ``p`` is limited to ``MAX_SHAPLEY_DRIVERS``.
    """
    Xa, ya, _ = _check_inputs(X, y, None, min_n)
    p = Xa.shape[1]
    if p > MAX_SHAPLEY_DRIVERS:
        raise InvalidInputError(
            f"Shapley regression is exact over 2^p subsets; got p={p} drivers, "
            f"at most {MAX_SHAPLEY_DRIVERS} accepted (use relative weights)."
        )
    rxx, rxy = _correlations(Xa, ya)
    if np.linalg.eigvalsh(rxx).min() < _COLLINEAR_TOL:
        raise InvalidInputError(_collinear_message())
    r2 = _subset_r2(rxx, rxy)
    masks = np.arange(1 << p)
    sizes = np.array([bin(m).count("1") for m in masks])
    # Weight of a coalition of size s that a driver joins: s! (p - s - 1)! / p!
    factor = np.array([math.factorial(s) * math.factorial(p - s - 1) for s in range(p)])
    values = np.zeros(p)
    for j in range(p):
        bit = 1 << j
        without = masks[(masks & bit) == 0]
        gains = r2[without | bit] - r2[without]
        values[j] = float((gains * factor[sizes[without]]).sum()) / math.factorial(p)
    return values


def _ols_coefficients(X: FloatArray, y: FloatArray) -> FloatArray:
    design = np.column_stack([np.ones(X.shape[0]), X])
    coef, *_ = np.linalg.lstsq(design, y, rcond=None)
    return np.asarray(coef[1:], dtype=np.float64)


def _bootstrap(
    X: FloatArray, y: FloatArray, n_resamples: int, random_state: int | None
) -> FloatArray:
    """Raw weights over resampled rows; resamples with a constant column are skipped."""
    rng = check_random_state(random_state)
    n, p = X.shape
    draws = []
    for _ in range(n_resamples):
        idx = rng.randint(0, n, size=n)
        Xb, yb = X[idx], y[idx]
        if np.ptp(yb) == 0 or (np.ptp(Xb, axis=0) == 0).any():
            continue
        rxx, rxy = _correlations(Xb, yb)
        weights = _raw_weights(rxx, rxy)
        if weights is not None:
            draws.append(weights)
    return np.array(draws).reshape(-1, p)


def key_drivers(
    X: npt.ArrayLike,
    y: npt.ArrayLike,
    *,
    names: Sequence[str] | None = None,
    n_bootstrap: int = 200,
    confidence: float = 0.95,
    min_n: int = MIN_RESPONSES,
    random_state: int | None = None,
) -> DriversResult:
    """Relative weights with bootstrap intervals, and Shapley values when ``p ≤ 15``.

    Parameters
    ----------
    X : array-like of shape (n_responses, n_drivers)
        Driver values (0/1 for theme drivers, see :func:`code_theme_drivers`).
    y : array-like of shape (n_responses,)
        Outcome, e.g. the 0-10 recommendation score of each response.
    names : sequence of str, optional
        One label per column.
    n_bootstrap : int
        Resamples for the intervals (0: no interval).
    confidence : float
        Level of the percentile intervals.
    min_n : int
        Fewer responses raise InsufficientDataError (the product's rule is 20).
    random_state : int, optional
        Seed of the bootstrap.

    Returns
    -------
    DriversResult

    Examples
    --------
    >>> X = [[1, 0], [0, 1], [1, 1], [0, 0], [1, 0], [0, 0], [0, 1], [1, 1]]
    >>> y = [3, 9, 5, 8, 2, 9, 10, 4]
    >>> r = key_drivers(X, y, names=["attente", "conseil"], min_n=8, n_bootstrap=0)
    >>> r.n, r.weights[0].name, r.weights[0].correlation < 0
    (8, 'attente', True)
    """
    Xa, ya, labels = _check_inputs(X, y, names, min_n)
    rxx, rxy = _correlations(Xa, ya)
    raw = _raw_weights(rxx, rxy)
    if raw is None:
        raise InvalidInputError(_collinear_message())
    r2 = float(raw.sum())
    shapley = shapley_r2(Xa, ya, min_n=min_n) if Xa.shape[1] <= MAX_SHAPLEY_DRIVERS else None
    coef = _ols_coefficients(Xa, ya)
    draws = _bootstrap(Xa, ya, n_bootstrap, random_state) if n_bootstrap > 0 else None
    alpha = (1 - confidence) / 2
    weights = []
    for j, name in enumerate(labels):
        low = high = None
        if draws is not None and len(draws):
            low, high = (float(v) for v in np.quantile(draws[:, j], [alpha, 1 - alpha]))
        weights.append(
            DriverWeight(
                name=name,
                n_present=int(np.count_nonzero(Xa[:, j])),
                correlation=float(rxy[j]),
                coefficient=float(coef[j]),
                raw_weight=float(raw[j]),
                share=float(raw[j] / r2) if r2 > 0 else 0.0,
                low=low,
                high=high,
                shapley=None if shapley is None else float(shapley[j]),
            )
        )
    weights.sort(key=lambda w: -w.raw_weight)
    return DriversResult(
        n=int(Xa.shape[0]),
        r2=r2,
        weights=tuple(weights),
        n_bootstrap=0 if draws is None else len(draws),
        confidence=confidence,
    )


def code_theme_drivers(
    mentions: Sequence[Sequence[tuple[str, str]]],
    *,
    coding: Coding = "polarity",
    min_support: int = 5,
    max_drivers: int | None = MAX_SHAPLEY_DRIVERS,
) -> tuple[FloatArray, list[str]]:
    """0/1 driver columns from the (theme, polarity) mentions of each response.

    Coding
    ------
    ``"polarity"`` (default): two columns per theme, ``"<theme>:negative"`` and
    ``"<theme>:positive"``, 1 when the response mentions the theme with that polarity. A neutral
    mention sets neither: it carries no direction, and a third "present" column would be the
    sum of the others plus the neutral one, i.e. nearly collinear. Absence is the reference.
    ``"presence"``: one column ``"<theme>"``, 1 when the theme is mentioned at all.

    Columns are kept when at least ``min_support`` responses have them (rarer ones cannot be
    weighed) and at most ``max_drivers`` columns are kept, the most frequent first (ties by name),
    so that Shapley regression stays exact and the model is not over-fitted.

    Examples
    --------
    >>> X, names = code_theme_drivers(
    ...     [[("attente", "negative")], [("prix", "positive")], []], min_support=1
    ... )
    >>> names, X.tolist()
    (['attente:negative', 'prix:positive'], [[1.0, 0.0], [0.0, 1.0], [0.0, 0.0]])
    """
    if coding not in ("polarity", "presence"):
        raise InvalidInputError(f"coding must be 'polarity' or 'presence', got {coding!r}.")
    rows: list[set[str]] = []
    for response in mentions:
        columns = set()
        for theme, polarity in response:
            if coding == "presence":
                columns.add(theme)
            elif polarity in ("negative", "positive"):
                columns.add(f"{theme}:{polarity}")
        rows.append(columns)
    support = Counter(c for row in rows for c in row)
    kept = sorted(
        (c for c, k in support.items() if k >= min_support), key=lambda c: (-support[c], c)
    )
    if max_drivers is not None:
        kept = kept[:max_drivers]
    X = np.zeros((len(rows), len(kept)))
    for i, row in enumerate(rows):
        for j, column in enumerate(kept):
            X[i, j] = column in row
    return X, kept
