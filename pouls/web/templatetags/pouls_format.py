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
