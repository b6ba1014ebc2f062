"""Builders for climate tests: fixed, deterministic answers (no randomness)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from pouls.climate.actions import (
    do_answer,
    do_launch_campaign,
    do_print_links,
    do_write_answer_batch,
)
from pouls.climate.instruments import campaign_instruments, shipped_text
from pouls.climate.models import Campaign, Invitation
from pouls.org.models import Perimeter
from pouls.testing import make_user

if TYPE_CHECKING:
    from django.contrib.auth.models import User

ALL = (
    "ethical_climate_fr",
    "engagement_fr",
    "management_adherence_fr",
    "who5_fr",
    "reporting_diagnosis_fr",
    "enps_fr",
)


def make_campaign(
    *,
    owner: Perimeter,
    targets: list[Perimeter] | None = None,
    instruments: tuple[str, ...] = ("engagement_fr",),
    demographics: list[str] | None = None,
    name: str = "Baromètre 2026",
    launch: bool = True,
    min_scores: int = 5,
    min_comments: int = 10,
) -> Campaign:
    campaign = Campaign.objects.create(
        perimeter=owner,
        name=name,
        instruments={i: shipped_text(i) for i in instruments},
        demographics=demographics or [],
        min_scores=min_scores,
        min_comments=min_comments,
    )
    campaign.targets.set(targets or [owner])
    # The trusted third party who hands out printed links: an account with no grant.
    campaign.distributor = make_user(f"distrib-{str(campaign.code)[:8]}")
    campaign.save(update_fields=["distributor"])
    if launch:
        do_launch_campaign(campaign)
    return campaign


def answers_for(campaign: Campaign, level: int, spread: int = 1) -> dict[str, int]:
    """A respondent answering around ``level`` (0-5 scales; 0-10 doubled), items varying by
    ``spread`` in a fixed pattern so that scales have some variance."""
    answers: dict[str, int] = {}
    for instrument in campaign_instruments(campaign):
        low, high = instrument.scale.min, instrument.scale.max
        factor = 2 if high == 10 else 1
        for j, item in enumerate(instrument.items):
            value = level * factor + ((j % 3) - 1) * spread
            if item.reversed:
                value = high + low - value
            answers[item.id] = max(low, min(high, value))
    return answers


def answer(
    campaign: Campaign,
    team: Perimeter,
    level: int = 3,
    *,
    spread: int = 1,
    categories: dict[str, str] | None = None,
    comments: dict[str, str] | None = None,
) -> str:
    """Invite (printed link) and answer, then write the answer at once (a batch of one:
    the batch tests check the real floor); returns the token used."""
    token = print_links(campaign, team)[0]
    invitation = Invitation.objects.get(campaign=campaign, answered=False, token_hash=_hash(token))
    do_answer(invitation, answers_for(campaign, level, spread), categories or {}, comments or {})
    do_write_answer_batch(campaign.pk, floor=1)
    return token


def print_links(
    campaign: Campaign, team: Perimeter, count: int = 1, link: Callable[[str], str] = str
) -> list[str]:
    """Printed links, by the campaign's distributor."""
    return do_print_links(distributor_of(campaign), campaign, team, count, link)


def _hash(token: str) -> str:
    from pouls.climate.actions import hash_token

    return hash_token(token)


def distributor_of(campaign: Campaign) -> User:
    assert campaign.distributor is not None
    return campaign.distributor
