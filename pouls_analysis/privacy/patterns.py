"""Regular expressions and checksums for the personal data that has a shape.

Every finder takes one text and returns ``(start, end, kind)`` triples; overlaps between kinds
are resolved later, by priority, in :mod:`pouls_analysis.privacy.pseudonymise`. Numbers with a
checksum (IBAN mod 97, card Luhn, NIR key) are only reported when the checksum holds, so order
numbers, prices and references are left alone.
"""

from __future__ import annotations

import logging
import re

__all__ = [
    "find_addresses",
    "find_cards",
    "find_emails",
    "find_ibans",
    "find_nirs",
    "find_phones",
    "iban_valid",
    "luhn_valid",
    "nir_valid",
]

logger = logging.getLogger(__name__)

Found = tuple[int, int, str]

# --- e-mail ---------------------------------------------------------------------------------
_EMAIL = re.compile(
    r"(?<![\w.+'-])[\w.+-][\w.+'-]*(?:@|\s?[\[(]at[\])]\s?)[\w-]+(?:\.[\w-]+)*\.[a-zA-Z]{2,24}(?![\w@])"
)
# Addresses written to dodge robots or as spoken: "jean point dupont at gmail point com",
# "jean.dupont (arobase) free.fr", "j.dupont [at] orange [dot] fr", "paul @ wanadoo.fr". The
# domain must end in a known top-level domain after a dot, so that "at" or "point" in prose
# ("au point", "look at this") never starts one.
_TLDS = (
    r"fr|com|net|org|eu|be|ch|lu|ca|de|uk|es|it|pt|nl|io|info|biz|pro|me|co|re|mc|ma|tn|dz|sn|"
    r"ci|cm|bzh|paris|gouv\.fr|co\.uk"
)
_DOT = (
    r"(?:\.|[ \u00a0]*[\[({<][ \u00a0]*(?i:dot|point)[ \u00a0]*[\])}>][ \u00a0]*"
    r"|[ \u00a0]+(?i:point|dot)[ \u00a0]+)"
)
_AT = (
    r"(?:[ \u00a0]*@[ \u00a0]*"
    r"|[ \u00a0]*[\[({<][ \u00a0]*(?i:at|arobase|arrobase|@)[ \u00a0]*[\])}>][ \u00a0]*"
    r"|[ \u00a0]+(?:at|AT|At|(?i:arobase|arrobase|arobas))[ \u00a0]+)"
)
_SPELLED_EMAIL = re.compile(
    r"(?<![\w.+'-])[\w+-]+(?:" + _DOT + r"[\w+-]+)*" + _AT + r"[\w-]+(?:" + _DOT + r"[\w-]+)*?"
    + _DOT + r"(?i:" + _TLDS + r")(?![\w@-])"
)  # fmt: skip


_SPELLED_AT = re.compile(r"(?i)\bat\b|arr?obas")


def find_emails(text: str) -> list[Found]:
    found: list[Found] = []
    if "@" in text or "at]" in text or "at)" in text:
        found.extend((m.start(), m.end(), "email") for m in _EMAIL.finditer(text))
    if "@" in text or _SPELLED_AT.search(text):
        found.extend((m.start(), m.end(), "email") for m in _SPELLED_EMAIL.finditer(text))
    return found


# --- phone numbers --------------------------------------------------------------------------
# A run of digit groups with any common separator (space, dot, hyphen, slash, " . "), with an
# optional international prefix (+33, 0033, (+33), +33 (0)); the digits decide: a French number
# is 0 then nine digits (or 33 then nine digits), another country's is 9 to 15 digits after "+"
# or "00". Dates (8 digits), prices and decimals never have the right count or are excluded.
_GAP = r"(?:[ \u00a0\u202f]{0,2}[./\-][ \u00a0\u202f]{0,2}|[ \u00a0\u202f]{1,2})"
_PHONE_RUN = re.compile(
    r"(?<![\w+/,-])(?<!\d\.)(?:\([ \u00a0]?\+[ \u00a0]?\d{1,3}[ \u00a0]?\)|\+[ \u00a0]?|00)?"
    r"[ \u00a0\u202f]?(?:\(0\)[ \u00a0\u202f]?)?\d+(?:" + _GAP + r"(?:\(0\)" + _GAP + r"?)?\d+)*"
)
_STRONG_ORDER_CUE = (
    r"(?:commande|(?:num[ée]ro|n°|code|compte|carte|espace) client|r[ée]f[ée]rence|facture|"
    r"ticket|colis|suivi|dossier|contrat|sinistre|livraison|article|ean|sku|siret|siren|lot|"
    r"s[ée]rie|imei|sn|transaction|autorisation|"
    r"adh[ée]rent|fid[ée]lit[ée]|abonn[ée]|compteur|pdl|licence)\b"
    r"(?:\s+(?!carte)[\w°'’]+){0,3}\s*:?\s*"
)
_ORDER_CUE = re.compile(
    r"(?i)(?:(?:n°|no\.?|num[ée]ro|code|r[ée]f\.?)\s*:?\s*|" + _STRONG_ORDER_CUE + r")$"
)
_STRONG_ORDER_CUE_BEFORE = re.compile(r"(?i)" + _STRONG_ORDER_CUE + r"$")
_AFTER_NUMBER = re.compile(r"[ \u00a0\u202f]?(?:€|eur\b|euros?\b|%|[.,]\d|\d|/\d)", re.IGNORECASE)


_DIGITS = re.compile(r"\d+")
_ZERO = re.compile(r"(?i)z[ée]ro")


def _phone_end(text: str, m: re.Match[str]) -> int:
    """End of the phone number at the start of the run ``m``, or 0 when it is not one."""
    run = m.group()
    intl = run.lstrip(" \u00a0(").startswith(("+", "00"))
    groups = [(g.start() + m.start(), g.end() + m.start()) for g in _DIGITS.finditer(run)]
    if "(0)" in run:  # "+33 (0)6…": the trunk zero is dropped when dialling from abroad
        groups = [g for g in groups if text[g[0] - 1 : g[1] + 1] != "(0)"]
    if "/" in run and not all(e - s == 2 for s, e in groups):
        return 0  # slashes: "06/12/34/56/78" only; "12/03/2026" and "2026/12/004587" never
    digits = ""
    for i, (start, end) in enumerate(groups):
        digits += text[start:end]
        prefix = digits[2:] if run.lstrip(" \u00a0(").startswith("00") else digits
        if intl and prefix.startswith("33"):
            rest = prefix[2:]
            ok = len(rest) == 9 and rest[0] != "0" or len(rest) == 10 and rest[0] == "0"
        elif intl:  # "0045 2231 789" is more often a loyalty card than a Danish phone
            ok = (10 if run.lstrip(" \u00a0(").startswith("00") else 9) <= len(prefix) <= 15 and (
                i + 1 == len(groups) or len(prefix) == 15
            )
        else:
            ok = len(digits) == 10 and digits[0] == "0" and digits[1] != "0"
        if ok and (i + 1 == len(groups) or text[end] in " \u00a0\u202f"):
            return 0 if _AFTER_NUMBER.match(text, end) else end
        if not intl and len(digits) >= 10:
            return 0
    return 0


def find_phones(text: str) -> list[Found]:
    found: list[Found] = []
    for m in _PHONE_RUN.finditer(text):
        if sum(c.isdigit() for c in m.group()) < 9:
            continue  # a date, a price, a quantity: too few digits for any phone number
        end = _phone_end(text, m)
        if not end:
            continue
        start = m.start() + len(m.group()) - len(m.group().lstrip(" \u00a0\u202f"))
        compact = text[start:end].isdigit()
        if compact and _ORDER_CUE.search(text, max(0, start - 40), start):
            continue  # "commande n° 0123456789", "client 00458712369"
        found.append((start, end, "phone"))
    if _ZERO.search(text):
        found.extend(_spelled_phones(text))
    return found


# Phone numbers written in words, as people dictate them: "zéro six, douze, trente-quatre…".
_UNITS = {
    "zéro": 0, "zero": 0, "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5,
    "six": 6, "sept": 7, "huit": 8, "neuf": 9,
}  # fmt: skip
_TEENS = {
    "dix": 10,
    "onze": 11,
    "douze": 12,
    "treize": 13,
    "quatorze": 14,
    "quinze": 15,
    "seize": 16,
}
_TENS = {"vingt": 20, "trente": 30, "quarante": 40, "cinquante": 50, "soixante": 60}
_NUMBER_WORD = re.compile(
    r"\d+|(?i:z[ée]ro|une?|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|treize|"
    r"quatorze|quinze|seize|vingts?|trente|quarante|cinquante|soixante|et)(?![\w])"
)


def _spelled_phones(text: str) -> list[Found]:
    found: list[Found] = []
    run: list[re.Match[str]] = []
    for m in _NUMBER_WORD.finditer(text):
        if run and not re.fullmatch(r"[\s,.\-]*", text[run[-1].end() : m.start()]):
            found.extend(_spelled_phone(run))
            run = []
        run.append(m)
    found.extend(_spelled_phone(run))
    return found


def _spelled_phone(run: list[re.Match[str]]) -> list[Found]:
    """The phone number among a run of number words, when it starts with "zéro"."""
    words = [
        m.group().lower().rstrip("s") if m.group().lower() != "trois" else "trois" for m in run
    ]
    first = next((i for i, word in enumerate(words) if word in ("zéro", "zero")), -1)
    if first < 0:
        return []
    digits, i = "", first
    while i < len(words) and len(digits) < 10:
        value, i = _number_at(words, i)
        if value is None:
            break
        digits += value
    if len(digits) == 10 and digits[1] != "0":
        return [(run[first].start(), run[i - 1].end(), "phone")]
    return []


def _number_at(words: list[str], i: int) -> tuple[str | None, int]:
    """Read one spoken number (0 to 99, or a written group of digits) from ``words[i]``."""
    word = words[i]
    nxt = words[i + 1] if i + 1 < len(words) else ""
    if word.isdigit():
        return word, i + 1
    if word in _UNITS and not (word == "quatre" and nxt == "vingt"):
        return str(_UNITS[word]), i + 1
    if word in _TEENS:
        if word == "dix" and nxt in ("sept", "huit", "neuf"):
            return str(10 + _UNITS[nxt]), i + 2
        return str(_TEENS[word]), i + 1
    base = 80 if word == "quatre" else _TENS.get(word)
    if base is None:
        return None, i
    i += 2 if word == "quatre" else 1
    if i < len(words) and words[i] == "et":
        i += 1
    if i < len(words) and base in (60, 80) and words[i] in _TEENS:
        value, i = _number_at(words, i)
        return str(base + int(value or 0)), i
    eighty_next = words[i : i + 2] == ["quatre", "vingt"]
    if (
        i < len(words)
        and words[i] in _UNITS
        and words[i] not in ("zéro", "zero")
        and not eighty_next
    ):
        return str(base + _UNITS[words[i]]), i + 1
    return str(base), i


def _rstrip(text: str, start: int, end: int) -> int:
    while end > start and not text[end - 1].isdigit():
        end -= 1
    return end


# --- IBAN -----------------------------------------------------------------------------------
# Lengths from the SWIFT IBAN registry for the countries a French company meets most often;
# other countries are accepted from 15 to 34 characters when the checksum holds.
_IBAN_LENGTHS = {
    "FR": 27, "MC": 27, "DE": 22, "BE": 16, "ES": 24, "IT": 27, "LU": 20, "CH": 21, "GB": 22,
    "NL": 18, "PT": 25, "IE": 22, "AT": 20, "SM": 27, "AD": 24, "PL": 28, "DK": 18, "FI": 18,
    "SE": 24, "NO": 15, "GR": 27, "RO": 24, "MA": 28, "TN": 24, "DZ": 26, "SN": 28, "CI": 28,
}  # fmt: skip
_IBAN_START = re.compile(
    r"(?<![A-Za-z0-9])([A-Za-z]{2})(\d{2})(?=[ \u00a0\u202f\r\n-]?[A-Za-z0-9]{4})"
)


def iban_valid(candidate: str) -> bool:
    """True when ``candidate`` (spaces allowed) passes the ISO 13616 mod-97 check."""
    compact = _compact(candidate).upper()
    if not 15 <= len(compact) <= 34 or not compact.isalnum() or not compact[:2].isalpha():
        return False
    rearranged = compact[4:] + compact[:4]
    digits = "".join(str(int(c, 36)) for c in rearranged)
    return int(digits) % 97 == 1


def find_ibans(text: str) -> list[Found]:
    """IBANs, spaced, hyphenated or cut over lines. One with a wrong checksum is still taken
    when its country's exact length is written in groups of four ("FR76 3000 … 189"): a
    mistyped IBAN is still someone's bank account."""
    found: list[Found] = []
    for m in _IBAN_START.finditer(text):
        country = m.group(1).upper()
        lengths = [_IBAN_LENGTHS[country]] if country in _IBAN_LENGTHS else list(range(34, 14, -1))
        for length in lengths:
            end = _take_alnum(text, m.start(), length)
            if end and (
                iban_valid(_compact(text[m.start() : end]))
                or (country in _IBAN_LENGTHS and _in_fours(text[m.start() : end]))
            ):
                found.append((m.start(), end, "iban"))
                break
    return found


def _compact(candidate: str) -> str:
    return re.sub(r"[\s-]", "", candidate)


def _in_fours(candidate: str) -> bool:
    groups = re.split(r"[\s-]+", candidate.strip())
    return (
        len(groups) > 2
        and all(len(g) == 4 for g in groups[:-1])
        and 1 <= len(groups[-1]) <= 4
        and sum(c.isdigit() for c in candidate) >= 0.7 * len(_compact(candidate))
    )


_IBAN_GAP = " \u00a0\u202f\r\n-"


def _take_alnum(text: str, start: int, count: int) -> int:
    """End offset after ``count`` alphanumerics from ``start``, or 0. Spaces, a hyphen or a
    line break may separate them (an IBAN copied from a PDF is often cut over two lines)."""
    i, seen = start, 0
    while i < len(text) and seen < count:
        c = text[i]
        if c.isascii() and c.isalnum():
            seen += 1
        elif (
            c not in _IBAN_GAP or text[i - 1] in _IBAN_GAP and c not in "\n" or (i + 1 >= len(text))
        ):
            return 0
        i += 1
    if seen < count or (i < len(text) and text[i].isascii() and text[i].isalnum()):
        return 0
    return i


# --- payment cards --------------------------------------------------------------------------
# 12 to 19 digits starting 2-6, spaced or hyphenated. A number that passes Luhn is a card; one
# that fails is still a card when it is written like one (groups of four, Amex 4-6-5) or comes
# right after a card cue: a card number with one mistyped digit is still someone's card.
_CARD = re.compile(r"(?<![\d,.])[2-6]\d{3}(?:[ \u00a0\u202f\-]?\d){8,15}(?!\d|[.,]\d)")
_CARD_CUE = re.compile(
    r"(?i)(?:carte|cb|visa|mastercard|master card|amex|american express|maestro|"
    r"paiement|d[ée]bit[ée]?e?)\b[^.\n]{0,40}$"
)
_CARD_GAP = re.compile(r"[ \u00a0\u202f\-]")
_CARD_LAYOUTS = ((4, 4, 4, 4), (4, 4, 4, 3), (4, 6, 5), (4, 6, 4), (4, 4, 4, 4, 3), (4, 4, 4, 2))


def luhn_valid(number: str) -> bool:
    """True when the digits of ``number`` (other characters ignored) pass the Luhn check."""
    digits = [int(c) for c in number if c.isdigit()]
    if not digits:
        return False
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def find_cards(text: str) -> list[Found]:
    found: list[Found] = []
    for m in _CARD.finditer(text):
        number = m.group()
        digits = sum(c.isdigit() for c in number)
        groups = tuple(len(g) for g in _CARD_GAP.split(number))
        before = text[max(0, m.start() - 60) : m.start()]
        cued = bool(_CARD_CUE.search(before))
        order = _STRONG_ORDER_CUE_BEFORE if groups in _CARD_LAYOUTS else _ORDER_CUE
        if order.search(before) and not cued:
            continue  # "commande n° 4587…", "SIRET 732 829 320 00074", "IMEI …", "série …"
        if len(groups) == 1 and _ean13_valid(number):
            continue  # a product's barcode
        if (
            (13 <= digits <= 19 and luhn_valid(number) and groups != (3, 3, 3, 5))
            or (groups in _CARD_LAYOUTS and (digits >= 15 or cued))
            or (cued and 15 <= digits <= 19)
        ):
            found.append((m.start(), m.end(), "card"))
    return found


def _ean13_valid(number: str) -> bool:
    digits = [int(c) for c in number if c.isdigit()]
    if len(digits) != 13:
        return False
    total = sum(d * (3 if i % 2 else 1) for i, d in enumerate(digits[:12]))
    return (10 - total % 10) % 10 == digits[12]


# --- French social security number (NIR) ----------------------------------------------------
_S = r"[ \u00a0\u202f.]?"
_NIR = re.compile(
    r"(?<![\w])([1-478])" + _S + r"(\d{2})" + _S + r"(\d{2})" + _S + r"(\d{2}|2[ABab])"
    + _S + r"(\d{3})" + _S + r"(\d{3})" + _S + r"(\d{2})(?![\w])"
)  # fmt: skip


def nir_valid(candidate: str) -> bool:
    """True when a 15-character NIR has the right key: 97 - (first 13 digits mod 97).

    Corsica (département 2A or 2B) counts as 19 or 18, as the INSEE rule says.
    """
    compact = "".join(candidate.split()).replace(".", "").upper()
    if len(compact) != 15:
        return False
    body, key = compact[:13], compact[13:]
    body = body[:5] + body[5:7].replace("2A", "19").replace("2B", "18") + body[7:]
    if not (body.isdigit() and key.isdigit()):
        return False
    return 97 - int(body) % 97 == int(key)


def find_nirs(text: str) -> list[Found]:
    found: list[Found] = []
    for m in _NIR.finditer(text):
        month = int(m.group(3))
        if (1 <= month <= 12 or 20 <= month <= 42 or month >= 50) and nir_valid(m.group()):
            found.append((m.start(), m.end(), "nir"))
    return found


# --- postal addresses -----------------------------------------------------------------------
# Street types that are rarely anything else after a house number allow a lower-case name
# ("12 rue des lilas"); the others ("3 cours de yoga", "2 place assise") need a capital.
_STRONG_TYPES = (
    r"rue|avenue|av\.|bd|boulevard|bld|chemin|impasse|all[ée]e|quai|route|rte|faubourg|fbg|"
    r"rond-point|lieu-dit|lotissement|r[ée]sidence|hameau|sentier|ruelle|chauss[ée]e|square"
)
_WEAK_TYPES = (
    r"place|pl\.|cours|passage|voie|cit[ée]|villa|esplanade|promenade|parvis|mail|clos|domaine|"
    r"traverse|mont[ée]e|zone|za|zi|zac|sq\.|ch\.|imp\."
)
_CAP_WORD = r"(?:[A-ZÀ-ÖØ-Þ][\w'’]*(?:-[\w'’]+)*|\d{1,4})"
_ANY_WORD = r"(?:[^\W\d_][\w'’]*(?:-[\w'’]+)*)"
_LINK = r"(?:(?:de|du|des|d['’]|la|le|les|l['’]|et|sur|sous|en|aux|au|à|saint|sainte|st|ste)\s*)"
_REST = r"(?:[ \-]+" + _LINK + r"*" + _CAP_WORD + r")*"
_STREET = (
    r"(?:(?i:" + _STRONG_TYPES + r")\s+" + _LINK + r"*" + _ANY_WORD
    + r"|(?i:" + _WEAK_TYPES + r")\s+" + _LINK + r"*" + _CAP_WORD + r")" + _REST
)  # fmt: skip
_CITY = (
    r"(?:\s*,?\s*(?:\d{5}|\d{2}\s\d{3})\s+[A-ZÀ-ÖØ-Þ][\w'’-]*"
    r"(?:[ -](?!(?i:cedex)\b)[A-ZÀ-ÖØ-Þ][\w'’-]*)*"
    r"(?:\s+(?i:cedex)(?:\s+\d{1,2})?)?)?"
)
_ADDRESS = re.compile(
    r"(?<![\w,.])\d{1,4}(?:\s?(?i:bis|ter|quater|[ab])\b)?\s*,?\s+" + _STREET + r"\b" + _CITY
    + r"|(?<![\w])(?:BP|B\.P\.|CS|TSA)\s?\d{2,6}\b" + _CITY
)  # fmt: skip


def find_addresses(text: str) -> list[Found]:
    """Street addresses with a house number ("12 rue des Lilas 75011 Paris"), and BP / CS boxes.

    A street named without a number ("place de la République") is kept: it is usually a
    store's location, not a person's address, and far too ambiguous without the number.
    """
    found: list[Found] = []
    for m in _ADDRESS.finditer(text):
        end = m.end()
        while end > m.start() and text[end - 1] in ".,-' ":
            end -= 1
        found.append((m.start(), end, "address"))
    return found
