"""The default analysis of a verbatim: language, sentiment, themes and service behaviours.

``AnalysisPipeline`` preprocesses each text once (``FrenchPreprocessor``) and hands the
result to every part: the sentiment model, the service-behaviour detector, the theme model
(which reads the preprocessor's words and spans into its own lemma ids, without splitting
the text again), and the polarity of each theme mention (read by the sentiment part in the
clause around the mention).

French texts get every part. Other languages are flagged (``lang``, ``is_french=False``):
their sentiment only reads emojis and emoticons (unless a learned model is given), and themes
and behaviours, whose rules are French, are not run (``themes`` is ``None``).
"""

from __future__ import annotations

import dataclasses
import gc
import logging
import multiprocessing
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted

from pouls_analysis._validation import check_texts
from pouls_analysis.exceptions import InvalidInputError
from pouls_analysis.sentiment.lexicon import LexiconSentiment, SentimentResult, label_of
from pouls_analysis.text.preprocess import FrenchPreprocessor, PreprocessedText

__all__ = ["AnalysisPipeline", "TextAnalysis", "freeze_loaded"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class TextAnalysis:
    """Everything the default pipeline says about one text.

    Attributes
    ----------
    lang : str
    is_french : bool
    sentiment : SentimentResult
    themes : tuple of ThemeMention, or None
        ``None`` when themes were not run (non-French text, or no theme part).
    behaviours : tuple of BehaviourMatch, or None
        ``None`` when behaviours were not run (non-French text, or no behaviour part).
    """

    lang: str
    is_french: bool
    sentiment: SentimentResult
    themes: tuple[Any, ...] | None
    behaviours: tuple[Any, ...] | None

    @property
    def uncovered(self) -> bool | None:
        """True when themes ran and found none (the text goes to discovery)."""
        return None if self.themes is None else not self.themes

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (used by ``pouls analyze``)."""
        return {
            "lang": self.lang,
            "is_french": self.is_french,
            "sentiment": {
                "label": self.sentiment.label,
                "score": round(self.sentiment.score, 4),
                "evidence": [list(span) for span in self.sentiment.evidence],
            },
            "themes": None
            if self.themes is None
            else [dataclasses.asdict(mention) for mention in self.themes],
            "uncovered": self.uncovered,
            "behaviours": None
            if self.behaviours is None
            else [dataclasses.asdict(match) for match in self.behaviours],
        }


def _no_polarity(text: str, start: int, end: int) -> float:
    """Placeholder polarity for the theme model: the pipeline reads it from its own docs."""
    return 0.0


class AnalysisPipeline(BaseEstimator):  # type: ignore[misc]
    """Language, sentiment, themes and service behaviours of French verbatims.

    Parameters
    ----------
    taxonomy : str or Path, default="retail_fr"
        Theme taxonomy: a shipped name or a YAML file.
    preprocessor : FrenchPreprocessor or None, default=None
    sentiment : object or None, default=None
        Anything with ``analyze_docs(docs) -> list[SentimentResult]`` (``LexiconSentiment``,
        a fitted ``SentimentModel``); ``None`` uses the lexicon model. Mention polarity
        always uses a ``LexiconSentiment`` (the given one, or a default one).
    themes : bool, default=True
        Run the theme model.
    behaviours : bool, default=True
        Run the service-behaviour detector.
    random_state : int, RandomState or None, default=None
    n_jobs : int, default=1
        Processes ``analyze`` uses for a batch of at least ``2 * chunk_size`` texts. With
        more than one, this process and ``n_jobs - 1`` forked copies of it (POSIX ``fork``;
        elsewhere the batch runs in this process) take turns on chunks of ``chunk_size``
        texts; results come back in order and are identical to ``n_jobs=1``. Worth it for
        big batches only: forking and sending results back cost about 0.1 s plus about
        20 microseconds per text.
    chunk_size : int, default=2000
        Texts per chunk handed to a worker process when ``n_jobs > 1``.
    theme_model : ThemeModel or None, default=None
        A fitted theme model (learned from an organisation's labels) used instead of the
        zero-shot one built from ``taxonomy``; ignored when ``themes`` is False.

    Attributes
    ----------
    preprocessor_, sentiment_, lexicon_ : fitted parts
    themes_ : ThemeModel or None
    behaviours_ : ServiceBehaviourDetector or None

    Examples
    --------
    >>> pipeline = AnalysisPipeline(random_state=0).fit()
    >>> result = pipeline.analyze(["Livraison en retard et vendeur désagréable."])[0]
    >>> result.lang, result.sentiment.label, "delivery" in [m.theme for m in result.themes]
    ('fr', 'negative', True)
    """

    def __init__(
        self,
        *,
        taxonomy: str | Path = "retail_fr",
        preprocessor: FrenchPreprocessor | None = None,
        sentiment: Any = None,
        themes: bool = True,
        behaviours: bool = True,
        random_state: Any = None,
        n_jobs: int = 1,
        chunk_size: int = 2000,
        theme_model: Any = None,
    ) -> None:
        self.taxonomy = taxonomy
        self.preprocessor = preprocessor
        self.sentiment = sentiment
        self.themes = themes
        self.behaviours = behaviours
        self.random_state = random_state
        self.n_jobs = n_jobs
        self.chunk_size = chunk_size
        self.theme_model = theme_model

    def fit(self, X: Sequence[str] | None = None, y: Any = None) -> AnalysisPipeline:
        """Build the default parts (zero-shot: nothing is learned from ``X``).

        Steps: validate; fit the preprocessor; the lexicon; the theme model from the
        taxonomy; the behaviour detector from its shipped definitions.
        """
        if X is not None:
            check_texts(X)
        for name in ("n_jobs", "chunk_size"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise InvalidInputError(f"{name} must be an integer >= 1, got {value!r}.")
        if self.sentiment is not None and not hasattr(self.sentiment, "analyze_docs"):
            raise InvalidInputError(
                "sentiment must have analyze_docs(docs) (LexiconSentiment, a fitted "
                f"SentimentModel) or be None, got {type(self.sentiment).__name__}."
            )
        self.preprocessor_ = self.preprocessor or FrenchPreprocessor()
        if not hasattr(self.preprocessor_, "languages_"):
            self.preprocessor_.fit()
        given = self.sentiment
        if isinstance(given, LexiconSentiment):
            self.lexicon_ = given if hasattr(given, "lexicon_") else given.fit()
        else:
            self.lexicon_ = LexiconSentiment(preprocessor=self.preprocessor_).fit()
        self.sentiment_ = self.lexicon_ if given is None else given
        self.themes_ = None
        if self.themes and self.theme_model is not None:
            self.themes_ = self.theme_model
        elif self.themes:
            from pouls_analysis.themes.model import ThemeModel

            self.themes_ = ThemeModel(
                taxonomy=self.taxonomy, polarity=_no_polarity, random_state=self.random_state
            ).fit([])
        self.behaviours_ = None
        if self.behaviours:
            from pouls_analysis.behaviours.detector import ServiceBehaviourDetector

            self.behaviours_ = ServiceBehaviourDetector(random_state=self.random_state).fit([])
        return self

    def analyze(self, X: Sequence[str]) -> list[TextAnalysis]:
        """Analyse each text (see the module docstring for what non-French texts get)."""
        check_is_fitted(self, "sentiment_")
        texts = check_texts(X)
        if (
            self.n_jobs > 1
            and len(texts) >= 2 * self.chunk_size
            and "fork" in multiprocessing.get_all_start_methods()
        ):
            return self._analyze_in_processes(texts)
        return self.analyze_docs(self.preprocessor_.transform(texts))

    def _analyze_in_processes(self, texts: list[str]) -> list[TextAnalysis]:
        """``analyze`` in chunks shared by this process and ``n_jobs - 1`` forked ones.

        This process takes every ``n_jobs``-th chunk itself, so its token caches keep
        growing from one call to the next, and only the other chunks' results are sent
        back through pipes. The order of the texts is kept.
        """
        global _FORKED
        size, jobs = self.chunk_size, self.n_jobs
        chunks = [texts[i : i + size] for i in range(0, len(texts), size)]
        mine = chunks[::jobs]
        theirs = [c for k, c in enumerate(chunks) if k % jobs]
        _FORKED = self  # read by the children, which fork with a copy of this process
        try:
            with multiprocessing.get_context("fork").Pool(min(jobs - 1, len(theirs))) as pool:
                pending = pool.map_async(_analyze_forked, theirs, chunksize=1)
                done = [_analyze_forked(chunk) for chunk in mine]
                sent = iter(pending.get())
        finally:
            _FORKED = None
        parts = [done[k // jobs] if k % jobs == 0 else next(sent) for k in range(len(chunks))]
        return [result for part in parts for result in part]

    def analyze_docs(self, docs: Sequence[PreprocessedText]) -> list[TextAnalysis]:
        """``analyze`` for texts already preprocessed.

        Steps: themes of the French texts; sentiment of every text and the polarity of each
        mention (one pass of the lexicon rules per text when the sentiment part is the
        lexicon); behaviours of the French texts.
        """
        check_is_fitted(self, "sentiment_")
        french = [i for i, doc in enumerate(docs) if doc.is_french]
        mentions: dict[int, tuple[Any, ...]] = {}
        if self.themes_ is not None and french:
            annotated = self.themes_.annotate([docs[i] for i in french])
            mentions = {i: a.mentions for i, a in zip(french, annotated, strict=True) if a.mentions}
        spans = [[(m.start, m.end) for m in mentions.get(i, ())] for i in range(len(docs))]
        if self.sentiment_ is self.lexicon_:
            sentiments, polarities = self.lexicon_.analyze_docs_with_spans(docs, spans)
        else:
            sentiments = self.sentiment_.analyze_docs(docs)
            polarities = [
                self.lexicon_.span_polarities(doc, doc_spans) if doc_spans else []
                for doc, doc_spans in zip(docs, spans, strict=True)
            ]
        themes = {
            i: tuple(
                _with_polarity(m, score) for m, score in zip(found, polarities[i], strict=True)
            )
            for i, found in mentions.items()
        }
        behaviours: dict[int, tuple[Any, ...]] = {}
        if self.behaviours_ is not None and french:
            found = self.behaviours_.detect([docs[i] for i in french])
            behaviours = dict(zip(french, found, strict=True))
        return [
            TextAnalysis(
                lang=doc.lang,
                is_french=doc.is_french,
                sentiment=sentiment,
                themes=themes.get(i, ()) if self.themes_ is not None and doc.is_french else None,
                behaviours=behaviours.get(i)
                if self.behaviours_ is not None and doc.is_french
                else None,
            )
            for i, (doc, sentiment) in enumerate(zip(docs, sentiments, strict=True))
        ]


_FORKED: AnalysisPipeline | None = None


def freeze_loaded() -> None:
    """Keep the objects alive now (loaded models, tables) out of the garbage collector's scans.

    Call it once a long-lived process has fitted its pipeline (a worker, ``pouls analyze``).
    Analysing texts allocates many small containers, which trigger collections; the oldest
    generation's would walk the models' millions of objects again each time (issue 19's
    profile put the collector at about 6 % of the analysis CPU). They live as long as the
    process anyway: ``gc.freeze`` moves them to a generation that is never scanned. Garbage
    is collected first so that none is kept.
    """
    gc.collect()
    gc.freeze()


def _analyze_forked(texts: list[str]) -> list[TextAnalysis]:
    """Analyse one chunk with the pipeline of ``_analyze_in_processes`` (in either process)."""
    assert _FORKED is not None, "only called from _analyze_in_processes"
    return _FORKED.analyze_docs(_FORKED.preprocessor_.transform(texts))


def _with_polarity(mention: Any, score: float) -> Any:
    return dataclasses.replace(mention, polarity=label_of(score), polarity_score=round(score, 4))
