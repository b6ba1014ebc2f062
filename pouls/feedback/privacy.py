"""Personal data at the door: pseudonymised texts and keyed customer references."""

from __future__ import annotations

import functools
from typing import Any

from django.utils.crypto import salted_hmac


@functools.cache
def _pseudonymiser() -> Any:
    from pouls_analysis.privacy import Pseudonymiser

    return Pseudonymiser()


def pseudonymise(texts: list[str]) -> list[str]:
    """Replace personal data in each text by typed placeholders ([EMAIL], [NOM]…)."""
    if not texts:
        return []
    return list(_pseudonymiser().transform(texts))


def customer_ref(identity: str) -> str:
    """Keyed hash of a customer's identity (HMAC with the server's secret): de-duplicates,
    never re-identifies. A quarantined row already holds the hash ("hmac:…")."""
    if identity.startswith("hmac:"):
        return identity[5:]
    cleaned = " ".join(str(identity).strip().lower().split())
    return salted_hmac("pouls.customer_ref", cleaned, algorithm="sha256").hexdigest()[:40]
