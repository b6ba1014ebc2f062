"""THE gate of every figure shown from a campaign (pages, CSV export, anything added later).

``published_for_user`` builds the groups of the campaign (each result perimeter's subtree and
each broad category at the owner's level), asks ``decide_publication`` of the analysis core
with the thresholds frozen at launch *and* the persisted history of what was published
before, records what it now publishes, and then keeps only the groups the user may see. The
decision is global (the same for every user), so what one manager sees cannot be subtracted
from what another sees.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pouls.climate.models import DEMOGRAPHICS, Campaign, Comment, Publication, Response
from pouls.lib.scoping import allowed_perimeter_ids
from pouls.org.models import Perimeter
from pouls_analysis.climate.confidentiality import PublicationDecision, decide_publication

logger = logging.getLogger(__name__)

# Replaced in one test to show that the differencing attack succeeds without rule 2.
CHECK_DIFFERENCING = True


@dataclass(frozen=True, slots=True)
class Group:
    gid: str
    label: str
    perimeter: Perimeter  # the results perimeter (the owner for category groups)
    category: tuple[str, str] | None = None  # (DEMOGRAPHICS key, value)


@dataclass(frozen=True, slots=True)
class Published:
    """What a user may be shown: published groups (ids of the exact answers behind each
    figure) and hidden ones with a reason that reveals no count."""

    campaign: Campaign
    groups: dict[str, Group]
    scores: dict[str, frozenset[str]]
    comments: dict[str, frozenset[str]]
    hidden: dict[str, str] = field(default_factory=dict)


def _groups(campaign: Campaign) -> list[Group]:
    # Trusted context: the decision covers every group; the user's scope is applied after.
    perimeters = Perimeter.objects.filter(pk__in=campaign.groups.values("perimeter_id")).order_by(
        "path"
    )
    groups = [Group(f"p:{p.code}", p.name, p) for p in perimeters]
    for key in campaign.demographics:
        label, values = DEMOGRAPHICS[key]
        for value in values:
            groups.append(
                Group(
                    f"d:{key}={value}",
                    f"{campaign.perimeter.name} — {label} : {value}",
                    campaign.perimeter,
                    (key, value),
                )
            )
    return groups


def _members(
    groups: list[Group], rows: list[tuple[str, str, dict[str, str]]]
) -> dict[str, set[str]]:
    """Group id -> ids of the rows (id, team path, categories) that fall in it."""
    members: dict[str, set[str]] = {g.gid: set() for g in groups}
    for row_id, path, categories in rows:
        for g in groups:
            if g.category is None:
                if path.startswith(g.perimeter.path):
                    members[g.gid].add(row_id)
            elif categories.get(g.category[0]) == g.category[1]:
                members[g.gid].add(row_id)
    return members


def _decide(
    campaign: Campaign, kind: str, members: Mapping[str, set[str]], threshold: int
) -> PublicationDecision:
    """Decide with the history of this kind, then record the sets published for the first
    time. Runs under a lock on the campaign so two requests cannot publish two different
    states that nobody compared."""
    rows = Publication.objects.filter(campaign=campaign, kind=kind).order_by("id")
    past = list(rows.values_list("id", "groups"))
    history = [groups for _id, groups in past]
    # The decision is a pure function of the members, the threshold and the history; it
    # takes seconds on a large organisation (benchmarks/climate_publication.py), so it is
    # memoised on exactly those inputs.
    key = (
        "pouls:climate:decision:"
        + hashlib.sha256(
            repr(
                (
                    sorted((gid, sorted(ids)) for gid, ids in members.items()),
                    threshold,
                    [str(pk) for pk, _groups in past],
                    CHECK_DIFFERENCING,
                )
            ).encode()
        ).hexdigest()
    )
    cached = cache.get(key)
    decision: PublicationDecision
    if isinstance(cached, PublicationDecision):
        decision = cached
    else:
        decision = decide_publication(
            members, threshold=threshold, history=history, check_differencing=CHECK_DIFFERENCING
        )
        cache.set(key, decision, timeout=None)
    seen = {frozenset(ids) for past in history for ids in past.values()}
    new = {gid: sorted(s) for gid, s in decision.published.items() if s not in seen}
    if new:
        Publication.objects.create(
            campaign=campaign, kind=kind, day=timezone.localdate(), groups=new
        )
        logger.info(
            "climate publication campaign=%s kind=%s groups=%s", campaign.code, kind, len(new)
        )
    return decision


def published_for_user(user: Any, campaign: Campaign) -> Published:
    """Steps: lock the campaign; build the groups; decide scores (threshold ``min_scores``)
    and comments (``min_comments``) against the history; keep the groups in the user's scope."""
    if campaign.status == Campaign.Status.DRAFT:
        return Published(campaign, {}, {}, {})
    if campaign.distributor_id is not None and campaign.distributor_id == user.pk:
        # Whoever hands out links never reads results, even with a grant given later.
        every = _groups(campaign)
        groups = [g for g in every if g.gid in _visible(user, every)]
        reason = _("masqué : vous distribuez les liens de cette campagne")
        return Published(
            campaign, {g.gid: g for g in groups}, {}, {}, {g.gid: reason for g in groups}
        )
    with transaction.atomic():
        # Row lock on PostgreSQL; SQLite's IMMEDIATE transactions already serialise writers.
        list(Campaign.objects.select_for_update().filter(pk=campaign.pk).values_list("pk"))
        groups = _groups(campaign)
        rows = [
            (str(rid), path, cats or {})
            for rid, path, cats in Response.objects.filter(campaign=campaign).values_list(
                "id", "perimeter__path", "categories"
            )
        ]
        texts: list[tuple[str, str, dict[str, str]]] = [
            (str(cid), path, {})
            for cid, path in Comment.objects.filter(campaign=campaign).values_list(
                "id", "perimeter__path"
            )
        ]
        scores = _decide(campaign, "scores", _members(groups, rows), campaign.min_scores)
        text_groups = [g for g in groups if g.category is None]
        comments = _decide(
            campaign, "comments", _members(text_groups, texts), campaign.min_comments
        )
    visible = _visible(user, groups)
    return Published(
        campaign,
        {g.gid: g for g in groups if g.gid in visible},
        {gid: s for gid, s in scores.published.items() if gid in visible},
        {gid: s for gid, s in comments.published.items() if gid in visible},
        {gid: _reason(reason) for gid, reason in scores.hidden.items() if gid in visible},
    )


def _visible(user: Any, groups: list[Group]) -> set[str]:
    if user.is_superuser:
        return {g.gid for g in groups}
    allowed = allowed_perimeter_ids(user, "view")
    return {g.gid for g in groups if g.perimeter.pk in allowed}


def _reason(reason: str) -> str:
    """The core's reasons name sizes; pages must not (a size under the threshold is itself a
    figure under the threshold)."""
    if reason.startswith("moins de"):
        return _("masqué : trop peu de répondants")
    return _("masqué : se déduirait par différence avec d'autres groupes publiés")
