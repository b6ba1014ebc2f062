"""`pouls serve`: production web serving with gunicorn, after the checks that make it safe."""

from __future__ import annotations

import io
import os
import sys

from django.conf import settings
from django.core.management import call_command

# Paths only (%(U)s, no query string: a search may hold an e-mail address), status, size,
# duration in seconds, and the request id our middleware sets.
ACCESS_LOG_FORMAT = '%(h)s "%(m)s %(U)s" %(s)s %(B)s %(L)ss rid=%({x-request-id}o)s'


class ServeRefused(Exception):
    """Why the server will not start, in one line for the operator."""


def check_production_settings() -> None:
    if settings.DEBUG:
        raise ServeRefused("POULS_DEBUG=1: refusing to serve in debug mode (set POULS_DEBUG=0).")
    # Settings fall back to the demo's generated key in a demo data directory (or with
    # POULS_DEMO=1): production serving needs the operator's own secret.
    if not (os.environ.get("POULS_SECRET_KEY") or os.environ.get("POULS_SECRET_KEY_FILE")):
        raise ServeRefused(
            "POULS_SECRET_KEY is not set: `pouls serve` needs a real secret (see .env.example)."
        )


def prepare_static() -> None:
    """Collect static files with hashed names, gzip and brotli copies (whitenoise)."""
    call_command(
        "collectstatic",
        interactive=False,
        verbosity=0,
        # plotly's package data also holds sample data sets and a widget bundle no page uses.
        ignore_patterns=["datasets", "widgetbundle.js", "templates"],
        stdout=io.StringIO(),
    )


def gunicorn_argv(*, bind: str, workers: int, threads: int, timeout: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "pouls.wsgi:application",
        "--bind",
        bind,
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--worker-class",
        "gthread",
        "--timeout",
        str(timeout),
        "--access-logfile",
        "-",
        "--access-logformat",
        ACCESS_LOG_FORMAT,
    ]
