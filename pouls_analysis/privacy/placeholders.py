"""Typed placeholders are not words: every analysis reads a text as if they were not there.

The pseudonymiser writes ``[TÉLÉPHONE]`` where a phone number was. Read as a word, that
placeholder would make a theme (« Joignabilité téléphonique ») or a keyword that the same
text with the number, or with nothing, does not have. The readers of texts (preprocessor,
theme analyzer, service behaviours, verbatim choice) therefore blank the placeholders first.
Blanking keeps every other character where it was, so spans still point into the text as
stored.
"""

from __future__ import annotations

import re

from pouls_analysis.privacy.pseudonymise import PLACEHOLDERS

__all__ = ["PLACEHOLDER_RE", "blank_placeholders", "drop_placeholders"]

#: The typed placeholders of ``Pseudonymiser`` (its default ones: the product uses no other).
PLACEHOLDER_RE = re.compile("|".join(re.escape(p) for p in sorted(set(PLACEHOLDERS.values()))))


def blank_placeholders(text: str) -> str:
    """``text`` with each typed placeholder replaced by as many spaces (offsets unchanged).

    Examples
    --------
    >>> blank_placeholders("Rappelez-moi au [TÉLÉPHONE] svp")
    'Rappelez-moi au              svp'
    """
    if "[" not in text:
        return text
    return PLACEHOLDER_RE.sub(_spaces, text)


def drop_placeholders(text: str) -> str:
    """``text`` without its typed placeholders (for readers that keep no offsets).

    Examples
    --------
    >>> drop_placeholders("Merci à [NOM] !")
    'Merci à  !'
    """
    if "[" not in text:
        return text
    return PLACEHOLDER_RE.sub("", text)


def _spaces(match: re.Match[str]) -> str:
    return " " * (match.end() - match.start())
