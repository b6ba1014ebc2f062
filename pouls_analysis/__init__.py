"""pouls_analysis: French text analysis and honest statistics, with no Django dependency."""

from __future__ import annotations

from pouls_analysis.stats.compare import (
    Difference,
    MeanResult,
    ProportionResult,
    SmoothedNps,
    compare_nps,
    compare_proportions,
    csat_from_scores,
    mean_interval,
    proportion_interval,
    smooth_nps,
)
from pouls_analysis.stats.scores import NpsResult, nps_from_counts, nps_from_scores

__version__ = "0.2.0"

__all__ = [
    "Difference",
    "MeanResult",
    "NpsResult",
    "ProportionResult",
    "SmoothedNps",
    "compare_nps",
    "compare_proportions",
    "csat_from_scores",
    "mean_interval",
    "nps_from_counts",
    "nps_from_scores",
    "proportion_interval",
    "smooth_nps",
]
