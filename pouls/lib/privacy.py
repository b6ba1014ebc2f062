"""Personal data at the door: pseudonymised texts and keyed customer references."""

from __future__ import annotations

import functools
import hashlib
import hmac
from typing import Any

from django.conf import settings


@functools.cache
def _pseudonymiser() -> Any:
    from pouls_analysis.privacy import Pseudonymiser

    return Pseudonymiser()


def pseudonymise(texts: list[str]) -> list[str]:
    """Replace personal data in each text by typed placeholders ([EMAIL], [NOM]…)."""
    if not texts:
        return []
    return list(_pseudonymiser().transform(texts))


def customer_ref(identity: str, *, secret: str | None = None) -> str:
    """Keyed hash of a customer's identity (HMAC with the server's secret, or ``secret``):
    de-duplicates, never re-identifies. A quarantined row already holds the hash ("hmac:…")."""
    if identity.startswith("hmac:"):
        return identity[5:]
    cleaned = " ".join(str(identity).strip().lower().split())
    keyed = _keyed_hmac(settings.SECRET_KEY if secret is None else secret).copy()
    keyed.update(cleaned.encode())
    return keyed.hexdigest()[:40]


@functools.lru_cache(maxsize=4)
def _keyed_hmac(secret: str) -> hmac.HMAC:
    """The HMAC of Django's ``salted_hmac("pouls.customer_ref", …, algorithm="sha256")``
    with its key derived once (an import hashes a million identities)."""
    key = hashlib.sha256(b"pouls.customer_ref" + secret.encode()).digest()
    return hmac.new(key, digestmod=hashlib.sha256)
