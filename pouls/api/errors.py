"""The one error format of the API: ``{"error": "<message en français>", "code":
"<stable_snake_case>", "field": "<name>" | null}``, the first error only."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler

CODES = {
    exceptions.NotAuthenticated: "not_authenticated",
    exceptions.AuthenticationFailed: "authentication_failed",
    exceptions.PermissionDenied: "permission_denied",
    exceptions.NotFound: "not_found",
    exceptions.MethodNotAllowed: "method_not_allowed",
    exceptions.Throttled: "throttled",
    exceptions.ParseError: "parse_error",
    exceptions.UnsupportedMediaType: "unsupported_media_type",
    exceptions.NotAcceptable: "not_acceptable",
}


def _first_error(detail: Any, field: str | None = None) -> tuple[str, str | None]:
    """The first message of a (nested) validation error, and the field it belongs to."""
    if isinstance(detail, dict):
        key, value = next(iter(detail.items()))
        name = None if key == "non_field_errors" else str(key)
        return _first_error(
            value, field if name is None else (f"{field}.{name}" if field else name)
        )
    if isinstance(detail, list) and detail:
        first = next((d for d in detail if d), detail[0])
        return _first_error(first, field)
    return str(detail), field


def handle_exception(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Every error as ``{"error": …, "code": …, "field": …}``; the first error only."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        message, field = _first_error(exc.detail)
        code = "invalid"
        codes = exc.get_codes()
        while isinstance(codes, dict | list) and codes:
            codes = next(iter(codes.values())) if isinstance(codes, dict) else codes[0]
        if isinstance(codes, str):
            code = codes
    else:
        message, field = _first_error(getattr(exc, "detail", str(exc)))
        code = CODES.get(type(exc), "error")
        if isinstance(exc, exceptions.NotFound):
            message = _("Introuvable.")
    response.data = {"error": message, "code": code, "field": field}
    return response
