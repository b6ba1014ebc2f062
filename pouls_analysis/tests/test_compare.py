from __future__ import annotations

import doctest

import numpy as np
import pytest

from pouls_analysis import nps_from_counts
from pouls_analysis.exceptions import InvalidInputError
from pouls_analysis.stats import compare, scores
from pouls_analysis.stats.compare import (
    bootstrap_mean_interval,
    compare_nps,
    compare_proportions,
    csat_from_scores,
    mean_interval,
    proportion_interval,
    smooth_nps,
)


@pytest.mark.parametrize("module", [compare, scores])
def test_the_docstring_examples_run(module: object) -> None:
    result = doctest.testmod(module)  # type: ignore[arg-type]
    assert result.attempted > 0 and result.failed == 0


@pytest.mark.parametrize("n", [10, 30, 100, 200])
@pytest.mark.parametrize("share", [0.1, 0.5, 0.8])
def test_wilson_coverage_stays_near_95_percent(n: int, share: float) -> None:
    rng = np.random.default_rng(7)
    draws = rng.binomial(n, share, size=4000)
    covered = 0
    for k in draws:
        r = proportion_interval(int(k), n)
        assert r.low is not None and r.high is not None
        covered += r.low <= share <= r.high
    assert 0.92 <= covered / len(draws) <= 0.985


def test_t_interval_coverage_on_skewed_scores() -> None:
    rng = np.random.default_rng(11)
    population = np.array([1, 2, 3, 4, 5])
    weights = np.array([0.05, 0.05, 0.15, 0.35, 0.40])
    true_mean = float((population * weights).sum())
    covered = 0
    for _ in range(3000):
        r = mean_interval(list(rng.choice(population, size=40, p=weights)))
        assert r.low is not None and r.high is not None
        covered += r.low <= true_mean <= r.high
    assert 0.93 <= covered / 3000 <= 0.97


def test_bootstrap_is_reproducible_and_close_to_t() -> None:
    values = [1, 2, 2, 3, 4, 4, 4, 5, 5, 5, 5, 3]
    a = bootstrap_mean_interval(values, random_state=0)
    b = bootstrap_mean_interval(values, random_state=0)
    t = mean_interval(values)
    assert a == b
    assert a.low is not None and t.low is not None and abs(a.low - t.low) < 0.5


def test_csat_is_the_share_of_4_and_5() -> None:
    r = csat_from_scores([5, 4, 3, 1])
    assert (r.n, r.successes, r.share) == (4, 2, 0.5)
    with pytest.raises(InvalidInputError):
        csat_from_scores([6])


def test_equal_nps_differences_stay_in_the_noise_about_95_percent_of_the_time() -> None:
    rng = np.random.default_rng(3)
    mix = (0.5, 0.3, 0.2)
    credible = 0
    for _ in range(2000):
        a, b = rng.multinomial(150, mix), rng.multinomial(150, mix)
        d = compare_nps(nps_from_counts(*map(int, a)), nps_from_counts(*map(int, b)))
        credible += d.verdict != "écart dans le bruit"
    assert 0.03 <= credible / 2000 <= 0.07


def test_a_real_change_is_called_credible_with_its_direction() -> None:
    up = compare_nps(nps_from_counts(40, 30, 30), nps_from_counts(70, 20, 10))
    assert up.verdict == "hausse crédible" and up.difference == pytest.approx(50.0)
    assert up.low is not None and up.low > 0
    down = compare_proportions(proportion_interval(80, 100), proportion_interval(50, 100))
    assert down.verdict == "baisse crédible"
    assert compare_nps(nps_from_counts(3, 1, 1), nps_from_counts(1, 1, 3)).verdict == (
        "pas assez de réponses"
    )


def test_smoothing_pulls_small_perimeters_more_than_large_ones() -> None:
    parent = nps_from_counts(500, 300, 200)  # NPS 30
    small = smooth_nps(nps_from_counts(8, 1, 1), parent)  # raw 70, n = 10
    large = smooth_nps(nps_from_counts(560, 80, 160), parent)  # raw 50, n = 800
    assert small.smoothed is not None and large.smoothed is not None
    assert 30 < small.smoothed < 70 and small.weight < 0.5
    assert large.weight > 0.9 and abs(large.smoothed - 50) < 3


def test_smoothing_strength_comes_from_the_siblings_spread() -> None:
    parent = nps_from_counts(500, 300, 200)
    alike = [nps_from_counts(50 + i, 30, 20) for i in range(5)]
    spread = [
        nps_from_counts(20, 30, 50),
        nps_from_counts(80, 15, 5),
        nps_from_counts(50, 30, 20),
        nps_from_counts(30, 40, 30),
        nps_from_counts(70, 20, 10),
    ]
    child = nps_from_counts(8, 1, 1)
    assert smooth_nps(child, parent, alike).weight < smooth_nps(child, parent, spread).weight
