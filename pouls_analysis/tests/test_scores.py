from __future__ import annotations

import math

import numpy as np
import pytest

from pouls_analysis import nps_from_counts, nps_from_scores
from pouls_analysis.exceptions import InvalidInputError


def test_nps_is_promoters_minus_detractors() -> None:
    result = nps_from_scores([10, 9, 8, 7, 6, 0])
    assert (result.n, result.promoters, result.passives, result.detractors) == (6, 2, 2, 2)
    assert result.nps == 0.0


def test_the_interval_is_the_adjusted_wald_one() -> None:
    r = nps_from_counts(12, 5, 3)
    n = 23
    p, d = 12.75 / n, 3.75 / n
    margin = 1.959963984540054 * math.sqrt((p + d - (p - d) ** 2) / n)
    assert r.low == pytest.approx(100 * (p - d - margin))
    assert r.high == pytest.approx(100 * (p - d + margin))


def test_bounds_stay_within_the_scale() -> None:
    r = nps_from_counts(40, 0, 0)
    assert r.high == 100.0 and r.low is not None and r.low < 100


def test_no_answer_gives_no_number() -> None:
    r = nps_from_counts(0, 0, 0)
    assert r.nps is None and r.low is None and not r.is_reliable


def test_small_or_wide_results_are_unreliable_with_reasons() -> None:
    assert nps_from_counts(5, 3, 2).unreliable_reasons == ("small_n", "wide_interval")
    assert nps_from_counts(300, 100, 100).is_reliable


def test_out_of_range_scores_are_refused() -> None:
    with pytest.raises(InvalidInputError, match="0..10"):
        nps_from_scores([11])
    with pytest.raises(InvalidInputError):
        nps_from_counts(-1, 0, 0)


@pytest.mark.parametrize("n", [10, 20, 30, 50, 100, 200])
@pytest.mark.parametrize("mix", [(0.5, 0.3, 0.2), (0.2, 0.3, 0.5), (0.7, 0.2, 0.1)])
def test_coverage_stays_near_95_percent(n: int, mix: tuple[float, float, float]) -> None:
    rng = np.random.default_rng(20261122)
    true_nps = 100 * (mix[0] - mix[2])
    draws = rng.multinomial(n, mix, size=4000)
    covered = 0
    for p, pa, d in draws:
        r = nps_from_counts(int(p), int(pa), int(d))
        assert r.low is not None and r.high is not None
        covered += r.low <= true_nps <= r.high
    assert 0.93 <= covered / len(draws) <= 0.97
