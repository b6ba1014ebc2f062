"""Results pages, comments, CSV rows and the customer ↔ employee link of a campaign.

Every figure comes from ``publication.published_for_user`` (the one gate): a group absent
from ``published.scores`` has no figure anywhere, and comments absent from
``published.comments`` are never read.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml
from django.db.models import Count
from django.utils.translation import gettext as _

from pouls.annotations.models import BehaviourMatch, Polarity
from pouls.climate.models import Comment, ResultGroup
from pouls.climate.publication import Published, published_for_user
from pouls.climate.queries import GroupResult, group_result, load_answers
from pouls.org.models import Perimeter
from pouls.rollups.queries import nps_counts, nps_of
from pouls_analysis.climate.confidentiality import publishable_comments
from pouls_analysis.stats.scores import NpsResult


@dataclass(frozen=True, slots=True)
class GroupLine:
    gid: str
    label: str
    result: GroupResult | None  # None: hidden
    reason: str
    link: ResultGroup | None = None


@dataclass(frozen=True, slots=True)
class ResultsPage:
    group: ResultGroup
    main: GroupLine
    children: list[GroupLine]
    categories: list[GroupLine]
    comments_published: bool


def _line(
    published: Published,
    gid: str,
    answers: Mapping[str, dict[str, int]],
    link: ResultGroup | None = None,
) -> GroupLine:
    label = published.groups[gid].label
    if gid in published.scores:
        return GroupLine(gid, label, group_result(published, gid, answers), "", link)
    return GroupLine(gid, label, None, published.hidden.get(gid, ""), link)


def get_results(user: Any, group: ResultGroup) -> ResultsPage:
    """The group, its direct result sub-groups in scope, and the broad categories (at the
    campaign's owner perimeter only)."""
    campaign = group.campaign
    published = published_for_user(user, campaign)
    subgroups = (
        ResultGroup.objects.for_user(user)
        .filter(
            campaign=campaign,
            perimeter__path__startswith=group.perimeter.path,
            perimeter__depth=group.perimeter.depth + 1,
        )
        .select_related("perimeter")
        .order_by("perimeter__path")
    )
    main_gid = f"p:{group.perimeter.code}"
    category_gids = []
    if group.perimeter_id == campaign.perimeter_id:
        category_gids = [gid for gid in published.groups if gid.startswith("d:")]
    child_gids = [(f"p:{rg.perimeter.code}", rg) for rg in subgroups]
    answers = load_answers(published, [main_gid, *category_gids, *(g for g, _ in child_gids)])
    main = _line(published, main_gid, answers)
    children = [_line(published, gid, answers, rg) for gid, rg in child_gids]
    categories = [_line(published, gid, answers) for gid in category_gids]
    return ResultsPage(
        group, main, children, categories, f"p:{group.perimeter.code}" in published.comments
    )


@dataclass(frozen=True, slots=True)
class CommentsPage:
    group: ResultGroup
    texts: list[str]
    themes: list[tuple[str, int]]
    sentiment: dict[str, int]


@functools.cache
def _theme_labels() -> dict[str, str]:
    from pouls.annotations.services import theme_labels

    return theme_labels()


def get_comments(user: Any, group: ResultGroup) -> CommentsPage:
    """Shuffled, dateless, pseudonymised texts of the group, then themes and sentiment from
    the analysis core, all only when the comment threshold and the differencing rule allow."""
    published = published_for_user(user, group.campaign)
    ids = published.comments.get(f"p:{group.perimeter.code}")
    if not ids:
        return CommentsPage(group, [], [], {})
    texts = list(
        Comment.objects.for_user(user)
        .filter(campaign=group.campaign, id__in=sorted(ids))
        .order_by("id")
        .values_list("text", flat=True)
    )
    shown = publishable_comments(texts, threshold=group.campaign.min_comments, seed=0)
    from pouls.annotations.services import pipeline

    analyses = pipeline().analyze(shown) if shown else []
    themes: Counter[str] = Counter()
    sentiment: Counter[str] = Counter()
    for analysis in analyses:
        sentiment[analysis.sentiment.label] += 1
        themes.update({m.theme for m in analysis.themes or ()})
    labels = _theme_labels()
    tones = {p.value: str(p.label) for p in Polarity}
    return CommentsPage(
        group,
        shown,
        [(labels.get(t, t), n) for t, n in themes.most_common()],
        {tones.get(label, label): n for label, n in sentiment.most_common()},
    )


CSV_HEADER = [
    "groupe",
    "questionnaire",
    "dimension",
    "n",
    "moyenne",
    "ic95_bas",
    "ic95_haut",
    "alpha_cronbach",
    "rwg",
    "statut",
]


def export_rows(user: Any, group: ResultGroup) -> list[list[Any]]:
    """CSV rows of the group and every result group under it in the user's scope, through
    the same gate as the pages (hidden groups: one row saying so, no figure)."""
    published = published_for_user(user, group.campaign)
    prefix = group.perimeter.path
    gids = [
        gid
        for gid, g in published.groups.items()
        if g.perimeter.path.startswith(prefix)
        and (g.category is None or group.perimeter_id == group.campaign.perimeter_id)
    ]
    rows: list[list[Any]] = [CSV_HEADER]
    answers = load_answers(published, gids)
    for gid in gids:
        line = _line(published, gid, answers)
        if line.result is None:
            rows.append([line.label, "", "", "", "", "", "", "", "", line.reason])
            continue
        for figures in line.result.instruments:
            for d in figures.dimensions:
                rows.append(
                    [
                        line.label,
                        figures.instrument.title_fr,
                        d.label,
                        d.mean.n,
                        _num(d.mean.mean),
                        _num(d.mean.low),
                        _num(d.mean.high),
                        _num(d.alpha.alpha) if d.alpha else "",
                        _num(d.rwg),
                        _("publié"),
                    ]
                )
    return rows


def _num(value: float | None) -> float | str:
    """Numbers stay numbers (a negative bound is not a formula); NaN and None are empty."""
    return "" if value is None or value != value else round(value, 3)


@functools.cache
def behaviour_labels() -> dict[str, str]:
    text = resources.files("pouls_analysis.behaviours").joinpath("behaviours_fr.yaml")
    data = yaml.safe_load(text.read_text(encoding="utf-8"))
    return {b["id"]: b["label"] for b in data["behaviours"]}


@dataclass(frozen=True, slots=True)
class StoreLine:
    perimeter: Perimeter
    result: GroupResult | None
    nps: NpsResult
    behaviours: list[tuple[str, int]]
    texts: int


def get_customer_link(user: Any, group: ResultGroup, since: dt.date) -> list[StoreLine]:
    """Per store under the group: climate and engagement (published groups only) beside
    customer NPS from the rollups and the service behaviours the analysis found."""
    published = published_for_user(user, group.campaign)
    stores = [
        g.perimeter
        for g in published.groups.values()
        if g.category is None
        and g.perimeter.kind == Perimeter.Kind.STORE
        and g.perimeter.path.startswith(group.perimeter.path)
    ]
    counts = nps_counts(user, [s.pk for s in stores], since=since)
    subtree = {
        pk: s.pk
        for pk, path in Perimeter.objects.for_user(user)
        .filter(path__startswith=group.perimeter.path)
        .values_list("pk", "path")
        for s in stores
        if path.startswith(s.path)
    }
    behaviours: dict[int, Counter[str]] = {s.pk: Counter() for s in stores}
    rows = (
        BehaviourMatch.objects.for_user(user)
        .filter(perimeter_id__in=list(subtree), day__gte=since)
        .values("perimeter_id", "behaviour")
        .annotate(n=Count("id"))
    )
    for row in rows:
        behaviours[subtree[row["perimeter_id"]]][row["behaviour"]] += row["n"]
    labels = behaviour_labels()
    answers = load_answers(published, [f"p:{s.code}" for s in stores])
    lines = []
    for store in stores:
        gid = f"p:{store.code}"
        result = group_result(published, gid, answers) if gid in published.scores else None
        nps = nps_of(counts, store.pk)
        lines.append(
            StoreLine(
                store,
                result,
                nps,
                [(labels.get(b, b), n) for b, n in behaviours[store.pk].most_common()],
                nps.n,
            )
        )
    return lines
