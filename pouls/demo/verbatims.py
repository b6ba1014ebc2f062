"""French verbatim generator for the demo company.

A small project-written French grammar: clause templates with slots and alternatives, combined
with connectors into customer answers, sellers' field reports and customer e-mails or letters.
Nothing here comes from a dataset. Everything is deterministic from the ``random.Random`` passed
in, uses only the standard library, and is fast (tens of thousands of texts per second).

Template mini-language (compiled once, at import):

* ``[a|b|c]`` one alternative at random (nestable); ``[a|]`` makes ``a`` optional;
* ``{slot}`` a lexicon entry (``LEX``) or a context slot (the product, the staff member...);
* ``{g:m|f}`` the customer's grammatical gender, ``{s:m|f}`` the staff member's,
  ``{p:m|f}`` the product's (both branches may contain templates).
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass

from pouls.demo.phrasebook import (
    BEHAVIOUR_TEMPLATES,
    BEHAVIOUR_WEIGHTS,
    CLOSERS,
    CONTEXT,
    EMAIL_CLOSING,
    EMAIL_CONNECT,
    EMAIL_GOOD_LEAD,
    EMAIL_GREETING,
    EMAIL_INTRO,
    EMAIL_REQUEST,
    EMAIL_SIGNATURE,
    FEELINGS,
    FIELD,
    FIELD_PREFIX,
    FIELD_SUFFIX,
    ISSUE_ALIASES,
    LEX,
    MIX_REST,
    MIX_TAIL,
    NEG,
    OPENERS,
    PAYMENT_INCIDENT_NEG,
    PAYMENT_INCIDENT_POS,
    POS,
    PRODUCT_NOUNS,
    SELLER_NEG,
    SELLER_POS,
    SHORT,
    THEME_WEIGHTS,
)

__all__ = [
    "BEHAVIOURS",
    "FIELD_THEMES",
    "THEMES",
    "Verbatim",
    "make_customer_verbatim",
    "make_email",
    "make_field_report",
]


@dataclass(frozen=True, slots=True)
class Verbatim:
    text: str  # French text
    themes: tuple[str, ...]  # theme ids actually mentioned, from THEMES (FIELD_THEMES for reports)
    behaviour: str | None  # one of BEHAVIOURS when the text describes it, else None


THEMES: tuple[str, ...] = (
    "accueil",
    "amabilite",
    "conseil",
    "attente",
    "disponibilite",
    "prix",
    "promotions",
    "qualite_produit",
    "disponibilite_produit",
    "sav",
    "livraison",
    "retours",
    "paiement",
    "facturation",
    "site_app",
    "telephone",
    "proprete",
    "parking",
    "fidelite",
)
BEHAVIOURS: tuple[str, ...] = (
    "neutralite",
    "evitement",
    "protection_groupe",
    "categorisation",
    "education",
    "soumission",
)
#: Themes a seller's field report may carry: every customer theme plus two internal ones.
FIELD_THEMES: tuple[str, ...] = (*THEMES, "logistique", "outil_interne")

# --------------------------------------------------------------------------------------------
# Template compiler and expander
# --------------------------------------------------------------------------------------------


class _Ctx:
    __slots__ = ("rng", "female", "staff_female", "product", "name")

    def __init__(
        self,
        rng: random.Random,
        product: tuple[str, str, str, str, str, bool],
        name: str | None,
    ) -> None:
        self.rng = rng
        self.female = rng.random() < 0.5
        self.staff_female = rng.random() < 0.5
        self.product = product
        self.name = name


class _Node:
    __slots__ = ()

    def emit(self, ctx: _Ctx, out: list[str]) -> None:
        raise NotImplementedError


class _Lit(_Node):
    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def emit(self, ctx: _Ctx, out: list[str]) -> None:
        out.append(self.text)


class _Seq(_Node):
    __slots__ = ("parts",)

    def __init__(self, parts: Sequence[_Node]) -> None:
        self.parts = tuple(parts)

    def emit(self, ctx: _Ctx, out: list[str]) -> None:
        for part in self.parts:
            part.emit(ctx, out)


class _Alt(_Node):
    __slots__ = ("options",)

    def __init__(self, options: Sequence[_Node]) -> None:
        self.options = tuple(options)

    def emit(self, ctx: _Ctx, out: list[str]) -> None:
        self.options[int(ctx.rng.random() * len(self.options))].emit(ctx, out)


class _Gender(_Node):
    __slots__ = ("kind", "masc", "fem")

    def __init__(self, kind: str, masc: _Node, fem: _Node) -> None:
        self.kind = kind
        self.masc = masc
        self.fem = fem

    def emit(self, ctx: _Ctx, out: list[str]) -> None:
        if self.kind == "g":
            female = ctx.female
        elif self.kind == "s":
            female = ctx.staff_female
        else:
            female = ctx.product[5]
        (self.fem if female else self.masc).emit(ctx, out)


_PRODUCT_SLOTS = {"un_p": 0, "le_p": 1, "du_p": 2, "mon_p": 3, "d_un_p": 4}
_STAFF_M = ("le vendeur", "le vendeur", "le conseiller", "l'employé", "le caissier")
_STAFF_F = ("la vendeuse", "la vendeuse", "la conseillère", "l'employée", "la caissière")


class _Slot(_Node):
    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def emit(self, ctx: _Ctx, out: list[str]) -> None:
        index = _PRODUCT_SLOTS.get(self.name)
        if index is not None:
            out.append(ctx.product[index])  # type: ignore[arg-type]
        elif self.name == "staff":
            pool = _STAFF_F if ctx.staff_female else _STAFF_M
            out.append(pool[int(ctx.rng.random() * len(pool))])
        elif self.name == "name":
            out.append(ctx.name or "le vendeur")
        else:
            _LEX_COMPILED[self.name].emit(ctx, out)


def _parse(src: str, pos: int, stops: str) -> tuple[_Node, int]:
    """Parse ``src`` from ``pos`` up to (not including) one of ``stops``."""
    parts: list[_Node] = []
    buf: list[str] = []

    def flush() -> None:
        if buf:
            parts.append(_Lit("".join(buf)))
            buf.clear()

    while pos < len(src):
        char = src[pos]
        if char in stops:
            break
        if char == "[":
            flush()
            options: list[_Node] = []
            pos += 1
            while True:
                node, pos = _parse(src, pos, "|]")
                options.append(node)
                if src[pos] == "]":
                    pos += 1
                    break
                pos += 1
            parts.append(_Alt(options))
        elif char == "{":
            flush()
            if src[pos + 2 : pos + 3] == ":" and src[pos + 1] in "gsp":
                kind = src[pos + 1]
                masc, pos = _parse(src, pos + 3, "|}")
                if src[pos] != "|":
                    raise ValueError(f"gender marker without '|' in {src!r}")
                fem, pos = _parse(src, pos + 1, "}")
                parts.append(_Gender(kind, masc, fem))
                pos += 1
            else:
                end = src.index("}", pos)
                parts.append(_Slot(src[pos + 1 : end]))
                pos = end + 1
        else:
            buf.append(char)
            pos += 1
    flush()
    if len(parts) == 1:
        return parts[0], pos
    return _Seq(parts), pos


def _compile(src: str) -> _Node:
    node, pos = _parse(src, 0, "")
    if pos != len(src):
        raise ValueError(f"unbalanced template {src!r}")
    return node


def _compile_all(templates: Sequence[str]) -> _Alt:
    return _Alt([_compile(t) for t in templates])


def _expand(node: _Node, ctx: _Ctx) -> str:
    out: list[str] = []
    node.emit(ctx, out)
    text = "".join(out)
    if "  " in text or " ," in text:  # an empty optional part left a stray space
        text = text.replace("  ", " ").replace(" ,", ",")
    return text.strip()


# --------------------------------------------------------------------------------------------
# Lexicon
# --------------------------------------------------------------------------------------------


def _product_forms(noun: str, gender: str, vowel: bool) -> tuple[str, str, str, str, str, bool]:
    female = gender == "f"
    un = f"une {noun}" if female else f"un {noun}"
    if vowel:
        le, du = f"l'{noun}", f"de l'{noun}"
        mon = f"mon {noun}"
    elif female:
        le, du, mon = f"la {noun}", f"de la {noun}", f"ma {noun}"
    else:
        le, du, mon = f"le {noun}", f"du {noun}", f"mon {noun}"
    d_un = f"d'{un}"
    return (un, le, du, mon, d_un, female)


_PRODUCTS = tuple(_product_forms(*p) for p in PRODUCT_NOUNS)

# --------------------------------------------------------------------------------------------
# Compiled forms
# --------------------------------------------------------------------------------------------

_LEX_COMPILED: dict[str, _Alt] = {k: _compile_all(v) for k, v in LEX.items()}
_POS_C = {k: _compile_all(v) for k, v in POS.items()}
_NEG_C = {k: _compile_all(v) for k, v in NEG.items()}
_INCIDENT_NEG_C = _compile_all(PAYMENT_INCIDENT_NEG)
_INCIDENT_POS_C = _compile_all(PAYMENT_INCIDENT_POS)
_MIX_TAIL_C = _compile_all(MIX_TAIL)
_MIX_REST_C = _compile_all(MIX_REST)
_OPENERS_C = {k: _compile_all(v) for k, v in OPENERS.items()}
_CLOSERS_C = {k: _compile_all(v) for k, v in CLOSERS.items()}
_CONTEXT_C = _compile_all(CONTEXT)
_FEELINGS_C = {k: _compile_all(v) for k, v in FEELINGS.items()}

_Pair = tuple[_Node, tuple[str, ...]]


def _pairs(items: Sequence[tuple[str, tuple[str, ...]]]) -> tuple[_Pair, ...]:
    return tuple((_compile(t), themes) for t, themes in items)


_BEHAVIOUR_C = {k: _pairs(v) for k, v in BEHAVIOUR_TEMPLATES.items()}
_SELLER_POS_C = _pairs(SELLER_POS)
_SELLER_NEG_C = _pairs(SELLER_NEG)
_SHORT_C = {k: _pairs(v) for k, v in SHORT.items()}
_FIELD_C = _pairs(FIELD)
_FIELD_PREFIX_C = _compile_all(FIELD_PREFIX)
_FIELD_BY_THEME: dict[str, tuple[_Pair, ...]] = {
    theme: tuple(p for p in _FIELD_C if theme in p[1]) for theme in FIELD_THEMES
}
_EMAIL_INTRO_C = {k: _compile_all(v) for k, v in EMAIL_INTRO.items()}
_EMAIL_REQUEST_C = {k: _compile_all(v) for k, v in EMAIL_REQUEST.items()}
_EMAIL_SIGNATURE_C = {k: _compile_all(v) for k, v in EMAIL_SIGNATURE.items()}

_THEME_IDS = tuple(THEME_WEIGHTS)
_THEME_CUM: list[float] = []
_total = 0.0
for _w in THEME_WEIGHTS.values():
    _total += _w
    _THEME_CUM.append(_total)
_BEHAVIOUR_IDS = tuple(BEHAVIOUR_WEIGHTS)
_BEHAVIOUR_W = tuple(float(w) for w in BEHAVIOUR_WEIGHTS.values())

# --------------------------------------------------------------------------------------------
# Noise: typos, SMS style, emojis
# --------------------------------------------------------------------------------------------

_NO_ACCENTS = str.maketrans("éèêëàâäîïôöùûüçÉÈÊÀÇœ", "eeeeaaaiioouuucEEEACo")
_SMS_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), repl)
    for pattern, repl in (
        (r"\bbeaucoup\b", "bcp"),
        (r"\bproblèmes?\b", "pb"),
        (r"\btoutes?\b|\btous\b|\btout\b", "tt"),
        (r"\bje suis\b", "jsuis"),
        (r"\bs'il vous plaît\b", "svp"),
        (r"\bpourquoi\b", "pk"),
        (r"\bquelque chose\b", "qqch"),
        (r"\bquelqu'un\b", "qqn"),
        (r"\baujourd'hui\b", "auj"),
        (r"\bvraiment\b", "vrmt"),
        (r"\bc'est\b", "c"),
        (r"\bje ne\b", "j"),
        (r"\bmagasin\b", "mag"),
        (r"\bmerci\b", "mci"),
        (r"\bpas\b", "pa"),
        (r"\bque\b", "ke"),
        (r"\brendez-vous\b", "rdv"),
        (r"\bd'accord\b", "dac"),
    )
)
_EMOJI = {
    "pos": ("😀", "👍", "😊", "🙂", "👏"),
    "mix": ("😐", "🤔", "🙂"),
    "neg": ("😡", "👎", "😤", "😠"),
}


def _swap_letters(rng: random.Random, text: str) -> str:
    words = text.split(" ")
    candidates = [i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha()]
    if not candidates:
        return text
    i = candidates[int(rng.random() * len(candidates))]
    word = words[i]
    j = 1 + int(rng.random() * (len(word) - 2))
    roll = rng.random()
    if roll < 0.5:
        word = word[:j] + word[j + 1] + word[j] + word[j + 2 :]
    elif roll < 0.8:
        word = word[:j] + word[j + 1 :]
    else:
        word = word[:j] + word[j] + word[j:]
    words[i] = word
    return " ".join(words)


def _noise(rng: random.Random, text: str, mood: str, *, allow_swaps: bool = True) -> str:
    roll = rng.random()
    if roll < 0.05:  # SMS style
        for pattern, repl in _SMS_RULES:
            if rng.random() < 0.7:
                text = pattern.sub(repl, text)
        text = text.lower()
        if rng.random() < 0.6:
            text = text.translate(_NO_ACCENTS)
        text = text.replace(" !", "!").replace(" ?", "?").rstrip(".")
        if rng.random() < 0.5:
            text += " " + rng.choice(_EMOJI[mood])
        return text
    if roll < 0.075:
        text = text.translate(_NO_ACCENTS)
    elif roll < 0.105 and allow_swaps:
        text = _swap_letters(rng, text)
    elif roll < 0.125:
        text = text[0].lower() + text[1:] if text else text
        text = text.rstrip(".")
    elif roll < 0.145:
        text = text.replace(" !", "!")
    if rng.random() < 0.025:
        text += " " + rng.choice(_EMOJI[mood])
    return text


# --------------------------------------------------------------------------------------------
# Assembly helpers
# --------------------------------------------------------------------------------------------


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def _pick_themes(rng: random.Random, n: int, first: str | None) -> list[str]:
    chosen: list[str] = [first] if first else []
    total = _THEME_CUM[-1]
    guard = 0
    while len(chosen) < n and guard < 50:
        guard += 1
        x = rng.random() * total
        lo = 0
        while _THEME_CUM[lo] < x:
            lo += 1
        theme = _THEME_IDS[lo]
        if theme not in chosen:
            chosen.append(theme)
    return chosen


def _end(rng: random.Random, mood: str, hard: bool) -> str:
    roll = rng.random()
    if mood == "pos":
        return " !" if roll < 0.35 else ("!" if roll < 0.45 else ".")
    if hard:
        return " !" if roll < 0.3 else ("!!" if roll < 0.4 else ("..." if roll < 0.5 else "."))
    return "..." if roll < 0.08 else (" !" if roll < 0.15 else ".")


def _clause(ctx: _Ctx, theme: str, positive: bool, forced: bool) -> str:
    if forced and theme == "paiement":
        node = _INCIDENT_POS_C if positive else _INCIDENT_NEG_C
    else:
        node = (_POS_C if positive else _NEG_C)[theme]
    return _expand(node, ctx)


_SAME = (", ", " et ", ", en plus ", ". De plus, ", " ; ", ". En plus, ", ", et surtout ")
_POS_TO_NEG = (
    " mais ",
    ", par contre ",
    ", en revanche ",
    ". Par contre, ",
    ". Seul bémol : ",
    ". Dommage, ",
    ", cependant ",
    ". Mais ",
    ", mais ",
)
_NEG_TO_POS = (" mais ", ", heureusement ", ". Heureusement, ", ". Par contre, ", ". En revanche, ")


def _join(rng: random.Random, clauses: list[tuple[str, bool]], mood: str, hard: bool) -> list[str]:
    """Turn (clause, positive) pairs into finished sentences, joining some with connectors."""
    sentences: list[str] = []
    i = 0
    while i < len(clauses):
        text, positive = clauses[i]
        if i + 1 < len(clauses) and rng.random() < 0.55:
            nxt, nxt_pos = clauses[i + 1]
            if nxt_pos == positive:
                connector = rng.choice(_SAME)
            elif positive:
                connector = rng.choice(_POS_TO_NEG)
            else:
                connector = rng.choice(_NEG_TO_POS)
            text = f"{text}{connector}{nxt}"
            positive = nxt_pos
            i += 1
        i += 1
        sentences.append(_cap(text) + _end(rng, "pos" if positive else mood, hard))
    return sentences


# --------------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------------

_SILENT = {"pos": 0.30, "mix": 0.33, "neg": 0.18}
_SHORT_RATE = {"pos": 0.16, "mix": 0.12, "neg": 0.07}


def _mood(score: int) -> tuple[str, bool]:
    if score >= 9:
        return "pos", False
    if score >= 7:
        return "mix", False
    return "neg", score <= 3


def make_customer_verbatim(
    rng: random.Random,
    *,
    nps: int,
    forced_theme: str | None = None,
    behaviour: str | None = None,
    seller_first_name: str | None = None,
) -> Verbatim | None:
    """One free-text answer to an NPS survey, or None when the customer wrote nothing.

    A text is always returned when ``forced_theme`` or ``behaviour`` is given.
    """
    if not 0 <= nps <= 10:
        raise ValueError(f"nps must be 0..10, got {nps}")
    if forced_theme is not None and forced_theme not in THEMES:
        raise ValueError(f"unknown theme {forced_theme!r}")
    if behaviour is not None and behaviour not in BEHAVIOURS:
        raise ValueError(f"unknown behaviour {behaviour!r}")
    mood, hard = _mood(nps)
    planted = forced_theme is not None or behaviour is not None
    if not planted and rng.random() < _SILENT[mood]:
        return None
    ctx = _Ctx(rng, _PRODUCTS[int(rng.random() * len(_PRODUCTS))], seller_first_name)

    if not planted and seller_first_name is None and rng.random() < _SHORT_RATE[mood]:
        node, short_themes = rng.choice(_SHORT_C[mood])
        return Verbatim(_noise(rng, _expand(node, ctx), mood), short_themes, None)

    # Spontaneous background behaviours, mostly in detractors' words.
    if behaviour is None and not planted:
        rate = 0.06 if mood == "neg" else (0.015 if mood == "mix" else 0.0)
        if rate and rng.random() < rate:
            behaviour = rng.choices(_BEHAVIOUR_IDS, _BEHAVIOUR_W)[0]

    roll = rng.random()
    n = 1 if roll < 0.48 else (2 if roll < 0.85 else 3)
    if behaviour is not None:
        n = max(1 if forced_theme else 0, n - 1)
        if n == 0 and rng.random() < 0.5:
            n = 1
    themes = _pick_themes(rng, n, forced_theme)

    clauses: list[tuple[str, bool]] = []
    trailer = ""
    if mood == "pos":
        for theme in themes:
            clauses.append((_clause(ctx, theme, True, theme == forced_theme), True))
    elif mood == "mix":
        if len(themes) == 1:
            theme = themes[0]
            forced = theme == forced_theme
            if forced or rng.random() < 0.4:
                clauses.append((_clause(ctx, theme, False, forced), False))
                if rng.random() < 0.5:
                    trailer = _cap(_expand(_MIX_REST_C, ctx)) + "."
            else:
                clauses.append((_clause(ctx, theme, True, forced), True))
                clauses.append((_expand(_MIX_TAIL_C, ctx), False))
        else:
            good = 1 if len(themes) == 2 or rng.random() < 0.6 else 2
            order = list(themes)
            if forced_theme in order:  # the forced theme is the complaint
                order.remove(forced_theme)
                order.append(forced_theme)
            for k, theme in enumerate(order):
                positive = k < good and theme != forced_theme
                clauses.append((_clause(ctx, theme, positive, theme == forced_theme), positive))
    else:
        concession = not hard and len(themes) >= 2 and rng.random() < 0.3
        for k, theme in enumerate(themes):
            positive = concession and k == len(themes) - 1 and theme != forced_theme
            clauses.append((_clause(ctx, theme, positive, theme == forced_theme), positive))
        if concession and rng.random() < 0.5:
            clauses.reverse()

    sentences: list[str] = []
    behaviour_themes: tuple[str, ...] = ()
    if behaviour is not None:
        node, behaviour_themes = rng.choice(_BEHAVIOUR_C[behaviour])
        text = _expand(node, ctx)
        if mood == "pos":
            text = "seul bémol : " + text
        behaviour_sentence = _cap(text) + _end(rng, "neg", hard)
    body = _join(rng, clauses, mood, hard)
    if trailer:
        body.append(trailer)
    if behaviour is not None:
        if mood == "pos" or rng.random() < 0.5:
            body.append(behaviour_sentence)
        else:
            body.insert(0, behaviour_sentence)

    opener_mood = "hard" if hard and rng.random() < 0.6 else mood
    if rng.random() < (0.45 if mood != "neg" else 0.4):
        sentences.append(_expand(_OPENERS_C[opener_mood], ctx))
    if rng.random() < 0.28:
        sentences.append(_cap(_expand(_CONTEXT_C, ctx)) + ".")
    if body and rng.random() < 0.07:
        body[0] = rng.choice(("Franchement, ", "Honnêtement, ", "Sincèrement, ")) + (
            body[0][:1].lower() + body[0][1:]
        )
    sentences.extend(body)

    all_themes: list[str] = list(themes)
    if seller_first_name and rng.random() < 0.65:
        positive = mood == "pos" or (mood == "mix" and rng.random() < 0.6)
        pool = _SELLER_POS_C if positive else _SELLER_NEG_C
        if len(set(all_themes) | set(behaviour_themes)) >= 3:
            pool = tuple(p for p in pool if not p[1]) or pool
        node, seller_themes = rng.choice(pool)
        sentence_s = _cap(_expand(node, ctx))
        if not sentence_s.endswith("!"):
            sentence_s += _end(rng, "pos" if positive else mood, hard)
        if rng.random() < 0.5:
            sentences.append(sentence_s)
        else:
            sentences.insert(min(1, len(sentences)), sentence_s)
        all_themes.extend(seller_themes)
    all_themes.extend(behaviour_themes)

    if rng.random() < (0.22 if mood == "neg" else 0.12):
        sentences.append(_expand(_FEELINGS_C[mood], ctx))
    if rng.random() < 0.35:
        sentences.append(_expand(_CLOSERS_C[mood], ctx))

    text = " ".join(s for s in sentences if s)
    text = _noise(rng, text, mood, allow_swaps=forced_theme is None)
    return Verbatim(text, tuple(dict.fromkeys(all_themes)), behaviour)


def _issue_theme(issue: str) -> str:
    key = issue.strip().lower()
    if key in FIELD_THEMES:
        return key
    key = key.translate(_NO_ACCENTS)
    if key in ISSUE_ALIASES:
        return ISSUE_ALIASES[key]
    raise ValueError(f"unknown issue {issue!r}: expected one of FIELD_THEMES or a department")


def make_field_report(rng: random.Random, *, issue: str | None = None) -> Verbatim:
    """A seller's short field report ("remontée terrain").

    ``issue`` is a theme id from FIELD_THEMES, or one of the demo's back-office departments
    ("Logistique", "Informatique", "SAV central", "Service client"); the report then carries
    that theme.
    """
    pool = _FIELD_C if issue is None else _FIELD_BY_THEME[_issue_theme(issue)]
    ctx = _Ctx(rng, _PRODUCTS[int(rng.random() * len(_PRODUCTS))], None)
    node, themes = pool[int(rng.random() * len(pool))]
    prefix = _expand(_FIELD_PREFIX_C, ctx)
    prefix = prefix + " " if prefix else ""
    body = _expand(node, ctx)
    if prefix and not prefix.endswith(": ") and body[1:2].islower():
        body = body[:1].lower() + body[1:]
    suffix = rng.choice(FIELD_SUFFIX)
    if body.endswith("?"):
        suffix = suffix.lstrip(".!") if suffix not in (".", " !") else ""
    text = prefix + body + suffix
    if rng.random() < 0.2:
        node2, themes2 = pool[int(rng.random() * len(pool))]
        if themes2 != themes and len(set(themes) | set(themes2)) <= 3:
            second = _expand(node2, ctx)
            text = text.rstrip(" .!")
            text += ("" if text.endswith("?") else ".") + " Autre point : "
            text += second[:1].lower() + second[1:] + ("" if second.endswith("?") else ".")
            themes = tuple(dict.fromkeys((*themes, *themes2)))
    roll = rng.random()
    if roll < 0.06:
        text = text.translate(_NO_ACCENTS)
    elif roll < 0.09:
        text = _swap_letters(rng, text)
    return Verbatim(text, themes, None)


def make_email(rng: random.Random, *, nps_like: int) -> Verbatim:
    """A customer e-mail or letter, more formal than a survey answer, about 3 to 7 sentences."""
    if not 0 <= nps_like <= 10:
        raise ValueError(f"nps_like must be 0..10, got {nps_like}")
    mood, hard = _mood(nps_like)
    ctx = _Ctx(rng, _PRODUCTS[int(rng.random() * len(_PRODUCTS))], None)
    roll = rng.random()
    n = 1 if roll < 0.3 else (2 if roll < 0.8 else 3)
    themes = _pick_themes(rng, n, None)
    parts: list[str] = [rng.choice(EMAIL_GREETING), _expand(_EMAIL_INTRO_C[mood], ctx)]
    for k, theme in enumerate(themes):
        positive = mood == "pos" or (mood == "mix" and k == 0)
        clause = _clause(ctx, theme, positive, False)
        if k == 0:
            lead = "En effet, " if mood != "mix" else rng.choice(EMAIL_GOOD_LEAD)
        elif mood == "mix" and k == 1:
            lead = "En revanche, "
        else:
            lead = rng.choice(EMAIL_CONNECT)
        parts.append(lead + clause + ".")
    behaviour: str | None = None
    if mood == "neg" and rng.random() < 0.08:
        behaviour = rng.choices(_BEHAVIOUR_IDS, _BEHAVIOUR_W)[0]
        node, b_themes = rng.choice(_BEHAVIOUR_C[behaviour])
        parts.append("Pire encore, " + _expand(node, ctx) + ".")
        themes = list(dict.fromkeys((*themes, *b_themes)))
    if mood == "mix" and len(themes) == 1:
        parts.append("Pour le reste, " + _expand(_MIX_TAIL_C, ctx) + ".")
    parts.append(_expand(_EMAIL_REQUEST_C[mood], ctx))
    parts.append(rng.choice(EMAIL_CLOSING))
    signature = _expand(_EMAIL_SIGNATURE_C[mood], ctx)
    if signature:
        parts.append(signature)
    if rng.random() < 0.03:  # a typo somewhere in the body, never in the formulas
        k = 2 + int(rng.random() * (len(parts) - 4))
        parts[k] = _swap_letters(rng, parts[k])
    separator = "\n\n" if rng.random() < 0.5 else " "
    text = separator.join(parts)
    return Verbatim(text, tuple(themes), behaviour)
