"""The instruments of a campaign: YAML texts frozen on the campaign, parsed by the core."""

from __future__ import annotations

import functools

from pouls.climate.models import Campaign
from pouls_analysis.climate.instruments import (
    INSTRUMENTS_DIR,
    Instrument,
    parse_instrument,
    shipped_instruments,
)

__all__ = ["campaign_instruments", "parse", "recoded", "shipped_choices", "shipped_text"]


@functools.lru_cache(maxsize=64)
def parse(text: str, where: str = "<instrument>") -> Instrument:
    return parse_instrument(text, where)


def shipped_text(name: str) -> str:
    return (INSTRUMENTS_DIR / f"{name}.yaml").read_text(encoding="utf-8")


def shipped_choices() -> list[tuple[str, str]]:
    """(id, French title) of every shipped instrument."""
    return [(name, parse(shipped_text(name), name).title_fr) for name in shipped_instruments()]


def campaign_instruments(campaign: Campaign) -> list[Instrument]:
    """The campaign's instruments in a stable order (the order they were chosen)."""
    return [parse(text, name) for name, text in campaign.instruments.items()]


def recoded(instrument: Instrument, answers: dict[str, int]) -> dict[str, float]:
    """Item values with reversed items recoded (max + min - x), keyed by item id."""
    low, high = instrument.scale.min, instrument.scale.max
    return {
        item.id: float(high + low - answers[item.id] if item.reversed else answers[item.id])
        for item in instrument.items
        if item.id in answers
    }
