"""Parse the values French users put in their files. Each parser returns a value or raises
``Invalid`` with a French message saying what was received and what is accepted."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

EXCEL_EPOCH = dt.datetime(1899, 12, 30)
EARLIEST = dt.datetime(1990, 1, 1, tzinfo=dt.UTC)

MONTHS = {
    "janv": 1,
    "jan": 1,
    "janvier": 1,
    "févr": 2,
    "fevr": 2,
    "fév": 2,
    "fev": 2,
    "février": 2,
    "fevrier": 2,
    "mars": 3,
    "mar": 3,
    "avr": 4,
    "avril": 4,
    "mai": 5,
    "juin": 6,
    "juil": 7,
    "juillet": 7,
    "août": 8,
    "aout": 8,
    "aoû": 8,
    "sept": 9,
    "sep": 9,
    "septembre": 9,
    "oct": 10,
    "octobre": 10,
    "nov": 11,
    "novembre": 11,
    "déc": 12,
    "dec": 12,
    "décembre": 12,
    "decembre": 12,
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
    "feb": 2,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
}
_TIME = (
    r"(?:[ T,à]+(?P<h>\d{1,2})\s*[h:H]\s*(?P<mi>\d{2})?(?::(?P<s>\d{2}))?(?:\.\d+)?"
    r"\s*(?P<ampm>[AaPp][Mm])?)?"
)
_NUMERIC = re.compile(
    r"^(?P<d>\d{1,2})[/.\-](?P<m>\d{1,2})[/.\-](?P<y>\d{2}|\d{4})" + _TIME + r"\s*$"
)
_ISO = re.compile(
    r"^(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})" + _TIME + r"\s*(?P<tz>Z|[+-]\d{2}:?\d{2})?$"
)
_SERIAL = re.compile(r"\d{5}(?:\.\d+)?")
_OUT_OF = re.compile(r"\s*/\s*\d+$")
_WORDS = re.compile(
    r"^(?:[a-zéû]+\.?\s+)?(?P<d>\d{1,2})(?:er)?\s+(?P<mon>[a-zéûA-ZÉÛ]+)\.?\s+(?P<y>\d{4})"
    + _TIME
    + r"\s*$"
)


class Invalid(ValueError):
    """A value that cannot be read; ``accepted`` says what would have been."""

    def __init__(self, message: str, accepted: str) -> None:
        super().__init__(message)
        self.accepted = accepted


DATE_ACCEPTED = (
    "une date comme 22/11/2026, 22/11/2026 14h05, 22 nov. 2026, 2026-11-22T14:05, "
    "ou un numéro de série Excel, entre 1990 et aujourd'hui"
)


AMBIGUOUS_ACCEPTED = (
    "une date sans ambiguïté : jour au-delà de 12 (25/11/2026), date ISO (2026-11-05) "
    "ou mois en lettres (5 nov. 2026)"
)
_NUMERIC_HEAD = re.compile(r"\s*(\d{1,2})[/.\-](\d{1,2})[/.\-](?:\d{2}|\d{4})\b")


@dataclass(frozen=True, slots=True)
class DateOrder:
    """What a column's numeric dates say about the order of day and month.

    ``day_first`` counts values that only read as day/month (25/11/2026), ``month_first``
    those that only read as month/day (11/25/2026), ``ambiguous`` those that read both ways
    (05/11/2026). Other forms (ISO, Excel serials, months in words) say nothing.
    """

    day_first: int = 0
    month_first: int = 0
    ambiguous: int = 0

    @property
    def setting(self) -> bool | None:
        """The order to read the column with: True day/month, False month/day, None when the
        column mixes both (its ambiguous values cannot be read). French order when nothing
        settles it."""
        if self.day_first and self.month_first:
            return None
        return not self.month_first


def infer_date_order(values: Iterable[Any]) -> DateOrder:
    """Count, over every value of a date column, which order of day and month each allows."""
    day_first = month_first = ambiguous = 0
    for value in values:
        if not isinstance(value, str):
            continue
        match = _NUMERIC_HEAD.match(value)
        if match is None:
            continue
        first, second = int(match[1]), int(match[2])
        if first > 12 and 1 <= second <= 12:
            day_first += 1
        elif second > 12 and 1 <= first <= 12:
            month_first += 1
        elif 1 <= first <= 12 and 1 <= second <= 12:
            ambiguous += 1
    return DateOrder(day_first, month_first, ambiguous)


def parse_datetime(
    value: Any,
    *,
    tz: str = "Europe/Paris",
    day_first: bool | None = True,
    now: dt.datetime | None = None,
) -> dt.datetime:
    """An aware datetime from the forms French files use; times without zone are ``tz``.

    ``day_first`` None is for a column that mixes both orders: a numeric date that reads
    both ways is refused (never guessed), one that reads only one way is read that way."""
    zone = zoneinfo.ZoneInfo(tz)
    if day_first is None:
        match = _NUMERIC_HEAD.match(str(value)) if isinstance(value, str) else None
        if match is not None:
            first, second = int(match[1]), int(match[2])
            if first <= 12 and second <= 12 and first != second:
                raise Invalid(
                    f"date ambiguë « {_short(value)} » : la colonne mêle des dates jour/mois "
                    "et mois/jour, celle-ci se lit dans les deux sens",
                    AMBIGUOUS_ACCEPTED,
                )
            day_first = first > 12 or first == second
    result = _to_datetime(value, zone, day_first is not False)
    if result is None:
        raise Invalid(f"date illisible : « {_short(value)} »", DATE_ACCEPTED)
    now = now or dt.datetime.now(dt.UTC)
    if result < EARLIEST or result > now + dt.timedelta(days=1):
        raise Invalid(f"date hors limites : « {_short(value)} »", DATE_ACCEPTED)
    return result


def _to_datetime(value: Any, zone: zoneinfo.ZoneInfo, day_first: bool) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=zone)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=zone)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _excel(float(value), zone)
    text = str(value or "").strip()
    if not text:
        return None
    if _SERIAL.fullmatch(text):
        return _excel(float(text), zone)
    for pattern in (_ISO, _NUMERIC, _WORDS):
        match = pattern.match(text)
        if match:
            return _build(match, zone, day_first, numeric=pattern is _NUMERIC)
    return None


def _excel(serial: float, zone: zoneinfo.ZoneInfo) -> dt.datetime | None:
    if not 20_000 < serial < 80_000:  # 1954..2119: anything else is not a date
        return None
    return (EXCEL_EPOCH + dt.timedelta(days=serial)).replace(tzinfo=zone)


def _build(
    m: re.Match[str], zone: zoneinfo.ZoneInfo, day_first: bool, *, numeric: bool
) -> dt.datetime | None:
    groups = m.groupdict()
    year = int(groups["y"])
    year += 2000 if year < 100 else 0
    if "mon" in groups and groups.get("mon"):
        month = MONTHS.get(groups["mon"].lower().rstrip("."))
        day = int(groups["d"])
        if month is None:
            return None
    else:
        day, month = int(groups["d"]), int(groups["m"])
        if numeric and not day_first:
            day, month = month, day
    hour = int(groups["h"] or 0)
    minute = int(groups["mi"] or 0)
    second = int(groups["s"] or 0)
    ampm = (groups.get("ampm") or "").lower()
    if ampm == "pm" and hour < 12:
        hour += 12
    elif ampm == "am" and hour == 12:
        hour = 0
    try:
        if groups.get("tz"):
            tz_text = groups["tz"]
            offset = dt.UTC if tz_text == "Z" else _offset(tz_text)
            return dt.datetime(year, month, day, hour, minute, second, tzinfo=offset)
        return dt.datetime(year, month, day, hour, minute, second, tzinfo=zone)
    except ValueError:
        return None


def _offset(text: str) -> dt.tzinfo:
    sign = 1 if text[0] == "+" else -1
    digits = text[1:].replace(":", "")
    return dt.timezone(sign * dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))


def parse_score(value: Any, *, low: int, high: int, name: str) -> int | None:
    """An integer score within [low, high]; empty means no score. "9/10", "9,0" accepted."""
    if value is None:
        return None
    text = str(value).strip()
    if not text:
        return None
    if text.isascii() and text.isdigit() and low <= int(text) <= high:
        return int(text)  # the common case, without float parsing
    text = _OUT_OF.sub("", text).replace(",", ".")
    accepted = f"un entier de {low} à {high}"
    try:
        number = float(text)
    except ValueError:
        raise Invalid(f"{name} illisible : « {_short(value)} »", accepted) from None
    if not number.is_integer() or not low <= number <= high:
        raise Invalid(f"{name} hors échelle : « {_short(value)} »", accepted)
    return int(number)


_TRUE = {"oui", "o", "yes", "y", "true", "vrai", "1", "x", "✓"}
_FALSE = {"non", "n", "no", "false", "faux", "0", ""}


def parse_bool(value: Any, *, name: str) -> bool:
    text = str(value if value is not None else "").strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise Invalid(f"{name} illisible : « {_short(value)} »", "oui/non, 1/0, vrai/faux")


def _short(value: Any, limit: int = 60) -> str:
    text = str(value)
    return text if len(text) <= limit else text[:limit] + "…"
