"""The conventions every public estimator of pouls_analysis keeps, checked on each of them.

clone / get_params round trip, ``fit`` returns self, ``NotFittedError`` before ``fit``, the
same output for the same ``random_state`` (or twice, when there is none), and empty and
one-text inputs. Each estimator's own test file checks what it does; this one checks that
none of them forgets the conventions (issue 4, "Must show").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, is_dataclass
from typing import Any

import numpy as np
import pytest
from sklearn.base import BaseEstimator, clone

from pouls_analysis.behaviours import ServiceBehaviourDetector
from pouls_analysis.exceptions import InvalidInputError, NotFittedError
from pouls_analysis.pipeline import AnalysisPipeline
from pouls_analysis.privacy import Pseudonymiser
from pouls_analysis.sentiment import LexiconSentiment
from pouls_analysis.sentiment.model import SentimentModel
from pouls_analysis.text.preprocess import FrenchPreprocessor
from pouls_analysis.themes import ThemeDiscoverer, ThemeModel
from pouls_analysis.themes.polarity import AspectPolarityModel

# Hand-written French texts (not from any data set).
REVIEWS = [
    "Vendeuse charmante, très bon conseil.",
    "Accueil glacial et attente interminable.",
    "Correct, sans plus.",
    "Livraison rapide, produit parfait.",
    "Caisse fermée, personne pour nous aider, nul.",
    "Prix un peu élevés mais qualité au rendez-vous.",
] * 3
STARS = [5, 1, 3, 5, 1, 4] * 3
ONE = ["Le conseiller m'a répondu que ce n'était pas son rayon."]
MENTION_SPANS = [(0, 9), (0, 7), (0, 7), (0, 9), (0, 6), (0, 4)] * 3
MENTION_THEMES = ["staff", "welcome", "other", "delivery", "checkout", "price"] * 3
POLARITIES = ["positive", "negative", "neutral", "positive", "negative", "positive"] * 3


@dataclass(frozen=True)
class Spec:
    """How to build, fit and read one estimator."""

    make: Callable[..., BaseEstimator]
    fit: Callable[[Any], Any]
    output: Callable[[Any, list[str]], Any]
    empty_fit: str  # "accepted" or "refused" (with InvalidInputError)


def _mention_output(model: AspectPolarityModel, texts: list[str]) -> Any:
    n = len(texts)
    return model.predict(texts, spans=[(0, 2)] * n, themes=["staff"] * n)


SPECS: dict[str, Spec] = {
    "FrenchPreprocessor": Spec(
        FrenchPreprocessor, lambda e: e.fit(REVIEWS), lambda e, x: e.transform(x), "accepted"
    ),
    "LexiconSentiment": Spec(
        LexiconSentiment, lambda e: e.fit(REVIEWS), lambda e, x: e.analyze(x), "accepted"
    ),
    "SentimentModel": Spec(
        lambda **kw: SentimentModel(calibration_folds=2, **kw),
        lambda e: e.fit(REVIEWS, STARS),
        lambda e, x: e.predict_proba(x),
        "refused",
    ),
    "ThemeModel": Spec(ThemeModel, lambda e: e.fit([]), lambda e, x: e.annotate(x), "accepted"),
    "ThemeDiscoverer": Spec(
        lambda **kw: ThemeDiscoverer(min_cluster_size=2, **kw),
        lambda e: e.fit(REVIEWS),
        lambda e, x: e.predict(x),
        "accepted",
    ),
    "AspectPolarityModel": Spec(
        AspectPolarityModel,
        lambda e: e.fit(REVIEWS, POLARITIES, spans=MENTION_SPANS, themes=MENTION_THEMES),
        _mention_output,
        "refused",
    ),
    "ServiceBehaviourDetector": Spec(
        ServiceBehaviourDetector, lambda e: e.fit([]), lambda e, x: e.detect(x), "accepted"
    ),
    "Pseudonymiser": Spec(
        lambda **kw: Pseudonymiser(use_ner=False, **kw),
        lambda e: e.fit(),
        lambda e, x: e.transform(x),
        "accepted",
    ),
    "AnalysisPipeline": Spec(
        AnalysisPipeline, lambda e: e.fit(), lambda e, x: e.analyze(x), "accepted"
    ),
}


def _make(spec: Spec, **params: Any) -> Any:
    estimator = spec.make()
    if "random_state" in estimator.get_params():
        params.setdefault("random_state", 0)
    return spec.make(**params)


def _plain(value: Any) -> Any:
    """A comparable form of an output (arrays to lists, results kept as dataclasses)."""
    if isinstance(value, np.ndarray):
        return value.round(10).tolist() if value.dtype.kind == "f" else value.tolist()
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if is_dataclass(value):
        return value
    return value


@pytest.fixture(scope="module", params=sorted(SPECS))
def fitted(request: pytest.FixtureRequest) -> tuple[Spec, Any]:
    spec = SPECS[request.param]
    return spec, spec.fit(_make(spec))


@pytest.mark.parametrize("name", sorted(SPECS))
def test_clone_and_get_params_round_trip(name: str) -> None:
    estimator = _make(SPECS[name])
    copy = clone(estimator)
    assert copy is not estimator
    assert copy.get_params() == estimator.get_params()
    assert type(estimator)(**estimator.get_params()).get_params() == estimator.get_params()


@pytest.mark.parametrize("name", sorted(SPECS))
def test_it_refuses_to_work_before_fit(name: str) -> None:
    spec = SPECS[name]
    estimator = _make(spec)
    if not estimator.__sklearn_tags__().requires_fit:
        # Declared stateless (nothing learned, e.g. the pseudonymiser): works unfitted.
        assert len(spec.output(estimator, ONE)) == 1
        return
    with pytest.raises(NotFittedError):
        spec.output(estimator, ONE)


def test_fit_returns_self(fitted: tuple[Spec, Any]) -> None:
    spec, estimator = fitted
    fresh = _make(spec)
    assert spec.fit(fresh) is fresh
    assert fresh.get_params() == estimator.get_params()  # fit changes no parameter


def test_empty_and_one_text_inputs(fitted: tuple[Spec, Any]) -> None:
    spec, estimator = fitted
    assert len(spec.output(estimator, [])) == 0
    assert len(spec.output(estimator, ONE)) == 1


def test_same_random_state_gives_the_same_output(fitted: tuple[Spec, Any]) -> None:
    spec, estimator = fitted
    other = spec.fit(_make(spec))
    texts = [*ONE, *REVIEWS[:6]]
    assert _plain(spec.output(other, texts)) == _plain(spec.output(estimator, texts))


@pytest.mark.parametrize("name", sorted(SPECS))
def test_fitting_on_no_text_is_accepted_or_refused_clearly(name: str) -> None:
    spec = SPECS[name]
    estimator = _make(spec)
    if name == "SentimentModel":
        call: Callable[[], Any] = lambda: estimator.fit([], [])  # noqa: E731
    elif name == "AspectPolarityModel":
        call = lambda: estimator.fit([], [], spans=[], themes=[])  # noqa: E731
    else:
        call = lambda: estimator.fit([])  # noqa: E731
    if spec.empty_fit == "refused":
        with pytest.raises(InvalidInputError):
            call()
    else:
        assert call() is estimator
