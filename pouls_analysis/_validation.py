"""Small input checks shared by the estimators (we avoid sklearn's private validators)."""

from __future__ import annotations

from collections.abc import Iterable, Sized
from typing import Any

from pouls_analysis.exceptions import InvalidInputError


def check_texts(X: Any, *, name: str = "X") -> list[str]:
    """Return ``X`` as a list of str, or raise InvalidInputError saying what was wrong."""
    if isinstance(X, str | bytes):
        raise InvalidInputError(
            f"{name} must be a sequence of texts, got a single {type(X).__name__}; "
            "wrap it in a list."
        )
    if not isinstance(X, Iterable):
        raise InvalidInputError(f"{name} must be a sequence of str, got {type(X).__name__}.")
    texts = list(X)
    for i, text in enumerate(texts):
        if not isinstance(text, str):
            raise InvalidInputError(f"{name}[{i}] must be str, got {type(text).__name__}.")
    return texts


def check_same_length(X: Sized, y: Sized, *, names: str = "X, y") -> None:
    """Raise InvalidInputError when two parallel sequences differ in length."""
    if len(X) != len(y):
        raise InvalidInputError(f"{names} must have the same length, got {len(X)} and {len(y)}.")
