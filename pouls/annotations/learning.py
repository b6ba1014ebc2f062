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
from pouls.annotations.services import shipped_version, theme_model_path

logger = logging.getLogger(__name__)

TAXONOMY = "retail_fr"
STATE_FILE = "learning.json"


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
    state = _read_state(path.parent)
    if not force and state.get("digest") == digest and path.exists() == state.get("saved"):
        learned = tuple(state.get("learned", ()))
        return LearningResult(len(texts), n_labels, learned, path.exists(), False, False)
    model = _fit(texts, labels) if texts else None
    learned = tuple(sorted(model.classifiers_)) if model is not None else ()
    had_model = path.exists()
    path.parent.mkdir(parents=True, exist_ok=True)
    if learned:
        _save_atomically(model, path)
    elif had_model:
        # The corrections as they stand teach nothing the rules do not know: back to them.
        path.unlink()
        path.with_name(path.name + ".json").unlink(missing_ok=True)
    _write_state(
        path.parent,
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


def _digest(texts: list[str], labels: list[dict[str, bool]]) -> str:
    """Digest of what a fit depends on: the labelled texts and the versions of the code."""
    payload = json.dumps(
        [shipped_version(), sklearn.__version__, texts, labels], ensure_ascii=False
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _read_state(folder: Path) -> dict[str, Any]:
    try:
        state = json.loads((folder / STATE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return state if isinstance(state, dict) else {}


def _write_state(folder: Path, state: dict[str, Any]) -> None:
    (folder / STATE_FILE).write_text(json.dumps(state, indent=2) + "\n", encoding="utf-8")
