"""Run the analysis core over stored feedback texts and keep what it says.

The pipeline (spaCy's French model, the taxonomy, the behaviour rules) takes seconds to load,
so one instance is built per process and reused. Annotating is idempotent: a text analysed
again replaces its rows, and rows written by an older analysis version are redone by
``annotate_pending``.

When a theme model learned from the analysts' corrections is saved (``learning.py``), the
pipeline uses it and the analysis version carries a digest of its file: after each learning,
every text is redone. A model file that cannot be used (corrupt, written by other versions)
is logged and the shipped rules annotate instead.
"""

from __future__ import annotations

import functools
import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from pouls.annotations.models import Annotation, BehaviourMatch, ThemeMention
from pouls.annotations.signals import annotated
from pouls.feedback.models import Feedback

logger = logging.getLogger(__name__)

BATCH = 1000


def analysis_version() -> str:
    """The package version plus a digest of the shipped taxonomy and behaviour rules, and of
    the learned theme model when one is used."""
    return _version_of(learned_themes())


def _version_of(learned: LearnedThemes | None) -> str:
    shipped = shipped_version()
    return shipped if learned is None else f"{shipped}+{learned.digest}"


@functools.cache
def shipped_version() -> str:
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


THEME_MODEL_FILE = "themes.joblib"


def theme_model_path() -> Path:
    """Where ``learn_models`` saves the theme model learned from corrections."""
    return Path(settings.MODEL_DIR) / THEME_MODEL_FILE


@dataclass(frozen=True)
class LearnedThemes:
    """A saved theme model that loaded, and the digest of its file."""

    digest: str
    model: Any = field(compare=False, hash=False)


def learned_themes() -> LearnedThemes | None:
    """The learned theme model when one is saved and usable, else ``None`` (shipped rules).

    Loaded once per version of the file (its size, time and inode), so a model saved by
    another process (``pouls manage learn_models``) is picked up by the next batch.
    """
    path = theme_model_path()
    try:
        stat = path.stat()
    except OSError:
        return None
    try:
        meta = path.with_name(path.name + ".json").stat().st_mtime_ns
    except OSError:
        meta = -1  # load_model says what is missing
    return _load_learned(str(path), stat.st_mtime_ns, stat.st_size, stat.st_ino, meta)


@functools.lru_cache(maxsize=2)
def _load_learned(
    path: str, mtime_ns: int, size: int, inode: int, meta_mtime_ns: int
) -> LearnedThemes | None:
    from pouls_analysis.persistence import load_model

    try:
        digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12]
        model = load_model(path, expected_class="ThemeModel")
        if not hasattr(model, "themes_"):
            raise ValueError("the saved theme model is not fitted")
    except Exception as exc:  # any unreadable file: annotation must go on with the defaults
        logger.warning(
            "learned theme model %s not used (%s): themes come from the shipped rules; "
            "run `pouls manage learn_models` to learn it again",
            path,
            exc,
        )
        return None
    logger.info("learned theme model %s used (%s)", path, digest)
    return LearnedThemes(digest=digest, model=model)


def pipeline() -> Any:
    """The analysis pipeline of this process (with the learned theme model, if any)."""
    return _pipeline(learned_themes())


@functools.lru_cache(maxsize=1)
def _pipeline(learned: LearnedThemes | None) -> Any:
    from pouls_analysis.pipeline import AnalysisPipeline

    theme_model = None if learned is None else learned.model
    return AnalysisPipeline(random_state=0, theme_model=theme_model).fit()


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
    # The model and the version written come from the same look at the saved model.
    learned = learned_themes()
    results = _pipeline(learned).analyze([text for *_, text in rows])
    version = _version_of(learned)
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
