"""Request typing for views behind @login_required."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.http import HttpRequest


class AuthedRequest(HttpRequest):
    """An HttpRequest whose user is a logged-in ``User`` (narrowed for mypy)."""

    user: User
