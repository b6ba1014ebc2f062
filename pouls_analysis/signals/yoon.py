"""Keyword emergence and issue maps (Yoon 2012): where each theme stands between weak,
strong, latent and well-known, by how visible it is (how often it is mentioned) and how
diffused (in how many texts), and how fast either grows.

Degree of visibility of theme i in period j: DoV_ij = TF_ij / NN_j * (1 - tw * (n - j)),
degree of diffusion: DoD_ij = DF_ij / NN_j * (1 - tw * (n - j)), where TF counts mentions,
DF counts texts mentioning the theme, NN_j is the number of texts of period j, n the last
period and tw a time weight that favours recent periods. Growth is the geometric mean of
the period-to-period ratios (with half a mention added to every count, so that a theme going
from 0 to 1 mention does not grow a billion-fold); the quadrants split at the medians over
all themes.

Diffusion may be measured over other units than texts (``diffusion_base``): when each text
mentions a theme at most once, texts mentioning it equal its mentions and the two maps would
coincide; the Django side then counts the perimeters where the theme is mentioned.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from pouls_analysis.exceptions import InvalidInputError

__all__ = ["MapPoint", "emergence_map"]

Quadrant = Literal["signal faible", "signal fort", "signal latent", "sujet connu"]
TIME_WEIGHT = 0.05


@dataclass(frozen=True, slots=True)
class MapPoint:
    theme: int
    visibility: float  # mean DoV over the periods
    visibility_growth: float  # geometric mean growth of DoV, per period
    diffusion: float
    diffusion_growth: float
    on_visibility: Quadrant  # keyword emergence map (KEM)
    on_diffusion: Quadrant  # keyword issue map (KIM)


def _degrees(counts: np.ndarray, base: np.ndarray, tw: float) -> np.ndarray:
    n = counts.shape[0]
    weights = 1 - tw * (n - 1 - np.arange(n))
    return np.asarray(counts / np.maximum(base, 1)[:, None] * weights[:, None])


def _growth(counts: np.ndarray, base: np.ndarray, tw: float) -> np.ndarray:
    degrees = _degrees(counts + 0.5, base, tw)
    ratios = degrees[1:] / degrees[:-1]
    return np.asarray(np.exp(np.log(ratios).mean(axis=0)) - 1.0)


def _quadrants(level: np.ndarray, growth: np.ndarray) -> list[Quadrant]:
    level_cut, growth_cut = np.median(level), np.median(growth)
    out: list[Quadrant] = []
    for lv, gr in zip(level, growth, strict=True):
        if gr > growth_cut:
            out.append("signal fort" if lv > level_cut else "signal faible")
        else:
            out.append("sujet connu" if lv > level_cut else "signal latent")
    return out


def emergence_map(
    mentions: np.ndarray,
    texts_with: np.ndarray,
    texts: np.ndarray,
    *,
    tw: float = TIME_WEIGHT,
    diffusion_base: np.ndarray | None = None,
) -> list[MapPoint]:
    """Place each theme on the two maps.

    Parameters
    ----------
    mentions, texts_with : array (periods x themes)
        Mentions of each theme, and texts mentioning it, per period.
    texts : array (periods,)
        Number of texts per period.
    diffusion_base : array (periods,) or None
        Denominator of the diffusion when ``texts_with`` counts other units than texts
        (e.g. perimeters); ``texts`` when None.

    Examples
    --------
    >>> mentions = np.array([[40, 2, 30, 1], [42, 4, 31, 1], [41, 8, 30, 1], [43, 16, 32, 1]])
    >>> [p.on_visibility for p in emergence_map(mentions, mentions, np.full(4, 500))]
    ['signal fort', 'signal faible', 'sujet connu', 'signal latent']
    """
    mentions = np.asarray(mentions, dtype=float)
    texts_with = np.asarray(texts_with, dtype=float)
    texts = np.asarray(texts, dtype=float)
    base = texts if diffusion_base is None else np.asarray(diffusion_base, dtype=float)
    if (
        mentions.ndim != 2
        or mentions.shape != texts_with.shape
        or texts.shape != mentions.shape[:1]
        or base.shape != texts.shape
    ):
        raise InvalidInputError(
            f"mentions and texts_with must be periods x themes and texts one value per period, "
            f"got {mentions.shape}, {texts_with.shape}, {texts.shape}."
        )
    if mentions.shape[0] < 2:
        raise InvalidInputError("at least two periods are needed to measure growth.")
    if np.any(mentions < 0) or np.any(texts_with < 0) or np.any(texts < 0) or np.any(base < 0):
        raise InvalidInputError("counts must be >= 0.")
    v_level = _degrees(mentions, texts, tw).mean(axis=0)
    d_level = _degrees(texts_with, base, tw).mean(axis=0)
    v_growth, d_growth = _growth(mentions, texts, tw), _growth(texts_with, base, tw)
    kem, kim = _quadrants(v_level, v_growth), _quadrants(d_level, d_growth)
    return [
        MapPoint(
            i,
            float(v_level[i]),
            float(v_growth[i]),
            float(d_level[i]),
            float(d_growth[i]),
            kem[i],
            kim[i],
        )
        for i in range(mentions.shape[1])
    ]
