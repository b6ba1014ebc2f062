"""Printable one-time links: the URL and its QR code (segno, as customer surveys), built
in memory for the one page that shows them; nothing is stored (only the token's hash is)."""

from __future__ import annotations

from dataclasses import dataclass

import segno
from django.utils.safestring import SafeString, mark_safe


@dataclass(frozen=True, slots=True)
class Slip:
    url: str
    qr_svg: SafeString  # inline <svg>: a QR code URL would need the token stored somewhere


def printable_slips(links: list[str]) -> list[Slip]:
    slips = []
    for url in links:
        qr = segno.make(url, error="m")
        # segno writes the SVG itself from the URL's bytes (token_urlsafe: [A-Za-z0-9_-]).
        svg = qr.svg_inline(scale=3, border=2, omitsize=True)
        slips.append(Slip(url, mark_safe(svg)))  # noqa: S308
    return slips
