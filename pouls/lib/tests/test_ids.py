from __future__ import annotations

import time
import uuid

from pouls.lib.ids import time_ordered_uuid


def test_codes_are_version_7_and_unique() -> None:
    codes = [time_ordered_uuid() for _ in range(10_000)]
    assert len(set(codes)) == len(codes)
    assert all(c.version == 7 and c.variant == uuid.RFC_4122 for c in codes)


def test_later_codes_sort_after_earlier_ones() -> None:
    first = time_ordered_uuid()
    time.sleep(0.002)
    assert time_ordered_uuid().hex > first.hex
