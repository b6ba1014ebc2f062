"""Must show (a): groups of 2, 4, 5, 9, 10 and 12 respondents. Every figure under the
threshold is hidden in pages and exports, and a differencing attacker working from what the
pages and the CSV export actually publish (every pair of published groups, parent minus
children, successive exports after one more answer) recovers no individual and no group
under the threshold. With the differencing rule switched off the same attacker succeeds,
so the test can fail."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from itertools import combinations

import numpy as np
import pytest
from django.test import Client
from django.urls import reverse

from pouls.climate import publication
from pouls.climate.models import Campaign, Response, ResultGroup
from pouls.climate.tests.builders import answer, make_campaign
from pouls.org.models import Perimeter
from pouls.testing import Personas, make_perimeter

SIZES = {
    "Équipe A2": 2,
    "Équipe B12": 12,
    "Équipe C4": 4,
    "Équipe D9": 9,
    "Équipe E5": 5,
    "Équipe F10": 10,
}
ROLES = ("encadrement", "hors encadrement")
THRESHOLD = 5


@dataclass
class World:
    campaign: Campaign
    teams: dict[str, Perimeter]
    # label of every group as pages and exports name it -> response ids in it
    truth: dict[str, set[str]] = field(default_factory=dict)
    value: dict[str, float] = field(default_factory=dict)  # response id -> its vigour score


def _add(world: World, team: str, index: int) -> None:
    role = ROLES[index % 2]
    before = set(Response.objects.values_list("id", flat=True))
    answer(world.campaign, world.teams[team], level=index % 6, spread=0, categories={"role": role})
    (rid,) = set(Response.objects.values_list("id", flat=True)) - before
    rid_s = str(rid)
    world.value[rid_s] = float(index % 6)
    perimeter = world.teams[team]
    for p in [perimeter, *perimeter.ancestors()]:
        world.truth.setdefault(p.name, set()).add(rid_s)
    world.truth.setdefault(f"Groupe — Fonction : {role}", set()).add(rid_s)


@pytest.fixture
def world(personas: Personas) -> World:
    parents = {
        "A": personas.lille,
        "B": personas.lille,
        "C": personas.roubaix,
        "D": personas.roubaix,
        "E": personas.marseille,
        "F": personas.marseille,
    }
    teams = {
        name: make_perimeter(name=name, kind="team", parent=parents[name[7]]) for name in SIZES
    }
    campaign = make_campaign(owner=personas.group, demographics=["role"], name="Attaque")
    w = World(campaign, teams)
    counter = 0
    for team, size in SIZES.items():
        for _ in range(size):
            _add(w, team, counter)
            counter += 1
    return w


@dataclass(frozen=True)
class Figure:
    label: str
    n: int
    mean: float
    members: frozenset[str]  # the group's true membership when it was published


def _export(client: Client, world: World) -> list[Figure]:
    group = ResultGroup.objects.get(campaign=world.campaign, perimeter=world.campaign.perimeter)
    body = client.get(reverse("climate-results-export", args=[group.code])).content.decode(
        "utf-8-sig"
    )
    rows = list(csv.DictReader(io.StringIO(body), delimiter=";"))
    hidden = {r["groupe"] for r in rows if r["statut"] != "publié"}
    for label in hidden:
        assert all(r["n"] == "" and r["moyenne"] == "" for r in rows if r["groupe"] == label)
    return [
        Figure(r["groupe"], int(r["n"]), float(r["moyenne"]), frozenset(world.truth[r["groupe"]]))
        for r in rows
        if r["statut"] == "publié" and r["dimension"] == "Vigueur"
    ]


PAGE_ROW = re.compile(r'data-dimension="vigour" data-mean="([0-9.,]+)" data-n="(\d+)"')


def _pages(client: Client, world: World) -> list[Figure]:
    figures = []
    for group in ResultGroup.objects.filter(campaign=world.campaign).select_related("perimeter"):
        body = client.get(reverse("climate-results", args=[group.code])).content.decode()
        found = PAGE_ROW.search(body)
        size = len(world.truth.get(group.perimeter.name, ()))
        if size < THRESHOLD:
            assert found is None and 'id="hidden"' in body, group.perimeter.name
        if found:
            name = group.perimeter.name
            mean = float(found[1].replace(",", "."))
            figures.append(Figure(name, int(found[2]), mean, frozenset(world.truth[name])))
    return figures


SUB_ROW = re.compile(r'<tr data-group="([^"]+)" data-n="(\d+)">\s*<td>(?:<a [^>]+>)?([^<]+)<')
STORE_ROW = re.compile(r'data-name="([^"]+)" data-n="(\d+)"')


def _other_figures(client: Client, world: World) -> set[tuple[str, int]]:
    """(label, n) of every group the sub-group tables and the customer page show."""
    shown: set[tuple[str, int]] = set()
    for group in ResultGroup.objects.filter(campaign=world.campaign):
        body = client.get(reverse("climate-results", args=[group.code])).content.decode()
        shown |= {(label.strip(), int(n)) for _gid, n, label in SUB_ROW.findall(body)}
        url = reverse("climate-results-customers", args=[group.code])
        shown |= {(name, int(n)) for name, n in STORE_ROW.findall(client.get(url).content.decode())}
    return shown


def _recovered(world: World, published: list[Figure]) -> list[frozenset[str]]:
    """Sets of fewer than THRESHOLD respondents whose total the attacker can compute from
    the published (n, mean) figures, knowing each group's true membership."""
    universe = sorted(world.value)
    col = {rid: i for i, rid in enumerate(universe)}
    vectors: dict[frozenset[str], tuple[np.ndarray, float]] = {}
    for f in published:
        v = np.zeros(len(universe))
        assert len(f.members) == f.n  # what is published is exactly that group
        v[[col[r] for r in f.members]] = 1
        vectors.setdefault(f.members, (v, f.n * f.mean))
    rows = np.array([v for v, _ in vectors.values()])
    sums = np.array([s for _, s in vectors.values()])
    sets = [f.members for f in published]
    candidates: set[frozenset[str]] = {frozenset([r]) for r in universe}
    candidates |= {frozenset(s) for s in world.truth.values()}
    for a, b in combinations(set(sets), 2):  # every pair: differences and intersections
        candidates |= {a - b, b - a, a & b}
    for parent in set(sets):  # parent minus its published children
        children = [s for s in set(sets) if s < parent]
        if children:
            candidates.add(parent - frozenset().union(*children))
    leaks = []
    for cand in candidates:
        if not 0 < len(cand) < THRESHOLD:
            continue
        target = np.zeros(len(universe))
        target[[col[r] for r in cand]] = 1
        coef, *_ = np.linalg.lstsq(rows.T, target, rcond=None)
        if np.allclose(rows.T @ coef, target, atol=1e-8):
            derived = float(coef @ sums)
            assert derived == pytest.approx(
                sum(world.value[r] for r in cand), abs=0.05 * len(published)
            )
            leaks.append(cand)
    return leaks


def _snapshot(client: Client, world: World) -> list[Figure]:
    figures = _export(client, world) + _pages(client, world)
    # Sub-group tables and the customer page show no group the export does not.
    other = _other_figures(client, world)
    assert other <= {(f.label, f.n) for f in figures}
    return figures


def _attack(
    client: Client, world: World
) -> tuple[list[Figure], list[Figure], list[frozenset[str]]]:
    first = _snapshot(client, world)
    _add(world, "Équipe B12", 999)  # one more answer, then everything is published again
    second = _snapshot(client, world)
    return first, second, _recovered(world, first + second)


def test_nothing_under_the_threshold_is_published_nor_derivable(
    client: Client, world: World, personas: Personas
) -> None:
    client.force_login(personas.alice)
    first, second, leaks = _attack(client, world)
    published = first + second
    labels = {f.label for f in published}
    assert not labels & {"Équipe A2", "Équipe C4"}
    assert all(f.n >= THRESHOLD for f in published)
    assert "Équipe E5" in labels or "Site Marseille" in labels  # the rule publishes something
    # Groups the extra answer did not touch are published again; those it touched are not.
    assert {"Équipe F10", "Site Marseille"} <= {f.label for f in second}
    assert not {"Site Lille", "Groupe"} & {f.label for f in second}
    assert leaks == []


def test_the_attack_succeeds_without_the_differencing_rule(
    client: Client, world: World, personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(publication, "CHECK_DIFFERENCING", False)
    client.force_login(personas.alice)
    _first, _second, leaks = _attack(client, world)
    assert leaks  # e.g. Site Lille minus Équipe B12 gives the two answers of Équipe A2
