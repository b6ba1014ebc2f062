from __future__ import annotations

import itertools

import numpy as np
import pytest

from pouls_analysis.exceptions import InsufficientDataError, InvalidInputError
from pouls_analysis.stats.drivers import (
    code_theme_drivers,
    key_drivers,
    relative_weights,
    shapley_r2,
)


def _r2_by_lstsq(X: np.ndarray, y: np.ndarray) -> float:
    """R² of an OLS fit with intercept, computed from residuals (independent of correlations)."""
    design = np.column_stack([np.ones(len(y)), X])
    coef, *_ = np.linalg.lstsq(design, y, rcond=None)
    residual = y - design @ coef
    return float(1 - residual @ residual / ((y - y.mean()) @ (y - y.mean())))


def _brute_force_shapley(X: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Shapley values as the average marginal R² gain over every ordering of the drivers."""
    p = X.shape[1]
    values = np.zeros(p)
    orders = list(itertools.permutations(range(p)))
    for order in orders:
        entered: list[int] = []
        before = 0.0
        for j in order:
            entered.append(j)
            after = _r2_by_lstsq(X[:, entered], y)
            values[j] += after - before
            before = after
    return values / len(orders)


def _correlated_case(seed: int = 0, n: int = 300) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.RandomState(seed)
    base = rng.normal(size=n)
    X = np.column_stack(
        [
            base + rng.normal(scale=0.6, size=n),
            base + rng.normal(scale=0.9, size=n),
            rng.normal(size=n),
            (rng.random_sample(n) < 0.3).astype(float),
        ]
    )
    y = 2 * X[:, 0] + 1 * X[:, 1] + 0.5 * X[:, 2] - 1.5 * X[:, 3] + rng.normal(scale=2, size=n)
    return X, y


def test_raw_weights_sum_to_the_full_model_r2() -> None:
    X, y = _correlated_case()
    weights, r2 = relative_weights(X, y)
    assert r2 == pytest.approx(_r2_by_lstsq(X, y), abs=1e-10)
    assert weights.sum() == pytest.approx(r2, abs=1e-12)
    assert (weights >= 0).all()


def test_shapley_matches_brute_force_over_orderings_and_sums_to_r2() -> None:
    X, y = _correlated_case(seed=3)
    shapley = shapley_r2(X, y)
    assert shapley == pytest.approx(_brute_force_shapley(X, y), abs=1e-10)
    assert shapley.sum() == pytest.approx(_r2_by_lstsq(X, y), abs=1e-12)


def test_relative_weights_are_close_to_shapley() -> None:
    X, y = _correlated_case(seed=5)
    weights, _ = relative_weights(X, y)
    shapley = shapley_r2(X, y)
    # Johnson's weights approximate the Shapley decomposition (within ~0.01 of R² here).
    assert np.abs(weights - shapley).max() < 0.02
    assert list(np.argsort(-weights)) == list(np.argsort(-shapley))


def test_uncorrelated_drivers_get_their_squared_correlation() -> None:
    rng = np.random.RandomState(1)
    X = rng.normal(size=(400, 3))
    X = np.linalg.qr(X - X.mean(axis=0))[0]  # exactly orthogonal, centred columns
    y = X @ np.array([3.0, 1.0, 0.0]) + rng.normal(scale=0.05, size=400)
    weights, _ = relative_weights(X, y)
    r = np.array([np.corrcoef(X[:, j], y)[0, 1] for j in range(3)])
    assert weights == pytest.approx(r**2, abs=1e-10)


def test_planted_theme_effects_are_recovered_in_order() -> None:
    rng = np.random.RandomState(42)
    n = 600
    effects = {"attente": -3.0, "conseil": 2.0, "prix": -1.0, "parking": 0.0}
    X = (rng.random_sample((n, 4)) < 0.25).astype(float)
    y = 7.5 + X @ np.array(list(effects.values())) + rng.normal(scale=1.5, size=n)
    y = np.clip(np.round(y), 0, 10)
    result = key_drivers(X, y, names=list(effects), n_bootstrap=200, random_state=0)
    assert [w.name for w in result.weights] == ["attente", "conseil", "prix", "parking"]
    assert result.weight("attente").coefficient < 0 < result.weight("conseil").coefficient
    assert result.weight("attente").correlation < 0
    parking = result.weight("parking")
    assert parking.low is not None and parking.low < 0.01
    attente = result.weight("attente")
    assert attente.low is not None and attente.high is not None
    assert attente.low <= attente.raw_weight <= attente.high and attente.low > 0.1
    assert sum(w.shapley or 0 for w in result.weights) == pytest.approx(result.r2, abs=1e-12)
    assert result.n == n and result.n_bootstrap > 190


def test_the_bootstrap_is_reproducible_with_a_random_state() -> None:
    X, y = _correlated_case(n=80)
    a = key_drivers(X, y, random_state=7, n_bootstrap=50)
    b = key_drivers(X, y, random_state=7, n_bootstrap=50)
    assert a == b
    c = key_drivers(X, y, random_state=8, n_bootstrap=50)
    assert a.weights[0].low != c.weights[0].low


def test_shapley_is_skipped_above_fifteen_drivers() -> None:
    rng = np.random.RandomState(0)
    X = rng.normal(size=(200, 16))
    y = X[:, 0] + rng.normal(size=200)
    result = key_drivers(X, y, n_bootstrap=0)
    assert all(w.shapley is None for w in result.weights)
    assert all(w.low is None for w in result.weights)
    with pytest.raises(InvalidInputError, match="at most 15"):
        shapley_r2(X, y)


def test_too_few_responses_are_refused_with_the_count() -> None:
    X, y = _correlated_case(n=19)
    with pytest.raises(InsufficientDataError, match="19 responses for 4 drivers; at least 20"):
        key_drivers(X, y)
    with pytest.raises(InsufficientDataError, match="at least 6"):
        relative_weights(X[:5], y[:5], min_n=2)


def test_a_constant_driver_is_named_in_the_error() -> None:
    X, y = _correlated_case(n=50)
    X[:, 2] = 1.0
    with pytest.raises(InvalidInputError, match="without variation cannot be weighed: prix"):
        key_drivers(X, y, names=["a", "b", "prix", "d"])


def test_a_constant_outcome_and_collinear_drivers_are_refused() -> None:
    X, y = _correlated_case(n=50)
    with pytest.raises(InvalidInputError, match="outcome is constant"):
        key_drivers(X, np.full(50, 9.0))
    collinear = np.column_stack([X, X[:, 0] + X[:, 1]])
    with pytest.raises(InvalidInputError, match="collinear"):
        key_drivers(collinear, y)
    with pytest.raises(InvalidInputError, match="finite"):
        key_drivers(np.where(X > 1, np.nan, X), y)
    with pytest.raises(InvalidInputError, match="names has 2 labels for 4"):
        key_drivers(X, y, names=["a", "b"])


def test_theme_coding_by_polarity_keeps_frequent_columns_first() -> None:
    mentions = (
        [[("attente", "negative"), ("prix", "neutral")]] * 6
        + [[("conseil", "positive")]] * 5
        + [[("prix", "positive")]] * 2
    )
    X, names = code_theme_drivers(mentions)
    assert names == ["attente:negative", "conseil:positive"]
    assert X.shape == (13, 2) and X[:, 0].sum() == 6 and X[:, 1].sum() == 5
    X, names = code_theme_drivers(mentions, coding="presence")
    assert names == ["prix", "attente", "conseil"]
    _, names = code_theme_drivers(mentions, min_support=1, max_drivers=1)
    assert names == ["attente:negative"]
    with pytest.raises(InvalidInputError, match="coding"):
        code_theme_drivers(mentions, coding="both")  # type: ignore[arg-type]


def test_shapley_weights_use_the_exact_coalition_formula() -> None:
    # With two drivers, Shapley = R²(j) / 2 + (R²(all) - R²(other)) / 2.
    X, y = _correlated_case(seed=9)
    X = X[:, :2]
    full = _r2_by_lstsq(X, y)
    single = [_r2_by_lstsq(X[:, [j]], y) for j in range(2)]
    expected = [single[0] / 2 + (full - single[1]) / 2, single[1] / 2 + (full - single[0]) / 2]
    assert shapley_r2(X, y) == pytest.approx(expected, abs=1e-12)
