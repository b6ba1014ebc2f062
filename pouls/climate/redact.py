"""Logging filter: respondents' one-time tokens never reach a log line.

The token is in the link's path (``/q/<token>/``); Django's server and request loggers write
paths. The filter rewrites the message of every record on those loggers (settings.LOGGING).
Django's own log formats carry no client IP, and nothing in Pouls logs one.
"""

from __future__ import annotations

import logging
import re

TOKEN_PATH = re.compile(r"/q/(?!merci/)[^/\s\"'?]+")


class RedactTokens(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "/q/" in message:
            record.msg = TOKEN_PATH.sub("/q/[jeton]", message)
            record.args = ()
        return True
