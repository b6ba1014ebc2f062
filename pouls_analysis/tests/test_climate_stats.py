from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from pouls_analysis.climate.instruments import INSTRUMENTS_DIR, load_instrument
from pouls_analysis.climate.profile import climate_profile, diagnose, readiness_verdict, who5_score
from pouls_analysis.climate.stats import cronbach_alpha, enps, mean_with_ci, rwg, rwg_j
from pouls_analysis.exceptions import InvalidInputError


def test_alpha_equals_covariance_matrix_formula() -> None:
    # pingouin not used: independent reference from the covariance matrix.
    rng = np.random.default_rng(0)
    latent = rng.normal(size=40)
    x = np.clip(np.round(2.5 + latent[:, None] + rng.normal(size=(40, 4))), 0, 5)
    x[3, 1] = np.nan
    result = cronbach_alpha(x)
    complete = x[~np.isnan(x).any(axis=1)]
    cov = np.cov(complete, rowvar=False)
    k = cov.shape[0]
    reference = k / (k - 1) * (1 - np.trace(cov) / cov.sum())
    assert result.alpha == pytest.approx(reference)
    assert (result.n, result.k) == (39, 4)


def test_alpha_low_flag() -> None:
    rng = np.random.default_rng(1)
    assert cronbach_alpha(rng.integers(0, 6, size=(30, 3))).low


def test_rwg_matches_hand_computation() -> None:
    answers = [3, 4, 4, 5, 4]
    s2 = np.var(answers, ddof=1)
    assert rwg(answers, options=6) == pytest.approx(1 - s2 / (35 / 12))
    assert rwg([0, 5, 0, 5], options=6) == 0.0
    assert rwg_j([[4, 4], [4, 5], [5, 4]], options=6) == pytest.approx(
        2 * (1 - (1 / 3) / (35 / 12)) / (2 * (1 - (1 / 3) / (35 / 12)) + (1 / 3) / (35 / 12))
    )


def test_mean_ci_and_enps_carry_n() -> None:
    assert mean_with_ci([1, 2, 3]).n == 3
    assert enps([10, 9, 3]).n == 3


def test_all_shipped_instruments_load() -> None:
    for path in INSTRUMENTS_DIR.glob("*.yaml"):
        assert load_instrument(path).items
    climate = load_instrument("ethical_climate_fr")
    assert len(climate.dimensions) == 5
    for dim in climate.dimensions:
        assert sum(i.dimension == dim.id for i in climate.items) >= 4


def test_loader_names_file_item_and_field(tmp_path: Path) -> None:
    text = (INSTRUMENTS_DIR / "who5_fr.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "casse.yaml"
    bad.write_text(text.replace("dimension: wellbeing, text_fr", "dimension: inconnue, text_fr", 1))
    with pytest.raises(InvalidInputError, match=r"casse.yaml item who1: field 'dimension'"):
        load_instrument(bad)


def test_profile_diagnosis_and_verdict() -> None:
    profile = climate_profile({"instrumental": [4, 5, 4, 5, 4, 5], "caring": [1, 2, 1, 2, 1, 1]})
    assert profile.dominant == "instrumental"
    assert climate_profile({"a": [3, 4, 2], "b": [3, 2, 4]}).dominant is None
    diag = diagnose({"skill": [4, 4, 5], "will": [1, 2, 1], "means": [3, 3, 3]})
    assert diag.weakest == "will"
    verdict = readiness_verdict("Ventes Ouest", profile, mean_with_ci([1, 2, 2, 1]), diag)
    assert "exposerait ce désengagement aux clients" in verdict
    assert who5_score([5, 5, 5, 5, 5]) == 100


def test_no_brake_is_named_when_even_the_weakest_dimension_is_high() -> None:
    high = diagnose({"skill": [4, 4, 4], "will": [4, 3.5, 4], "means": [4, 4, 3.5]})
    assert "pas de frein marqué" in high.implication_fr
    low = diagnose({"skill": [4, 4, 4], "will": [3, 3.5, 3], "means": [4, 4, 4]})
    assert low.weakest == "will" and "montrer ce que" in low.implication_fr
