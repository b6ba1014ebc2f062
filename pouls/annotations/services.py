"""Run the analysis core over stored feedback texts and keep what it says.

The pipeline (spaCy's French model, the taxonomy, the behaviour rules) takes seconds to load,
so one instance is built per process and reused. Annotating is idempotent: a text analysed
again replaces its rows, and rows written by an older analysis version are redone by
``annotate_pending``.
"""

from __future__ import annotations

import functools
import hashlib
import logging
from collections.abc import Sequence
from importlib import resources
from typing import Any

from django.db import transaction
from django.utils import timezone

from pouls.annotations.models import Annotation, BehaviourMatch, ThemeMention
from pouls.annotations.signals import annotated
from pouls.feedback.models import Feedback

logger = logging.getLogger(__name__)

BATCH = 1000


@functools.cache
def analysis_version() -> str:
    """The package version plus a digest of the shipped taxonomy and behaviour rules."""
    import pouls_analysis

    digest = hashlib.sha256()
    for package, name in (
        ("pouls_analysis.taxonomies", "retail_fr.yaml"),
        ("pouls_analysis.behaviours", "behaviours_fr.yaml"),
    ):
        digest.update(resources.files(package).joinpath(name).read_bytes())
    return f"{pouls_analysis.__version__}+{digest.hexdigest()[:12]}"


@functools.cache
def theme_labels() -> dict[str, str]:
    """French label of each theme id of the shipped taxonomy."""
    from pouls_analysis.themes.taxonomy import load_taxonomy

    return {theme.id: theme.label_fr for theme in load_taxonomy("retail_fr").themes}


@functools.cache
def pipeline() -> Any:
    from pouls_analysis.pipeline import AnalysisPipeline

    return AnalysisPipeline(random_state=0).fit()


def annotate(feedback_ids: Sequence[int]) -> int:
    """Analyse these feedback texts (empty texts are skipped); returns how many were analysed."""
    rows = list(
        Feedback.objects.filter(pk__in=list(feedback_ids))
        .exclude(text="")
        .order_by("pk")
        .values_list("pk", "perimeter_id", "received_at", "text")
    )
    if not rows:
        return 0
    results = pipeline().analyze([text for *_, text in rows])
    version = analysis_version()
    notes, themes, behaviours = [], [], []
    for (pk, perimeter_id, received_at, _text), result in zip(rows, results, strict=True):
        day = timezone.localdate(received_at)
        common = {"feedback_id": pk, "perimeter_id": perimeter_id, "day": day}
        notes.append(
            Annotation(
                **common,
                lang=result.lang,
                is_french=result.is_french,
                sentiment=result.sentiment.score,
                sentiment_label=result.sentiment.label,
                uncovered=bool(result.uncovered),
                version=version,
            )
        )
        themes += [
            ThemeMention(
                **common,
                theme=m.theme,
                confidence=m.confidence,
                polarity=m.polarity,
                polarity_score=m.polarity_score,
                start=m.start,
                end=m.end,
            )
            for m in _one_per_theme(result.themes or ())
        ]
        behaviours += [
            BehaviourMatch(
                **common, behaviour=b.behaviour, confidence=b.confidence, start=b.start, end=b.end
            )
            for b in result.behaviours or ()
        ]
    ids = [pk for pk, *_ in rows]
    with transaction.atomic():
        for model in (Annotation, ThemeMention, BehaviourMatch):
            model.objects.filter(feedback_id__in=ids).delete()
        Annotation.objects.bulk_create(notes, batch_size=500)
        ThemeMention.objects.bulk_create(themes, batch_size=500)
        BehaviourMatch.objects.bulk_create(behaviours, batch_size=500)
    annotated.send(sender=Annotation, feedback_ids=ids)
    return len(rows)


def _one_per_theme(mentions: Sequence[Any]) -> list[Any]:
    """The most confident mention of each theme: rollups count texts per theme, so a text
    must not count twice for one theme."""
    best: dict[str, Any] = {}
    for mention in mentions:
        if mention.theme not in best or mention.confidence > best[mention.theme].confidence:
            best[mention.theme] = mention
    return list(best.values())


def pending_ids(limit: int) -> list[int]:
    """Feedback with a text and no annotation of the current version, oldest first."""
    return list(
        Feedback.objects.exclude(text="")
        .exclude(annotation__version=analysis_version())
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )


def annotate_pending(batch: int = BATCH) -> int:
    """Annotate every pending feedback text, a batch at a time; returns how many."""
    done = 0
    while ids := pending_ids(batch):
        done += annotate(ids)
        logger.debug("annotated %d feedback texts", done)
    return done
