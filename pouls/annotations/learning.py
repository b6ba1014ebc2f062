"""Learn the theme model from the analysts' corrections (``pouls manage learn_models``).

Each corrected text gives partial labels, ``{theme: present}`` for the themes an analyst
confirmed, withdrew or added; themes nobody spoke of stay unknown. ``ThemeModel`` keeps a
learned classifier for a theme only when, cross-validated on those labels, it does at least
as well as the shipped rules (it needs 8 corrected texts with at least 2 of each answer);
when no theme qualifies, nothing is saved and the shipped rules go on annotating.

A saved model is used by ``services.pipeline()`` and changes the analysis version, so
``annotate_pending`` redoes every text. Learning is idempotent: the same corrections, with
the same versions of the analysis, do not refit.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sklearn
from django.utils import timezone

from pouls.annotations.models import ThemeCorrection
from pouls.annotations.services import (
    SENTIMENT_MODEL_FILE,
    model_path,
    shipped_version,
    theme_model_path,
)
from pouls.feedback.models import Feedback

logger = logging.getLogger(__name__)

TAXONOMY = "retail_fr"
# Learned sentiment: from this many scored texts (the most recent MAX_SCORED), with at least
# MIN_PER_LABEL detractors, passives and promoters.
MIN_SCORED = 500
MAX_SCORED = 20_000
MIN_PER_LABEL = 10
# The score each NPS label is learned as (the model's classes are the labels, not 0-10).
_SCORE_OF_LABEL = {"negative": 0, "neutral": 7, "positive": 10}


@dataclass(frozen=True)
class LearningResult:
    """What one learning pass did."""

    texts: int  # corrected texts
    labels: int  # (text, theme) answers
    learned: tuple[str, ...]  # themes that now have a learned classifier
    saved: bool  # a learned model is saved (and used)
    fitted: bool  # False when these corrections were already learned
    changed: bool  # the saved model changed: every text must be annotated again

    def summary(self) -> str:
        """French summary for the command line and the worker's log."""
        head = f"{self.texts} textes corrigés, {self.labels} réponses sur des thèmes"
        if not self.fitted:
            return f"{head} : rien de nouveau depuis le dernier apprentissage."
        if not self.saved:
            return (
                f"{head} : pas assez de corrections pour qu'un thème appris fasse mieux que "
                "les règles livrées (il faut 8 textes corrigés par thème, dont au moins 2 "
                "où il convient et 2 où il ne convient pas) ; les règles livrées restent."
            )
        return (
            f"{head} : thèmes appris ({len(self.learned)}) : {', '.join(self.learned)}. "
            "Tous les textes vont être ré-analysés."
        )


def correction_labels() -> tuple[list[str], list[dict[str, bool]]]:
    """Texts with corrections and their partial labels, oldest feedback first."""
    from pouls_analysis.themes.taxonomy import load_taxonomy

    known = {theme.id for theme in load_taxonomy(TAXONOMY).detectable}
    texts: dict[int, str] = {}
    labels: dict[int, dict[str, bool]] = defaultdict(dict)
    rows = (
        ThemeCorrection.objects.exclude(feedback__text="")
        .order_by("feedback_id", "theme")
        .values_list("feedback_id", "feedback__text", "theme", "present")
    )
    skipped = 0
    for feedback_id, text, theme, present in rows:
        if theme not in known:  # a theme since removed from the taxonomy
            skipped += 1
            continue
        texts[feedback_id] = text
        labels[feedback_id][theme] = present
    if skipped:
        logger.warning("%d corrections name themes the taxonomy no longer has", skipped)
    return [texts[pk] for pk in texts], [labels[pk] for pk in texts]


def learn_theme_model(*, force: bool = False) -> LearningResult:
    """Fit the theme model on every correction; save it when a theme learned something.

    Without ``force``, corrections already learned (same labels, same versions) are not
    fitted again.
    """
    texts, labels = correction_labels()
    n_labels = sum(len(answers) for answers in labels)
    path = theme_model_path()
    digest = _digest(texts, labels)
    state = _read_state(path)
    if not force and state.get("digest") == digest and path.exists() == state.get("saved"):
        learned = tuple(state.get("learned", ()))
        return LearningResult(len(texts), n_labels, learned, path.exists(), False, False)
    model = _fit(texts, labels) if texts else None
    learned = tuple(sorted(model.classifiers_)) if model is not None else ()
    # The corrections as they stand may teach nothing the rules do not know: back to them.
    had_model = _keep_or_remove(model if learned else None, path)
    _write_state(
        path,
        {
            "digest": digest,
            "saved": bool(learned),
            "learned": list(learned),
            "texts": len(texts),
            "labels": n_labels,
            "learned_at": timezone.now().isoformat(timespec="seconds"),
        },
    )
    changed = bool(learned) or had_model
    result = LearningResult(len(texts), n_labels, learned, bool(learned), True, changed)
    logger.info("learning: %s", result.summary())
    return result


def _fit(texts: list[str], labels: list[dict[str, bool]]) -> Any:
    from pouls_analysis.pipeline import _no_polarity
    from pouls_analysis.themes.model import ThemeModel

    # The pipeline reads each mention's polarity itself: the model need not compute it.
    return ThemeModel(taxonomy=TAXONOMY, polarity=_no_polarity, random_state=0).fit(texts, labels)


def _save_atomically(model: Any, path: Path) -> None:
    """Save beside the target, then rename: a worker never reads a half-written file."""
    from pouls_analysis.persistence import save_model

    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    save_model(model, temporary)
    # Metadata first: a reader finding the new model file always finds its metadata.
    os.replace(temporary.with_name(temporary.name + ".json"), path.with_name(path.name + ".json"))
    os.replace(temporary, path)


def _digest(texts: list[str], labels: list[Any]) -> str:
    """Digest of what a fit depends on: the labelled texts and the versions of the code."""
    payload = json.dumps(
        [shipped_version(), sklearn.__version__, texts, labels], ensure_ascii=False
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _keep_or_remove(model: Any, path: Path) -> bool:
    """Save ``model`` at ``path``, or remove the model saved there when ``model`` is None;
    returns whether a model was saved there before."""
    had_model = path.exists()
    path.parent.mkdir(parents=True, exist_ok=True)
    if model is not None:
        _save_atomically(model, path)
    elif had_model:
        path.unlink()
        path.with_name(path.name + ".json").unlink(missing_ok=True)
    return had_model


def _state_path(path: Path) -> Path:
    """What the last learning of this model saw (``themes.learning.json``, ...)."""
    return path.with_suffix(".learning.json")


def _read_state(path: Path) -> dict[str, Any]:
    try:
        state = json.loads(_state_path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return state if isinstance(state, dict) else {}


def _write_state(path: Path, state: dict[str, Any]) -> None:
    _state_path(path).write_text(json.dumps(state, indent=2) + "\n", encoding="utf-8")


# ------------------------------------------------------------------ sentiment from scores
@dataclass(frozen=True)
class SentimentLearning:
    """What one learning pass of the sentiment model did."""

    texts: int  # scored texts read (the most recent MAX_SCORED)
    learned_f1: float | None  # cross-validated macro-F1 of the learned model (None: not tried)
    lexicon_f1: float | None  # the shipped lexicon's macro-F1 on the same texts
    saved: bool
    fitted: bool
    changed: bool

    def summary(self) -> str:
        """French summary for the command line and the worker's log."""
        head = f"Sentiment : {self.texts} textes notés (NPS)"
        if not self.fitted:
            return f"{head} : rien de nouveau depuis le dernier apprentissage."
        if self.learned_f1 is None or self.lexicon_f1 is None:
            return (
                f"{head} : il en faut {MIN_SCORED}, dont {MIN_PER_LABEL} détracteurs, "
                f"passifs et promoteurs, pour apprendre ; le lexique livré reste."
            )
        figures = (
            f"F1 macro en validation croisée : appris {self.learned_f1:.3f}, "
            f"lexique {self.lexicon_f1:.3f}"
        )
        if self.saved:
            return f"{head} : {figures} ; le modèle appris remplace le lexique."
        return f"{head} : {figures} ; le lexique livré reste."


def scored_texts() -> tuple[list[str], list[int]]:
    """The most recent texts that came with an NPS score, and their scores."""
    rows = list(
        Feedback.objects.exclude(text="")
        .filter(nps__isnull=False)
        .order_by("-pk")
        .values_list("text", "nps")[:MAX_SCORED]
    )
    # The filter above leaves no missing score.
    return [text for text, _ in rows], [int(score or 0) for _, score in rows]


def learn_sentiment_model(*, force: bool = False) -> SentimentLearning:
    """Learn sentiment from the NPS that came with the texts; keep it only if, cross-validated
    (3 folds) on those texts, its macro-F1 on detractor / passive / promoter beats the
    shipped lexicon's."""
    from pouls_analysis.sentiment.model import labels_of_scores

    texts, scores = scored_texts()
    path = model_path(SENTIMENT_MODEL_FILE)
    digest = _digest(texts, scores)
    state = _read_state(path)
    if not force and state.get("digest") == digest and path.exists() == state.get("saved"):
        return SentimentLearning(
            len(texts),
            state.get("learned_f1"),
            state.get("lexicon_f1"),
            path.exists(),
            False,
            False,
        )
    labels: list[str] = list(labels_of_scores(scores, "nps"))
    enough = len(texts) >= MIN_SCORED and all(
        labels.count(label) >= MIN_PER_LABEL for label in _SCORE_OF_LABEL
    )
    learned_f1 = lexicon_f1 = None
    model = None
    if enough:
        learned_f1, lexicon_f1 = _cross_validate(texts, labels)
        if learned_f1 > lexicon_f1:
            model = _sentiment_model().fit(texts, [_SCORE_OF_LABEL[label] for label in labels])
    had_model = _keep_or_remove(model, path)
    _write_state(
        path,
        {
            "digest": digest,
            "saved": model is not None,
            "texts": len(texts),
            "learned_f1": learned_f1,
            "lexicon_f1": lexicon_f1,
            "learned_at": timezone.now().isoformat(timespec="seconds"),
        },
    )
    result = SentimentLearning(
        len(texts), learned_f1, lexicon_f1, model is not None, True, model is not None or had_model
    )
    logger.info("learning: %s", result.summary())
    return result


def _sentiment_model(preprocessor: Any = None) -> Any:
    from pouls_analysis.sentiment.model import SentimentModel

    return SentimentModel(scale="nps", preprocessor=preprocessor, random_state=0)


def _cross_validate(texts: list[str], labels: list[str]) -> tuple[float, float]:
    """Macro-F1 of the learned model (out of fold, 3 stratified folds) and of the lexicon."""
    import numpy as np
    from sklearn.metrics import f1_score
    from sklearn.model_selection import StratifiedKFold

    from pouls_analysis.sentiment.lexicon import LexiconSentiment
    from pouls_analysis.text.preprocess import FrenchPreprocessor

    preprocessor = FrenchPreprocessor().fit()
    truth = np.asarray(labels)
    lexicon = LexiconSentiment(preprocessor=preprocessor).fit().predict(texts)
    learned = np.empty(len(texts), dtype=object)
    folds = StratifiedKFold(n_splits=3, shuffle=True, random_state=0)
    for train, test in folds.split(np.zeros(len(texts)), truth):
        model = _sentiment_model(preprocessor).fit(
            [texts[i] for i in train], [_SCORE_OF_LABEL[labels[i]] for i in train]
        )
        learned[test] = model.predict([texts[i] for i in test])
    return (
        float(f1_score(truth, learned.astype(str), average="macro")),
        float(f1_score(truth, np.asarray(lexicon, dtype=str), average="macro")),
    )
