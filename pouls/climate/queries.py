"""Figures of a campaign, computed only on what ``publication.published_for_user`` lets
through (the exact answer sets it decided on) and only for the user's scope."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from pouls.climate import wording
from pouls.climate.instruments import campaign_instruments, recoded
from pouls.climate.models import Campaign, Invitation, PendingAnswer, Response
from pouls.climate.publication import Published, published_for_user
from pouls.climate.wording import Words
from pouls_analysis.climate.instruments import Instrument
from pouls_analysis.climate.profile import (
    ClimateProfile,
    Diagnosis,
    climate_profile,
    diagnose,
    readiness_verdict,
)
from pouls_analysis.climate.stats import (
    AlphaResult,
    MeanResult,
    cronbach_alpha,
    enps,
    mean_with_ci,
    rwg_j,
)
from pouls_analysis.stats.scores import NpsResult

RWG_FLOOR = 0.7  # conventional agreement level before a team climate is described


@dataclass(frozen=True, slots=True)
class DimensionFigure:
    id: str
    label: str
    mean: MeanResult
    # Respondents per scale point (dimension score rounded); empty when one point would
    # hold all or all but one respondent: that would tell each person's rounded score.
    distribution: list[int]
    alpha: AlphaResult | None  # None with a single item
    rwg: float | None
    # (scale point and its label, respondents) per point; empty with ``distribution``.
    bins: list[tuple[str, int]] = field(default_factory=list)
    consistency: Words | None = None  # plain words first, the statistic in ``detail``
    agreement: Words | None = None


@dataclass(frozen=True, slots=True)
class InstrumentFigures:
    instrument: Instrument
    dimensions: list[DimensionFigure]
    overall: MeanResult | None  # mean of all items (engagement, adherence); WHO-5 0-100
    enps: NpsResult | None = None


@dataclass(frozen=True, slots=True)
class GroupResult:
    gid: str
    label: str
    n: int
    instruments: list[InstrumentFigures]
    profile: ClimateProfile | None = None
    agreement: float | None = None  # mean rwg(J) of the climate types
    profile_shown: bool = False
    dominant_label: str = ""
    diagnosis: Diagnosis | None = None
    verdict: str = ""
    radar: dict[str, list[Any]] = field(default_factory=dict)


def _matrix(instrument: Instrument, rows: list[dict[str, int]], dim: str) -> np.ndarray:
    ids = [i.id for i in instrument.items if i.dimension == dim]
    return np.array([[recoded(instrument, r)[i] for i in ids] for r in rows], dtype=float)


def _dimension(instrument: Instrument, rows: list[dict[str, int]], dim: Any) -> DimensionFigure:
    x = _matrix(instrument, rows, dim.id)
    scores = x.mean(axis=1)
    low, high = instrument.scale.min, instrument.scale.max
    counts = [int(np.sum(np.rint(scores) == v)) for v in range(low, high + 1)]
    if max(counts) >= len(rows) - 1:
        counts = []
    several = x.shape[1] >= 2 and len(rows) >= 2
    alpha = cronbach_alpha(x) if several else None
    rwg = rwg_j(x, high - low + 1) if len(rows) >= 2 else None
    labels = instrument.scale.labels_fr
    bins = [
        (f"{v} · {labels[v - low]}" if v - low < len(labels) and labels[v - low] else str(v), c)
        for v, c in zip(range(low, high + 1), counts, strict=False)
    ]
    return DimensionFigure(
        dim.id,
        dim.label_fr,
        mean_with_ci(scores),
        counts,
        alpha,
        rwg,
        bins,
        wording.consistency(alpha) if len(rows) >= 2 else None,
        wording.agreement(rwg) if len(rows) >= 2 else None,
    )


def _instrument(instrument: Instrument, rows: list[dict[str, int]]) -> InstrumentFigures:
    dims = [_dimension(instrument, rows, d) for d in instrument.dimensions]
    if instrument.scoring == "enps":
        item = instrument.items[0].id
        return InstrumentFigures(instrument, dims, None, enps([r[item] for r in rows]))
    all_items = np.array([list(recoded(instrument, r).values()) for r in rows], dtype=float)
    if instrument.id.startswith("ethical_climate"):
        # Five distinct climate types: their average means nothing.
        return InstrumentFigures(instrument, dims, None)
    if instrument.scoring == "who5":
        return InstrumentFigures(instrument, dims, mean_with_ci(all_items.sum(axis=1) * 4))
    return InstrumentFigures(instrument, dims, mean_with_ci(all_items.mean(axis=1)))


def _per_respondent(instrument: Instrument, rows: list[dict[str, int]]) -> dict[str, list[float]]:
    return {d.id: list(_matrix(instrument, rows, d.id).mean(axis=1)) for d in instrument.dimensions}


def load_answers(published: Published, gids: Iterable[str]) -> dict[str, dict[str, int]]:
    """Answers of every response behind these published groups, in one query."""
    ids = sorted(set().union(*(published.scores[g] for g in gids if g in published.scores)))
    rows = Response.objects.filter(campaign=published.campaign, id__in=ids)
    return {str(rid): answers for rid, answers in rows.values_list("id", "answers")}


def group_result(
    published: Published, gid: str, answers: Mapping[str, dict[str, int]] | None = None
) -> GroupResult:
    """All figures of one published group, from exactly the answers that were decided on
    (``answers`` from ``load_answers`` saves a query per group)."""
    if answers is None:
        answers = load_answers(published, [gid])
    rows = [answers[rid] for rid in sorted(published.scores[gid])]
    label = published.groups[gid].label
    figures = [_instrument(i, rows) for i in campaign_instruments(published.campaign)]
    by_kind = {f.instrument.id.split("_fr")[0]: f for f in figures}
    result: dict[str, Any] = {}
    climate = by_kind.get("ethical_climate")
    if climate is not None:
        profile = climate_profile(_per_respondent(climate.instrument, rows))
        rwgs = [d.rwg for d in climate.dimensions if d.rwg is not None]
        agreement = float(np.mean(rwgs)) if rwgs else None
        shown = agreement is not None and agreement >= RWG_FLOOR
        labels = {d.id: d.label_fr for d in climate.instrument.dimensions}
        result.update(profile=profile, agreement=agreement, profile_shown=shown)
        if shown and profile.dominant:
            result["dominant_label"] = labels[profile.dominant]
        if shown:
            result["radar"] = {
                "theta": [d.label for d in climate.dimensions],
                "r": [round(d.mean.mean, 2) for d in climate.dimensions],
            }
    diag = next((f for f in figures if f.instrument.scoring == "diagnosis"), None)
    if diag is not None:
        result["diagnosis"] = diagnose(
            _per_respondent(diag.instrument, rows), scale_max=diag.instrument.scale.max
        )
    result["verdict"] = _verdict(label, by_kind, result)
    return GroupResult(gid, label, len(rows), figures, **result)


def _verdict(label: str, by_kind: dict[str, InstrumentFigures], result: dict[str, Any]) -> str:
    from django.utils.translation import gettext as _

    engagement = by_kind.get("engagement")
    profile, diagnosis = result.get("profile"), result.get("diagnosis")
    if engagement is None or engagement.overall is None or profile is None or diagnosis is None:
        return _(
            "Pas de verdict : il faut les questionnaires climat éthique, engagement et "
            "diagnostic du reporting dans la même campagne."
        )
    if not result.get("profile_shown"):
        # A climate the team does not share is no climate: no dominant type is claimed.
        profile = ClimateProfile(profile.means, None, profile.n)
    text = readiness_verdict(label, profile, engagement.overall, diagnosis)
    if not result.get("profile_shown"):
        text += " " + _(
            "Les avis divergent trop dans l'équipe (accord rwg sous 0,7) pour parler d'un "
            "climat partagé : le verdict s'appuie sur l'engagement et le diagnostic seulement."
        )
    return text


@dataclass(frozen=True, slots=True)
class Overview:
    published: Published
    rows: list[tuple[str, str, bool, str]]  # gid, label, published?, reason if hidden
    participation: tuple[int, int] | None  # answered, invited: campaign managers only
    pending: int = 0  # answered but not yet written by the batch writer (managers only)
    batch_floor: int = 0


def campaign_overview(user: Any, campaign: Campaign) -> Overview:
    published = published_for_user(user, campaign)
    rows = [
        (gid, g.label, gid in published.scores, published.hidden.get(gid, ""))
        for gid, g in published.groups.items()
    ]
    participation = None
    pending = floor = 0
    # Counts per team would be figures under the threshold; only whole-campaign totals are
    # shown, to those who manage the campaign.
    if Campaign.objects.for_user(user, "change").filter(pk=campaign.pk).exists():
        invitations = Invitation.objects.filter(campaign=campaign)
        participation = (invitations.filter(answered=True).count(), invitations.count())
        pending = PendingAnswer.objects.filter(campaign=campaign).count()
        floor = campaign.batch_floor()
    return Overview(published, rows, participation, pending, floor)


@dataclass(frozen=True, slots=True)
class CampaignRow:
    campaign: Campaign
    manages: bool
    entry_points: list[Any]  # the user's top-most result groups (ResultGroup)


def list_campaigns(user: Any) -> list[CampaignRow]:
    """Campaigns the user manages (owner perimeter in scope) or has results pages in."""
    from pouls.climate.models import ResultGroup

    campaigns = {c.pk: c for c in Campaign.objects.for_user(user).select_related("perimeter")}
    owned = set(campaigns)
    entries: dict[int, list[ResultGroup]] = {}
    groups = ResultGroup.objects.for_user(user).select_related("campaign", "perimeter")
    for rg in groups.order_by("perimeter__path"):
        top = entries.setdefault(rg.campaign_id, [])
        if not any(rg.perimeter.path.startswith(t.perimeter.path) for t in top):
            top.append(rg)
        campaigns.setdefault(rg.campaign_id, rg.campaign)
    return [
        CampaignRow(c, c.pk in owned, entries.get(c.pk, []))
        for c in sorted(campaigns.values(), key=lambda c: c.name)
    ]


def get_campaign_to_distribute(user: Any, code: str) -> Campaign:
    """The launched campaign whose links ``user`` distributes, else 404 (the scoping of a
    distributor: the campaign names them, no grant does)."""
    from django.core.exceptions import ValidationError
    from django.http import Http404

    try:
        return Campaign.objects.for_distributor(user).select_related("perimeter").get(code=code)
    except (Campaign.DoesNotExist, ValidationError, ValueError) as exc:
        raise Http404 from exc


def list_distributed(user: Any) -> list[Campaign]:
    return list(Campaign.objects.for_distributor(user).order_by("name"))
