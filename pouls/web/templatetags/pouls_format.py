"""Number formats of the interface."""

from __future__ import annotations

from django import template
from django.template.defaultfilters import floatformat

register = template.Library()


@register.filter
def signed(value: float | None, digits: int = 0) -> str:
    """A difference with its sign, as people read changes: +5, −3, 0."""
    if value is None:
        return "—"
    text = floatformat(abs(value), digits)
    if text.strip("0,.") == "":
        return text
    return f"+{text}" if value > 0 else f"−{text}"


@register.filter
def percent(value: float | None, digits: int = 0) -> str:
    """A share in 0..1 as a French percentage: 0.123 -> "12 %"."""
    if value is None:
        return "—"
    return f"{floatformat(100 * value, digits)} %"


@register.filter
def share_points(value: float | None) -> str:
    """A difference of two shares in percentage points, signed: 0.052 -> "+5 pts"."""
    return "—" if value is None else f"{signed(100 * value)} pts"


@register.filter
def signed_percent(value: float | None) -> str:
    """A relative change in 0..1, signed, as a French percentage: 0.25 -> "+25 %"."""
    return "—" if value is None else f"{signed(100 * value)} %"
