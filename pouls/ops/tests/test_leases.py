from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from pouls.ops import leases
from pouls.ops.models import Lease

pytestmark = pytest.mark.django_db


def test_one_holder_at_a_time_and_free_again_after_release() -> None:
    assert leases.acquire("analysis", "worker-a")
    assert not leases.acquire("analysis", "worker-b")
    assert leases.acquire("analysis", "worker-a")  # renewal by the holder
    leases.release("analysis", "worker-a")
    assert leases.acquire("analysis", "worker-b")
    assert Lease.objects.get(name="analysis").holder == "worker-b"


def test_a_killed_holders_lease_expires_and_the_next_worker_takes_it() -> None:
    assert leases.acquire("analysis", "killed", ttl=dt.timedelta(minutes=10))
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=9)):
        assert not leases.acquire("analysis", "next")
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=11)):
        assert leases.acquire("analysis", "next")


def test_hold_yields_none_when_another_worker_holds_it() -> None:
    with leases.hold("analysis") as first:
        assert first is not None
        with leases.hold("analysis") as second:
            assert second is None
    with leases.hold("analysis") as again:
        assert again is not None
