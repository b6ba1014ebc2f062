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


def find_emails(text: str) -> list[Found]:
    if "@" not in text and "at]" not in text and "at)" not in text:
        return []
    return [(m.start(), m.end(), "email") for m in _EMAIL.finditer(text)]


# --- phone numbers --------------------------------------------------------------------------
# French numbers: 0X or +33 / 0033 (optionally "(0)") then four pairs; separators are a space,
# a dot or a hyphen, used consistently enough that "12/03/2026" or "49,99" never match.
_SEP = r"[ \u00a0\u202f.\-]?"
_FR_PHONE = re.compile(
    r"(?<![\w+/])(?<!\d[,.])(?:(?:\+|00)33" + _SEP + r"(?:\(0\)" + _SEP + r")?|0)[1-9]"
    r"(?:" + _SEP + r"\d{2}){4}(?![\d/]|[.,]\d|\s?€)"
)
# French service numbers are also written 0 800 123 456 or 0800 123 456.
_FR_SERVICE = re.compile(
    r"(?<![\w+/])0[ \u00a0\u202f]?[89]\d{2}(?:[ \u00a0\u202f.]\d{3}){2}(?![\d/]|[.,]\d)"
)
# Other countries: + or 00, a country code, then groups of digits; 8 to 13 digits after the code.
_INTL_PHONE = re.compile(
    r"(?<![\w+/])(?:\+|00)(?!33)[1-9]\d{0,2}(?:[ \u00a0\u202f.\-]?\(?\d{1,5}\)?){2,6}"
    r"(?![\d/]|[.,]\d)"
)
_ORDER_CUE = re.compile(
    r"(?i)(?:n°|no\.?|num[ée]ro|commande|r[ée]f(?:[ée]rence)?\.?|facture|ticket|colis|suivi|"
    r"dossier|contrat|sinistre|article|code|ean|sku|siret|siren|lot|s[ée]rie)\s*:?\s*$"
)


def find_phones(text: str) -> list[Found]:
    found: list[Found] = []
    for m in _FR_PHONE.finditer(text):
        compact = m.group().isdigit()
        if compact and _ORDER_CUE.search(text, max(0, m.start() - 25), m.start()):
            continue  # "commande n° 0123456789" is an order number written without spaces
        found.append((m.start(), m.end(), "phone"))
    found.extend((m.start(), m.end(), "phone") for m in _FR_SERVICE.finditer(text))
    if "+" in text or "00" in text:
        for m in _INTL_PHONE.finditer(text):
            digits = sum(c.isdigit() for c in m.group())
            start = m.start() + (2 if m.group().startswith("00") else 1)
            if 9 <= digits - (0 if m.group().startswith("+") else 2) <= 15:
                found.append((m.start(), _rstrip(text, start, m.end()), "phone"))
    return found


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
_IBAN_START = re.compile(r"(?<![A-Za-z0-9])([A-Za-z]{2})(\d{2})(?=[ \u00a0\u202f]?[A-Za-z0-9]{4})")


def iban_valid(candidate: str) -> bool:
    """True when ``candidate`` (spaces allowed) passes the ISO 13616 mod-97 check."""
    compact = "".join(candidate.split()).upper()
    if not 15 <= len(compact) <= 34 or not compact.isalnum() or not compact[:2].isalpha():
        return False
    rearranged = compact[4:] + compact[:4]
    digits = "".join(str(int(c, 36)) for c in rearranged)
    return int(digits) % 97 == 1


def find_ibans(text: str) -> list[Found]:
    found: list[Found] = []
    for m in _IBAN_START.finditer(text):
        country = m.group(1).upper()
        lengths = [_IBAN_LENGTHS[country]] if country in _IBAN_LENGTHS else list(range(34, 14, -1))
        for length in lengths:
            end = _take_alnum(text, m.start(), length)
            if end and iban_valid(text[m.start() : end]):
                found.append((m.start(), end, "iban"))
                break
    return found


def _take_alnum(text: str, start: int, count: int) -> int:
    """End offset after ``count`` alphanumerics from ``start`` (single spaces allowed), or 0."""
    i, seen = start, 0
    while i < len(text) and seen < count:
        c = text[i]
        if c.isascii() and c.isalnum():
            seen += 1
        elif c not in " \u00a0\u202f" or i + 1 >= len(text) or not text[i + 1].isalnum():
            return 0
        i += 1
    if seen < count or (i < len(text) and text[i].isascii() and text[i].isalnum()):
        return 0
    return i


# --- payment cards --------------------------------------------------------------------------
_CARD = re.compile(r"(?<![\d,.])[2-6]\d{3}(?:[ \u00a0\u202f\-]?\d){9,15}(?!\d|[.,]\d)")


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
        digits = sum(c.isdigit() for c in m.group())
        if 13 <= digits <= 19 and luhn_valid(m.group()):
            if m.group().isdigit() and _ORDER_CUE.search(text, max(0, m.start() - 25), m.start()):
                continue
            found.append((m.start(), m.end(), "card"))
    return found


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
