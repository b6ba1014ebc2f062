"""Run the analysis core over stored feedback texts and keep what it says.

The pipeline (spaCy's French model, the taxonomy, the behaviour rules) takes seconds to load,
so one instance is built per process and reused. Annotating is idempotent: a text analysed
again replaces its rows, and rows written by an older analysis version are redone by
``annotate_pending``.

When a model learned from the organisation's data is saved (``learning.py``: themes from the
analysts' corrections, sentiment from the scores that come with the texts), the pipeline uses
it and the analysis version carries a digest of its file: after each learning, every text is
redone. A model file that cannot be used (corrupt, written by other versions) is logged and
the shipped default annotates instead.
"""

from __future__ import annotations

import functools
import hashlib
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from pouls.annotations.models import Annotation, BehaviourMatch, ThemeMention
from pouls.feedback.changes import record_days
from pouls.feedback.models import Feedback

logger = logging.getLogger(__name__)

BATCH = 1000


def analysis_version() -> str:
    """The package version plus a digest of the shipped taxonomy and behaviour rules, and of
    each learned model in use."""
    return _version_of(learned_models())


def _version_of(learned: LearnedModels) -> str:
    version = shipped_version()
    if learned.themes is not None:
        version += f"+t{learned.themes.digest}"
    if learned.sentiment is not None:
        version += f"+s{learned.sentiment.digest}"
    return version


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
SENTIMENT_MODEL_FILE = "sentiment.joblib"
# Saved file -> the class it must hold and an attribute only a fitted one has.
_CLASSES = {
    THEME_MODEL_FILE: ("ThemeModel", "themes_"),
    SENTIMENT_MODEL_FILE: ("SentimentModel", "classifier_"),
}


def model_path(name: str) -> Path:
    """Where ``learning.py`` saves a learned model (``THEME_MODEL_FILE``, ...)."""
    return Path(settings.MODEL_DIR) / name


def theme_model_path() -> Path:
    """Where ``learn_models`` saves the theme model learned from corrections."""
    return model_path(THEME_MODEL_FILE)


@dataclass(frozen=True)
class Learned:
    """A saved model that loaded, and the digest of its file."""

    digest: str
    model: Any = field(compare=False, hash=False)


@dataclass(frozen=True)
class LearnedModels:
    """The learned models in use (``None``: the shipped default)."""

    themes: Learned | None
    sentiment: Learned | None


def learned_models() -> LearnedModels:
    return LearnedModels(_learned(THEME_MODEL_FILE), _learned(SENTIMENT_MODEL_FILE))


def learned_themes() -> Learned | None:
    """The learned theme model when one is saved and usable, else ``None`` (shipped rules)."""
    return _learned(THEME_MODEL_FILE)


def _learned(name: str) -> Learned | None:
    """A saved model, loaded once per version of its files (size, times, inode): a model
    saved by another process (``pouls manage learn_models``) is picked up by the next batch."""
    path = model_path(name)
    try:
        stat = path.stat()
    except OSError:
        return None
    try:
        meta = path.with_name(path.name + ".json").stat().st_mtime_ns
    except OSError:
        meta = -1  # load_model says what is missing
    return _load_learned(str(path), stat.st_mtime_ns, stat.st_size, stat.st_ino, meta)


@functools.lru_cache(maxsize=4)
def _load_learned(
    path: str, mtime_ns: int, size: int, inode: int, meta_mtime_ns: int
) -> Learned | None:
    from pouls_analysis.persistence import load_model

    class_name, fitted = _CLASSES[Path(path).name]
    try:
        digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12]
        model = load_model(path, expected_class=class_name)
        if not hasattr(model, fitted):
            raise ValueError(f"the saved {class_name} is not fitted")
    except Exception as exc:  # any unreadable file: annotation must go on with the defaults
        logger.warning(
            "learned model %s not used (%s): the shipped default is used instead; "
            "run `pouls manage learn_models` to learn it again",
            path,
            exc,
        )
        return None
    logger.info("learned model %s used (%s)", path, digest)
    return Learned(digest=digest, model=model)


def pipeline() -> Any:
    """The analysis pipeline of this process (with the learned models, if any)."""
    return _pipeline(learned_models())


@functools.lru_cache(maxsize=1)
def _pipeline(learned: LearnedModels) -> Any:
    from pouls_analysis.pipeline import AnalysisPipeline, freeze_loaded

    fitted = AnalysisPipeline(
        random_state=0,
        theme_model=None if learned.themes is None else learned.themes.model,
        sentiment=None if learned.sentiment is None else learned.sentiment.model,
    ).fit()
    freeze_loaded()  # the pipeline lives as long as the process
    return fitted


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
    learned = learned_models()
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
        record_days(note.day for note in notes)  # sentiment and themes feed the rollups
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


def annotate_pending(batch: int = BATCH, on_batch: Callable[[], object] | None = None) -> int:
    """Annotate every pending feedback text, a batch at a time; returns how many.
    ``on_batch`` runs after each batch (the worker renews its lease there)."""
    done = 0
    while ids := pending_ids(batch):
        done += annotate(ids)
        if on_batch is not None:
            on_batch()
        logger.debug("annotated %d feedback texts", done)
    return done
