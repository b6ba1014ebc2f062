from __future__ import annotations

import math

import numpy as np
import pytest

from pouls_analysis.exceptions import InvalidInputError
from pouls_analysis.stats.lagged import lagged_correlations, period_change, silent_weeks


def _planted(lag: int, seed: int, weeks: int = 78) -> dict[str, np.ndarray]:
    rng = np.random.RandomState(seed)
    visits = rng.normal(100, 10, weeks)
    calls = rng.normal(60, 8, weeks)
    shifted = np.r_[np.full(lag, 100.0), visits[: weeks - lag]]
    sales = 3 * shifted + rng.normal(0, 15, weeks)
    return {"visits": visits, "calls": calls, "sales": sales}


@pytest.mark.parametrize("lag", [0, 1, 2, 3])
def test_a_planted_lag_is_found_and_nothing_else_is_credible(lag: int) -> None:
    s = _planted(lag, seed=lag)
    report = lagged_correlations(
        {"visits": s["visits"], "calls": s["calls"]}, {"sales": s["sales"]}
    )
    pairs = {p.leading: p for p in report.pairs()}
    assert pairs["visits"].best.lag == lag
    assert pairs["visits"].best.verdict == "lien crédible"
    assert pairs["visits"].best.direction == "positive"
    credible = [c for c in report.correlations if c.verdict == "lien crédible"]
    assert [(c.leading, c.lag) for c in credible] == [("visits", lag)]
    assert report.n_tests == 10 and len(pairs["visits"].lags) == 5


def test_intervals_are_fisher_z_on_the_pairs() -> None:
    s = _planted(1, seed=11)
    report = lagged_correlations({"visits": s["visits"]}, {"sales": s["sales"]}, max_lag=1)
    c = report.correlations[1]
    assert c.n == 77 and c.r is not None and c.n_eff is not None
    expected_r = np.corrcoef(s["visits"][:-1], s["sales"][1:])[0, 1]
    assert c.r == pytest.approx(expected_r)
    se = 1 / math.sqrt(c.n_eff - 3)
    assert c.low == pytest.approx(math.tanh(math.atanh(c.r) - 1.959963984540054 * se))
    assert c.high == pytest.approx(math.tanh(math.atanh(c.r) + 1.959963984540054 * se))
    assert c.low is not None and c.high is not None and c.low < c.r < c.high


def test_autocorrelated_trends_shrink_the_effective_n() -> None:
    weeks = np.arange(60, dtype=float)
    rng = np.random.RandomState(2)
    trend_a = weeks + rng.normal(0, 5, 60)
    trend_b = -weeks + rng.normal(0, 5, 60)
    white_a, white_b = rng.normal(size=60), rng.normal(size=60)
    trended = lagged_correlations({"a": trend_a}, {"b": trend_b}, max_lag=0).correlations[0]
    white = lagged_correlations({"a": white_a}, {"b": white_b}, max_lag=0).correlations[0]
    assert trended.n == white.n == 60
    assert trended.n_eff is not None and white.n_eff is not None
    assert trended.n_eff < 20 < white.n_eff
    assert trended.r is not None and trended.r < -0.8


def test_the_multiple_testing_guard_keeps_false_alarms_rare() -> None:
    alarms = 0
    for seed in range(40):
        rng = np.random.RandomState(seed)
        leading = {k: rng.normal(size=52) for k in ("visits", "calls", "quotes", "reports")}
        results = {k: rng.normal(size=52) for k in ("revenue", "nps")}
        report = lagged_correlations(leading, results)
        raw_hits = sum(1 for c in report.correlations if (c.p_value or 1) < 0.05)
        alarms += any(c.verdict == "lien crédible" for c in report.correlations)
        assert report.n_tests == 40 and raw_hits <= 40
    # Holm controls the family-wise error at 5 %: at most a few of 40 pure-noise reports alarm.
    assert alarms <= 6


def test_missing_weeks_are_left_out_and_short_series_say_so() -> None:
    s = _planted(0, seed=4, weeks=20)
    nps = s["sales"].copy()
    nps[::2] = np.nan
    report = lagged_correlations({"visits": s["visits"]}, {"nps": nps}, max_lag=2)
    assert [c.n for c in report.correlations] == [10, 10, 9]
    report = lagged_correlations({"visits": s["visits"][:6]}, {"nps": s["sales"][:6]})
    assert all(c.verdict == "pas assez de semaines" for c in report.correlations)
    assert report.n_tests == 0
    assert any("Moins de six mois" in c for c in report.caveats)
    assert report.caveats[0].startswith("Corrélation n'est pas causalité")


def test_a_constant_series_is_not_tested() -> None:
    s = _planted(0, seed=5, weeks=30)
    report = lagged_correlations({"reports": np.zeros(30)}, {"sales": s["sales"]}, max_lag=0)
    assert report.correlations[0].r is None and report.n_tests == 0


def test_bad_input_is_refused_clearly() -> None:
    with pytest.raises(InvalidInputError, match="same weeks"):
        lagged_correlations({"a": [1.0] * 10}, {"b": [1.0] * 9})
    with pytest.raises(InvalidInputError, match="at least one"):
        lagged_correlations({}, {"b": [1.0]})
    with pytest.raises(InvalidInputError, match="max_lag"):
        lagged_correlations({"a": [1.0]}, {"b": [1.0]}, max_lag=-1)


def test_silent_weeks_counts_trailing_zeros_after_activity() -> None:
    assert silent_weeks([1.6, 2, 1, 0, 0, 0, 0, 0, 0, 0, 0]) == 8
    assert silent_weeks([1, 2, 0, 0]) == 0  # fewer than three weeks: an ordinary gap
    assert silent_weeks([0, 0, 0]) == 0  # never active: nothing stopped
    assert silent_weeks([1, 0, 0, 0, 2]) == 0


def test_differences_drop_a_shared_trend_but_keep_a_real_weekly_link() -> None:
    rng = np.random.RandomState(6)
    weeks = np.arange(60, dtype=float)
    visits = 100 + weeks + rng.normal(0, 3, 60)  # both drift upwards, independently otherwise
    unrelated = 50 + 0.5 * weeks + rng.normal(0, 3, 60)
    linked = 2 * visits + rng.normal(0, 2, 60)  # moves with visits week by week
    levels = lagged_correlations({"visits": visits}, {"u": unrelated}, max_lag=0)
    assert levels.correlations[0].r is not None and levels.correlations[0].r > 0.8
    diffs = lagged_correlations(
        {"visits": visits}, {"u": unrelated, "linked": linked}, max_lag=0, differences=True
    )
    by_result = {c.result: c for c in diffs.correlations}
    assert by_result["u"].verdict == "pas de lien démontré"
    assert by_result["linked"].verdict == "lien crédible" and by_result["linked"].n == 59
    assert any("variations d'une semaine" in c for c in diffs.caveats)


def test_period_change_sees_a_rise_and_stays_quiet_on_noise() -> None:
    rng = np.random.RandomState(8)
    flat = rng.normal(100, 5, 26)
    rising = np.r_[rng.normal(100, 5, 13), rng.normal(125, 5, 13)]
    assert period_change(flat).verdict == "écart dans le bruit"
    change = period_change(rising)
    assert change.verdict == "hausse crédible" and change.n_recent == change.n_before == 13
    assert change.relative is not None and 0.15 < change.relative < 0.35
    assert period_change(-rising).verdict == "baisse crédible"
    assert period_change([1.0, 2.0, 3.0]).verdict == "pas assez de semaines"
