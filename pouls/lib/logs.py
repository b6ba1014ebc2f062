"""Structured logs: one JSON object per line (``POULS_LOG_FORMAT=json``), each carrying the id
of the request it belongs to. Messages follow the project's rule (ids and codes, never texts,
names or e-mails); query strings never reach the logs (they may hold a searched address)."""

from __future__ import annotations

import contextvars
import json
import logging
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")

# Incoming ids are echoed only when they look like ids (no header injection into the logs).
_ID_CHARS = frozenset("0123456789abcdefABCDEF-")


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` to every record (empty outside a request: workers, commands)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id, exception type."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", ""),
        }
        if record.exc_info and record.exc_info[0] is not None:
            entry["exception"] = record.exc_info[0].__name__
            entry["traceback"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def request_id_middleware(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    """Gives each request an id (the proxy's ``X-Request-ID`` when it is a plain id), puts it
    in the logs' context and in the response header."""

    def middleware(request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        rid = incoming if 8 <= len(incoming) <= 64 and set(incoming) <= _ID_CHARS else ""
        token = request_id.set(rid or uuid.uuid4().hex)
        try:
            response = get_response(request)
            response["X-Request-ID"] = request_id.get()
            return response
        finally:
            request_id.reset(token)

    return middleware
