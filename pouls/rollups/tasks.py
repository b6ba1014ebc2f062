"""Rollups are refreshed after each analysis pass (which follows every import)."""

from __future__ import annotations

from typing import Any

from pouls.rollups.fill import refresh


def refresh_after_analysis(sender: Any, **kwargs: Any) -> None:
    refresh()
