"""Weak signals: what changes in the counts of a theme in a perimeter, period after period."""

from __future__ import annotations

from pouls_analysis.signals.clusters import CandidateSignal, scan_clusters
from pouls_analysis.signals.detect import Alarm, benjamini_hochberg, cusum, scan_latest
from pouls_analysis.signals.yoon import MapPoint, emergence_map

__all__ = [
    "Alarm",
    "CandidateSignal",
    "MapPoint",
    "benjamini_hochberg",
    "cusum",
    "emergence_map",
    "scan_clusters",
    "scan_latest",
]
