"""Employee listening core: instruments, statistics, confidentiality rules (framework-free)."""

from __future__ import annotations
