from __future__ import annotations

from itertools import combinations

import numpy as np
import pytest

from pouls_analysis.climate.confidentiality import (
    Thresholds,
    decide_publication,
    publishable_comments,
)
from pouls_analysis.exceptions import InvalidInputError

SIZES = {"equipe_a": 2, "equipe_b": 4, "equipe_c": 5, "equipe_d": 9, "equipe_e": 10, "equipe_f": 12}


def population() -> dict[str, frozenset[str]]:
    groups: dict[str, frozenset[str]] = {}
    everyone: list[str] = []
    for team, size in SIZES.items():
        members = [f"{team}-{i}" for i in range(size)]
        groups[team] = frozenset(members)
        everyone += members
    groups["direction_commerciale"] = groups["equipe_a"] | groups["equipe_b"] | groups["equipe_c"]
    groups["direction_technique"] = groups["equipe_d"] | groups["equipe_e"] | groups["equipe_f"]
    groups["entreprise"] = frozenset(everyone)
    groups["moins_de_30_ans"] = frozenset(everyone[::3])
    groups["cadres"] = frozenset(everyone[::2])
    groups["cadres_hors_a"] = groups["cadres"] - {"equipe_a-0"}
    return groups


def attack(published: list[frozenset[str]], threshold: int) -> list[frozenset[str]]:
    """Independent attacker: pairwise differences, then the rank trick on single
    respondents and on every true group under the threshold."""
    found: list[frozenset[str]] = []
    for a, b in combinations(published, 2):
        for d in (a - b, b - a):
            if (a >= b or b >= a) and 0 < len(d) < threshold:
                found.append(d)
    universe = sorted(set().union(*published))
    matrix = np.array([[1.0 if r in s else 0.0 for r in universe] for s in published])
    rank = np.linalg.matrix_rank(matrix)
    targets = [frozenset([r]) for r in universe]
    targets += [s for s in population().values() if 0 < len(s) < threshold]
    for target in targets:
        v = np.array([[1.0 if r in target else 0.0 for r in universe]])
        if np.linalg.matrix_rank(np.vstack([matrix, v])) == rank:
            found.append(target)
    return found


def run_exports(check: bool) -> list[frozenset[str]]:
    groups = population()
    first = decide_publication(groups, threshold=5, check_differencing=check)
    second_groups = dict(groups)
    second_groups["equipe_d"] = groups["equipe_d"] | {"nouveau-1"}
    second_groups["direction_technique"] = groups["direction_technique"] | {"nouveau-1"}
    second_groups["entreprise"] = groups["entreprise"] | {"nouveau-1"}
    second = decide_publication(
        second_groups, threshold=5, history=[first.published], check_differencing=check
    )
    return [*first.published.values(), *second.published.values()]


def test_differencing_attack_fails_against_the_engine() -> None:
    assert attack(run_exports(check=True), 5) == []


def test_differencing_attack_succeeds_when_rule_is_disabled() -> None:
    assert attack(run_exports(check=False), 5) != []


def test_small_group_hidden_and_parent_or_sibling_hidden() -> None:
    decision = decide_publication(population(), threshold=5)
    assert "equipe_a" in decision.hidden and "equipe_b" in decision.hidden
    commerciale = {"equipe_c", "direction_commerciale"}
    assert commerciale & set(decision.hidden)


def test_successive_export_with_one_more_answer_is_hidden() -> None:
    team = frozenset(f"p{i}" for i in range(8))
    first = decide_publication({"t": team}, threshold=5)
    second = decide_publication({"t": team | {"p8"}}, threshold=5, history=[first.published])
    assert "t" in second.hidden
    bigger = team | {f"q{i}" for i in range(5)}
    third = decide_publication({"t": bigger}, threshold=5, history=[first.published])
    assert "t" in third.published


def test_thresholds_never_below_three() -> None:
    with pytest.raises(InvalidInputError):
        Thresholds(scores=2)
    with pytest.raises(InvalidInputError):
        decide_publication({"t": {"a", "b", "c"}}, threshold=2)


def test_comments_threshold_and_deterministic_shuffle() -> None:
    comments = [f"Remarque numéro {i} sur la charge de travail" for i in range(10)]
    assert publishable_comments(comments[:9]) == []
    shown = publishable_comments(comments, seed=1)
    assert sorted(shown) == sorted(comments)
    assert shown == publishable_comments(comments, seed=1)


def test_unchanged_groups_stay_published_when_another_grows_by_one() -> None:
    a = [f"a{i}" for i in range(6)]
    b = [f"b{i}" for i in range(5)]  # smaller than A: the old fallback hid it first
    first = decide_publication({"A": a, "B": b, "AB": a + b}, threshold=5)
    assert set(first.published) == {"A", "B", "AB"}
    second = decide_publication(
        {"A": [*a, "a6"], "B": b, "AB": [*a, "a6", *b]}, threshold=5, history=[first.published]
    )
    assert set(second.published) == {"B"}  # A and AB would give a6 away; B is unchanged
