"""A briefing's snapshot as Markdown (e-mail) and as a printable PDF (WeasyPrint)."""

from __future__ import annotations

import logging
from typing import Any

from django.template.loader import render_to_string

logger = logging.getLogger(__name__)


class PdfUnavailable(RuntimeError):
    """WeasyPrint or its system libraries (Pango, HarfBuzz) are missing on this server."""


def render_markdown(snapshot: dict[str, Any]) -> str:
    return render_to_string("briefings/briefing.md", {"snapshot": snapshot}).strip() + "\n"


def render_pdf(snapshot: dict[str, Any]) -> bytes:
    """The print layout rendered to PDF; raises ``PdfUnavailable`` when WeasyPrint cannot
    load (it needs Pango from the system: .ci/run installs it)."""
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as exc:
        logger.error("WeasyPrint unavailable: %s", type(exc).__name__)
        raise PdfUnavailable(str(exc)) from exc
    html = render_to_string("briefings/briefing_print.html", {"snapshot": snapshot})
    pdf: bytes = HTML(string=html).write_pdf()
    return pdf
