"""Sessions that end after ``POULS_SESSION_IDLE_MINUTES`` without a request.

Django's ``SESSION_SAVE_EVERY_REQUEST`` would write the session on every request; instead the
expiry is pushed back at most once a minute (so the idle time holds to the minute), and that
same refresh remembers whether the login is linked to a seller record, which the menu reads
(« Mon pouls ») without a query on each page.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.http import HttpRequest, HttpResponse

from pouls.org.menu import is_seller

REFRESH_SECONDS = 60
SEEN = "_pouls_seen"
SELLER = "_pouls_seller"


def remember(request: HttpRequest, user: Any) -> None:
    """Touch the session (saved with a fresh expiry) and note whether the user is a seller."""
    request.session[SEEN] = int(time.time())
    request.session[SELLER] = is_seller(user)


def _on_login(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        remember(request, user)


user_logged_in.connect(_on_login, dispatch_uid="pouls.org.sessions.remember")


class IdleSessionMiddleware:
    """After AuthenticationMiddleware: refresh the session of a signed-in user once a minute."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        stale = time.time() - request.session.get(SEEN, 0) >= REFRESH_SECONDS
        if user is not None and user.is_authenticated and stale:
            remember(request, user)
        return self.get_response(request)
