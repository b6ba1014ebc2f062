"""Creating, checking and revoking API tokens (the secret is shown once and never stored)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from typing import Any

from django.utils import timezone

from pouls.api.models import ApiToken

PREFIX = "pls"
DEFAULT_LIFETIME = dt.timedelta(days=365)


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def do_create_token(
    user: Any, *, name: str, read_only: bool, lifetime: dt.timedelta = DEFAULT_LIFETIME
) -> tuple[ApiToken, str]:
    """A new token and its full value, ``pls_<prefix>_<secret>`` (the only time it exists)."""
    prefix, secret = secrets.token_hex(6), secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=prefix,
        secret_hash=_hash(secret),
        scope=ApiToken.Scope.READ if read_only else ApiToken.Scope.WRITE,
        expires_at=timezone.now() + lifetime,
    )
    return token, f"{PREFIX}_{prefix}_{secret}"


def find_token(value: str) -> ApiToken | None:
    """The usable token of this value, or None (unknown, wrong secret, revoked, expired)."""
    parts = value.split("_", 2)
    if len(parts) != 3 or parts[0] != PREFIX:
        return None
    token = ApiToken.objects.select_related("user").filter(prefix=parts[1]).first()
    if token is None or not hmac.compare_digest(token.secret_hash, _hash(parts[2])):
        return None
    return token if token.is_usable and token.user.is_active else None


def do_revoke_token(token: ApiToken) -> None:
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
