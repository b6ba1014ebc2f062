"""Exceptions raised by the analysis core (English messages, for developers and operators)."""

from __future__ import annotations

from sklearn.exceptions import NotFittedError

__all__ = [
    "AnalysisError",
    "InsufficientDataError",
    "InvalidInputError",
    "ModelVersionError",
    "NotFittedError",
]


class AnalysisError(ValueError):
    """Base class for errors the Django layer turns into a 400 with a stable code."""

    code = "analysis_error"


class InvalidInputError(AnalysisError, TypeError):
    """An input has the wrong type or shape; the message says what was received and expected."""

    code = "invalid_input"


class InsufficientDataError(AnalysisError):
    """Too few rows for the analysis asked; the message gives the count and the minimum."""

    code = "insufficient_data"


class ModelVersionError(AnalysisError):
    """A persisted model was written by another version of pouls_analysis or scikit-learn."""

    code = "model_version_mismatch"
