"""Public identifiers."""

from __future__ import annotations

import os
import time
import uuid


def time_ordered_uuid() -> uuid.UUID:
    """A UUID whose first 48 bits are the creation time in milliseconds (the layout of RFC
    9562's version 7), the rest random.

    Rows created together get neighbouring codes, so a big import appends to the unique
    index instead of writing all over it (random version-4 codes slowed a million-row
    SQLite import as the table grew). The code reveals only when the row was created.
    """
    millis = time.time_ns() // 1_000_000
    value = (millis & ((1 << 48) - 1)) << 80 | int.from_bytes(os.urandom(10), "big")
    value = (value & ~(0xF << 76)) | (0x7 << 76)  # version 7
    value = (value & ~(0x3 << 62)) | (0x2 << 62)  # RFC 4122 variant
    return uuid.UUID(int=value)
