"""Rate limits of the public survey form, counted in Django's cache (fixed one-hour windows).

The counters live in the configured cache: the default local-memory cache counts per
process, so a deployment with several web processes should configure a shared cache.
"""

from __future__ import annotations

from django.core.cache import cache
from django.http import HttpRequest
from django.utils.crypto import salted_hmac

WINDOW_SECONDS = 3600


def client_key(request: HttpRequest) -> str:
    """A keyed hash of the client's address: counters never hold a raw IP address."""
    address = request.META.get("REMOTE_ADDR", "") or "unknown"
    return salted_hmac("pouls.surveys.ip", address, algorithm="sha256").hexdigest()[:32]


def hit(key: str, limit: int, window: int = WINDOW_SECONDS) -> bool:
    """Count one request under ``key``; True while the count stays within ``limit``."""
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # the entry expired between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    return count <= limit


def allow_post(request: HttpRequest, link_token: str, *, per_ip: int, per_link: int) -> bool:
    """Count a post against the client's address, then (only if it passes) against the link:
    one noisy address must not use up a store's allowance for its real customers."""
    if not hit(f"surveys:ip:{client_key(request)}", per_ip):
        return False
    return hit(f"surveys:link:{link_token}", per_link)
