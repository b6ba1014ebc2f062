"""Verbatim choice: representative, vivid, diverse quotes that never show personal data.

Candidates are texts of readable length with no unmasked personal detail (e-mail, phone,
IBAN or card number, a title followed by a name like "M. Dupont", a postal address, a social
security number, a first name after a cue like "merci à Kevin"); placeholders such as
``[EMAIL]``, ``[TÉLÉPHONE]`` or ``[NOM]`` are fine. Each candidate gets a relevance mixing how
close it is to the set's centroid (representative) and how vivid it is (opinion words,
exclamations, concrete details); quotes are then picked by maximal marginal relevance so that
the second quote does not repeat the first.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from pouls_analysis._validation import check_texts
from pouls_analysis.exceptions import InvalidInputError
from pouls_analysis.privacy.names import find_name_cues
from pouls_analysis.privacy.patterns import find_addresses, find_nirs
from pouls_analysis.privacy.placeholders import drop_placeholders
from pouls_analysis.themes.lexical import LemmaAnalyzer
from pouls_analysis.themes.polarity import LEXICON

__all__ = ["Verbatim", "contains_personal_data", "select_verbatims"]

_PLACEHOLDER = r"\[[A-ZÉÈÀÇÔÎ_ -]+\]"
_PERSONAL = [
    re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),  # e-mail
    re.compile(r"(?<!\d)(?:\+33\s?|0033\s?|0)[1-9](?:[\s.-]?\d{2}){4}(?!\d)"),  # French phone
    re.compile(r"(?<!\d)\+\d{2,3}(?:[\s.-]?\d{2,4}){3,5}(?!\d)"),  # international phone
    re.compile(r"\b[A-Z]{2}\d{2}(?:\s?[A-Z0-9]{4}){3,7}(?:\s?[A-Z0-9]{1,3})?\b"),  # IBAN
    re.compile(r"(?<!\d)(?:\d[\s-]?){13,19}(?!\d)"),  # card or account number
    re.compile(
        r"\b(?:M\.|Mr\.?|Mme\.?|Mlle\.?|Monsieur|Madame|Mademoiselle|Dr\.?|Docteur|Maître|Me)"
        r"\s+(?!\[)[A-ZÉÈÀÂÊÎÔÛÇ][\w'-]+"
    ),  # title + name
    re.compile(
        r"\b(?:je m'appelle|mon nom est|je suis madame|je suis monsieur)\s+(?!\[)[A-ZÉ]\w+",
        re.IGNORECASE,
    ),
]


def contains_personal_data(text: str) -> bool:
    """Whether ``text`` holds an unmasked personal detail (placeholders are not).

    Examples
    --------
    >>> contains_personal_data("Merci à M. Dupont pour son aide")
    True
    >>> contains_personal_data("Merci à M. [NOM], joignable au [TÉLÉPHONE]")
    False
    """
    masked = re.sub(_PLACEHOLDER, " ", text)
    if any(pattern.search(masked) for pattern in _PERSONAL):
        return True
    # The pseudonymiser's own finders add postal addresses, social security numbers and first
    # names after a cue ("merci à Kevin"); its NER pass is not needed to refuse a quote.
    return bool(find_addresses(masked) or find_nirs(masked) or find_name_cues(masked))


@dataclass(frozen=True, slots=True)
class Verbatim:
    """A chosen quote: its index in the input, its text and its relevance score."""

    index: int
    text: str
    score: float


def select_verbatims(
    texts: Sequence[str],
    *,
    k: int = 3,
    diversity: float = 0.3,
    min_chars: int = 25,
    max_chars: int = 300,
    analyzer: Any = None,
) -> list[Verbatim]:
    """Pick up to ``k`` representative, vivid and diverse quotes among ``texts``.

    Parameters
    ----------
    texts : sequence of str
        The verbatims of one theme and perimeter (already pseudonymised upstream).
    k : int, default=3
    diversity : float, default=0.3
        Weight of novelty in maximal marginal relevance (0: relevance only).
    min_chars, max_chars : int
        Readable length (typed placeholders such as ``[NOM]`` not counted); texts outside it
        are not quoted.
    analyzer : LemmaAnalyzer or None
        Shared analyzer (one is built when ``None``).

    Returns
    -------
    list of Verbatim
        Best first; fewer than ``k`` when fewer texts qualify.

    Examples
    --------
    >>> chosen = select_verbatims([
    ...     "Livraison en retard de deux semaines, aucune excuse !",
    ...     "Livraison en retard, encore.",
    ...     "Le livreur de M. Martin était en retard",
    ... ], k=2)
    >>> [v.index for v in chosen]
    [0, 1]
    """
    items = check_texts(texts, name="texts")
    if not isinstance(k, int) or k < 0:
        raise InvalidInputError(f"k must be an int >= 0, got {k!r}.")
    if not 0.0 <= diversity <= 1.0:
        raise InvalidInputError(f"diversity must be in [0, 1], got {diversity!r}.")
    candidates = [
        i
        for i, text in enumerate(items)
        if min_chars <= len(drop_placeholders(text).strip()) <= max_chars
        and not contains_personal_data(text)
    ]
    if not candidates or k == 0:
        return []
    analyzer = LemmaAnalyzer() if analyzer is None else analyzer
    docs = analyzer.analyze([items[i] for i in candidates])
    content = analyzer.is_content()
    keys = analyzer.keys
    embedded = np.zeros((len(docs), analyzer.table().shape[1]), dtype=np.float32)
    vivid = np.zeros(len(docs))
    for d, doc in enumerate(docs):
        ids = doc.ids[content[doc.ids]] if len(doc.ids) else doc.ids
        if len(ids):
            embedded[d] = analyzer.vectors_of(ids).mean(axis=0)
        opinion = sum(abs(LEXICON.get(keys[i], 0.0)) for i in doc.ids)
        text = doc.text
        vivid[d] = min(opinion, 3) / 3 + 0.3 * ("!" in text) + 0.2 * any(c.isdigit() for c in text)
    embedded /= np.maximum(np.linalg.norm(embedded, axis=1, keepdims=True), 1e-9)
    centroid = embedded.mean(axis=0)
    centroid /= max(float(np.linalg.norm(centroid)), 1e-9)
    relevance = 0.7 * (embedded @ centroid) + 0.3 * vivid / 1.5
    return _mmr(items, candidates, embedded, relevance, k, diversity)


def _mmr(
    items: list[str],
    candidates: list[int],
    embedded: np.ndarray[Any, Any],
    relevance: np.ndarray[Any, Any],
    k: int,
    diversity: float,
) -> list[Verbatim]:
    chosen: list[int] = []
    while len(chosen) < min(k, len(candidates)):
        if chosen:
            redundancy = (embedded @ embedded[chosen].T).max(axis=1)
        else:
            redundancy = np.zeros(len(candidates))
        score = (1 - diversity) * relevance - diversity * redundancy
        score[chosen] = -np.inf
        best = int(np.argmax(score))
        chosen.append(best)
    return [
        Verbatim(
            index=candidates[c], text=items[candidates[c]], score=round(float(relevance[c]), 4)
        )
        for c in chosen
    ]
