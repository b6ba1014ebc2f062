"""French sentiment: the out-of-the-box lexicon model and a model learned from scores."""

from __future__ import annotations

from pouls_analysis.sentiment.lexicon import (
    LexiconSentiment,
    SentimentLabel,
    SentimentResult,
    label_of,
    load_lexicon,
    polarity_of_span,
    rating_of,
)

__all__ = [
    "LexiconSentiment",
    "SentimentLabel",
    "SentimentResult",
    "label_of",
    "load_lexicon",
    "polarity_of_span",
    "rating_of",
]
