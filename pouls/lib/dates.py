"""Calendar periods, spelled once: weeks start on Monday (ISO), months on the 1st."""

from __future__ import annotations

import datetime as dt


def week_start(day: dt.date) -> dt.date:
    """The Monday of ``day``'s ISO week."""
    return day - dt.timedelta(days=day.weekday())


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def last_complete_week(today: dt.date) -> dt.date:
    """The Monday of the last whole week before ``today``'s (the current week is unfinished)."""
    return week_start(today) - dt.timedelta(days=7)
