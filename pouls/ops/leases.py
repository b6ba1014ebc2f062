"""Leases: one worker at a time on a named piece of work (the analysis pass and what follows
it), on SQLite and PostgreSQL alike, without holding a transaction open while working.

Taking a lease is one conditional UPDATE (free or expired -> mine), which both databases
execute atomically; a worker that dies keeps it only until it expires.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from pouls.ops.models import Lease

logger = logging.getLogger(__name__)

DEFAULT_TTL = dt.timedelta(minutes=10)


def new_holder() -> str:
    """Who holds a lease: host, process and a random part (two holders never collide)."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def acquire(name: str, holder: str, ttl: dt.timedelta = DEFAULT_TTL) -> bool:
    """Take the lease ``name`` for ``holder`` if it is free, expired or already theirs."""
    now = timezone.now()
    free = Q(holder="") | Q(expires_at__lt=now) | Q(holder=holder)
    taken = Lease.objects.filter(free, name=name).update(holder=holder, expires_at=now + ttl)
    if taken:
        return True
    try:
        with transaction.atomic():
            Lease.objects.create(name=name, holder=holder, expires_at=now + ttl)
    except IntegrityError:
        return False  # someone else holds it (the row exists and is neither free nor expired)
    return True


def release(name: str, holder: str) -> None:
    Lease.objects.filter(name=name, holder=holder).update(holder="", expires_at=None)


@contextmanager
def hold(name: str, ttl: dt.timedelta = DEFAULT_TTL) -> Iterator[str | None]:
    """Yield the holder id when the lease was taken, None when another worker holds it."""
    holder = new_holder()
    if not acquire(name, holder, ttl):
        logger.info("lease %s held elsewhere", name)
        yield None
        return
    try:
        yield holder
    finally:
        release(name, holder)
