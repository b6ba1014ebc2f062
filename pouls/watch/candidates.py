"""Candidate new themes: groups of uncovered texts whose weekly count surges, per store or
department (``pouls manage detect_candidate_themes``, daily).

Steps for one week: the French texts of the last 16 weeks that no theme of the taxonomy
covers (``Annotation.uncovered``), grouped by the store or department above their perimeter;
where there are enough of them, ``scan_clusters`` groups them (``ThemeDiscoverer``) and tests
each group's last week against its own past like a theme. Each surge is kept as a
``CandidateTheme`` of that perimeter, with its keywords and representative texts. Clustering
stays within one store or department, so a candidate holds only texts of its own perimeter.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict

from django.db import transaction

from pouls.annotations.models import Annotation
from pouls.org.models import Perimeter, path_prefixes
from pouls.watch.detection import WATCHED_KINDS
from pouls.watch.models import CandidateTheme
from pouls_analysis.signals.clusters import scan_clusters

logger = logging.getLogger(__name__)

CANDIDATE_WEEKS = 16
# Fewer uncovered texts than this in 16 weeks cannot make a group of >= 5 in one week stand
# out from a baseline.
MIN_TEXTS = 30


def _owner(path: str, watched: dict[str, int]) -> int | None:
    """The watched perimeter (store or department) at or above ``path``, nearest first."""
    prefixes = path_prefixes(path)
    return next((watched[p] for p in reversed(prefixes) if p in watched), None)


def scan_candidates(week: dt.date) -> int:
    """Candidate themes of the week starting on ``week`` (a Monday); how many were found.
    The week's earlier candidates are replaced, so the command can be run again."""
    start = week - dt.timedelta(weeks=CANDIDATE_WEEKS - 1)
    watched = dict(Perimeter.objects.filter(kind__in=WATCHED_KINDS).values_list("path", "pk"))
    texts: dict[int, list[tuple[int, int, str]]] = defaultdict(list)
    rows = Annotation.objects.filter(
        uncovered=True, is_french=True, day__gte=start, day__lt=week + dt.timedelta(days=7)
    ).values_list("perimeter__path", "feedback_id", "day", "feedback__text")
    for path, feedback_id, day, text in rows.iterator(chunk_size=2000):
        owner = _owner(path, watched)
        if owner is not None and text:
            texts[owner].append((feedback_id, (day - start).days // 7, text))
    found = 0
    with transaction.atomic():
        CandidateTheme.objects.filter(week=week).delete()
        for perimeter_id, items in sorted(texts.items()):
            if len(items) < MIN_TEXTS:
                continue
            ids, periods, bodies = zip(*items, strict=True)
            for c in scan_clusters(list(bodies), list(periods), CANDIDATE_WEEKS):
                CandidateTheme.objects.create(
                    perimeter_id=perimeter_id,
                    week=week,
                    keywords=list(c.keywords),
                    counts=list(c.counts),
                    count=c.count,
                    expected=c.expected,
                    q_value=c.q_value,
                    evidence=[ids[i] for i in c.representatives],
                )
                found += 1
    logger.info("week %s: %d candidate themes", week, found)
    return found
