"""Login throttling per account and per client address, counted in Django's cache.

After ``POULS_LOGIN_FAILURES_PER_ACCOUNT`` failed logins on one account, or
``POULS_LOGIN_FAILURES_PER_ADDRESS`` from one address, within ``POULS_LOGIN_LOCK_MINUTES``, the
form refuses without checking the password until the window ends. Counters hold keyed hashes,
never a login or an address.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)


def _key(kind: str, value: str) -> str:
    digest = salted_hmac(f"pouls.login.{kind}", value, algorithm="sha256").hexdigest()[:32]
    return f"login:{kind}:{digest}"


def _keys(request: Any, username: str) -> tuple[str, str]:
    address = (request.META.get("REMOTE_ADDR", "") if request is not None else "") or "unknown"
    return _key("account", username.strip().lower()), _key("address", address)


def _window() -> int:
    return int(settings.POULS_LOGIN_LOCK_MINUTES) * 60


def is_locked(request: Any, username: str) -> bool:
    account, address = _keys(request, username)
    failures: tuple[int, int] = (cache.get(account, 0), cache.get(address, 0))
    return bool(
        failures[0] >= settings.POULS_LOGIN_FAILURES_PER_ACCOUNT
        or failures[1] >= settings.POULS_LOGIN_FAILURES_PER_ADDRESS
    )


def record_failure(request: Any, username: str) -> None:
    for key in _keys(request, username):
        cache.add(key, 0, timeout=_window())
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=_window())


def forget_failures(request: Any, username: str) -> None:
    """A successful login clears its account's counter (not the address's: a shared address
    keeps its count against password spraying)."""
    cache.delete(_keys(request, username)[0])


class ThrottledAuthenticationForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Identifiant ou mot de passe incorrect."),
        "inactive": _("Ce compte est désactivé."),
        "locked": _(
            "Trop de tentatives de connexion : réessayez dans %(minutes)s minutes, ou "
            "choisissez un nouveau mot de passe avec « Mot de passe oublié ? »."
        ),
    }

    def clean(self) -> dict[str, Any]:
        username = str(self.cleaned_data.get("username") or "")
        if username and is_locked(self.request, username):
            logger.warning("login refused: too many failures")
            raise ValidationError(
                self.error_messages["locked"],
                code="locked",
                params={"minutes": settings.POULS_LOGIN_LOCK_MINUTES},
            )
        try:
            cleaned = super().clean()
        except ValidationError:
            if username:
                record_failure(self.request, username)
            raise
        forget_failures(self.request, username)
        return cleaned
