"""Weak signals on discovered clusters: candidate new themes that grow.

Texts that no theme of the taxonomy covers are grouped by ``ThemeDiscoverer``; each group is
then a count series over the periods, tested like a theme (``scan_latest``: exact Poisson
tests on dispersion-scaled counts, Benjamini-Hochberg across the clusters, minimum support).
A cluster that surges is a candidate theme for the taxonomy, shown with its keywords and
representative texts for a person to name, or to dismiss.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from pouls_analysis.exceptions import InvalidInputError
from pouls_analysis.signals.detect import BASELINE_PERIODS, FDR, MIN_COUNT, WINDOWS, scan_latest

__all__ = ["CandidateSignal", "scan_clusters"]


@dataclass(frozen=True, slots=True)
class CandidateSignal:
    keywords: tuple[str, ...]
    representatives: tuple[int, ...]  # indices into the input texts
    counts: tuple[int, ...]  # texts of the cluster per period
    count: int  # in the latest period
    expected: float
    q_value: float


def scan_clusters(
    texts: Sequence[str],
    periods: Sequence[int] | np.ndarray,
    n_periods: int,
    *,
    discoverer: Any = None,
    fdr: float = FDR,
    min_count: int = MIN_COUNT,
    baseline_periods: int = BASELINE_PERIODS,
) -> list[CandidateSignal]:
    """Clusters of ``texts`` whose count surges in the last of ``n_periods`` periods.

    Parameters
    ----------
    texts : sequence of str
        Uncovered texts (no theme found), already pseudonymised.
    periods : sequence of int
        Period of each text, 0 (oldest) to ``n_periods - 1`` (latest).
    discoverer : ThemeDiscoverer or None
        Unfitted; ``None`` builds one with ``random_state=0``.

    Returns
    -------
    list of CandidateSignal
        Largest surge first; empty when fewer than two clusters are found.
    """
    from pouls_analysis.themes.discovery import ThemeDiscoverer

    when = np.asarray(periods, dtype=int)
    if when.shape != (len(texts),):
        raise InvalidInputError(f"periods must give one period per text, got {when.shape}.")
    if n_periods < WINDOWS + 2:
        raise InvalidInputError(f"at least {WINDOWS + 2} periods are needed, got {n_periods}.")
    if when.size and (when.min() < 0 or when.max() >= n_periods):
        raise InvalidInputError(f"periods must lie in 0..{n_periods - 1}.")
    if len(texts) < 6:
        return []
    found = (discoverer or ThemeDiscoverer(random_state=0)).fit(list(texts))
    themes = list(found.themes_)
    if len(themes) < 2:
        return []
    counts = np.zeros((len(themes), n_periods), dtype=int)
    for row, theme in enumerate(themes):
        np.add.at(counts[row], when[found.labels_ == theme.label], 1)
    alarms = scan_latest(counts, fdr=fdr, min_count=min_count, baseline_periods=baseline_periods)
    out = [
        CandidateSignal(
            themes[a.series].keywords,
            themes[a.series].representatives,
            tuple(int(c) for c in counts[a.series]),
            a.count,
            a.expected,
            a.q_value,
        )
        for a in alarms
    ]
    return sorted(out, key=lambda c: -(c.count - c.expected))
