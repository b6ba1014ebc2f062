"""French text preprocessing shared by sentiment, themes and service behaviours."""

from __future__ import annotations

from pouls_analysis.text.preprocess import (
    EMO_NEG,
    EMO_POS,
    FrenchPreprocessor,
    PreprocessedText,
    fold,
    mean_vectors,
)

__all__ = ["EMO_NEG", "EMO_POS", "FrenchPreprocessor", "PreprocessedText", "fold", "mean_vectors"]
