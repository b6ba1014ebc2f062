"""Confidentiality rules for publishing group figures of an employee survey.

Policy (see docs/climate.md):

1. A group with fewer respondents than the threshold is hidden.
2. A group is also hidden when publishing it would let anyone derive, by adding and
   subtracting published figures (this export *and* every earlier export), the figure of a
   set of fewer than ``threshold`` respondents. Figures are treated as (count, sum) pairs, so
   "derivable" means: the indicator vector of that set lies in the linear span of the
   indicator vectors of the published groups. This covers parent minus children, two
   overlapping filters, and two successive exports of the same group.
3. Repair is greedy and deterministic: while a leak exists, hide the published group of the
   current export, in order of (size, id), whose removal removes the leak; if no single group
   does, hide the smallest one and look again. Groups whose set was already published are
   never hidden by the repair (they add nothing to the span). Earlier exports cannot be
   withdrawn.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations

import numpy as np

from pouls_analysis.exceptions import InvalidInputError

__all__ = [
    "MIN_THRESHOLD",
    "Thresholds",
    "PublicationDecision",
    "decide_publication",
    "find_leak",
    "publishable_comments",
]

MIN_THRESHOLD = 3


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Minimum respondents for scores (default 5) and for comments (default 10); never < 3."""

    scores: int = 5
    comments: int = 10

    def __post_init__(self) -> None:
        for name, value in (("scores", self.scores), ("comments", self.comments)):
            if value < MIN_THRESHOLD:
                raise InvalidInputError(
                    f"Threshold {name}={value} is below the floor of {MIN_THRESHOLD}."
                )


@dataclass(frozen=True, slots=True)
class PublicationDecision:
    """Which groups may be published; ``hidden`` maps each hidden group to its reason."""

    published: dict[str, frozenset[str]]
    hidden: dict[str, str] = field(default_factory=dict)


def _atoms(sets: Sequence[frozenset[str]]) -> list[frozenset[str]]:
    signature: dict[str, tuple[int, ...]] = {}
    universe = sorted(set().union(*sets)) if sets else []
    for rid in universe:
        signature[rid] = tuple(i for i, s in enumerate(sets) if rid in s)
    groups: dict[tuple[int, ...], set[str]] = {}
    for rid, sig in signature.items():
        groups.setdefault(sig, set()).add(rid)
    return sorted((frozenset(g) for g in groups.values()), key=lambda a: sorted(a))


def _in_span(matrix: np.ndarray, vector: np.ndarray) -> bool:
    if matrix.shape[0] == 0:
        return False
    base = int(np.linalg.matrix_rank(matrix))
    return int(np.linalg.matrix_rank(np.vstack([matrix, vector]))) == base


def find_leak(
    published_sets: Iterable[frozenset[str]], threshold: int, *, max_small_atoms: int = 16
) -> frozenset[str] | None:
    """Return a set of fewer than ``threshold`` respondents derivable from the published
    sets (its indicator is in their span), or None.

    Any derivable vector is constant on the atoms of the published sets, so a derivable
    small set is a union of small atoms: all such unions are tried (bounded by
    ``max_small_atoms``; beyond it every small atom counts as a leak, which is conservative).
    """
    sets = [s for s in published_sets if s]
    atoms = _atoms(sets)
    if not atoms:
        return None
    matrix = np.array([[1.0 if next(iter(a)) in s else 0.0 for a in atoms] for s in sets])
    small = [i for i, a in enumerate(atoms) if len(a) < threshold]
    if len(small) > max_small_atoms:
        return atoms[small[0]]
    for size in range(1, len(small) + 1):
        for combo in combinations(small, size):
            members = frozenset().union(*(atoms[i] for i in combo))
            if len(members) >= threshold:
                continue
            vector = np.zeros(len(atoms))
            vector[list(combo)] = 1.0
            if _in_span(matrix, vector):
                return members
    return None


def decide_publication(
    groups: Mapping[str, Iterable[str]],
    *,
    threshold: int = 5,
    history: Sequence[Mapping[str, Iterable[str]]] = (),
    check_differencing: bool = True,
) -> PublicationDecision:
    """Decide which groups of this export may be published.

    Parameters
    ----------
    groups : mapping group id -> respondent ids (hierarchy levels and filters alike).
    threshold : minimum respondents (>= 3).
    history : what earlier exports actually published (their ``published`` mappings).
    check_differencing : rule 2; only tests should turn it off.
    """
    Thresholds(scores=threshold, comments=max(threshold, 10))
    sets = {gid: frozenset(members) for gid, members in groups.items()}
    past = [frozenset(s) for export in history for s in export.values()]
    hidden: dict[str, str] = {}
    published: dict[str, frozenset[str]] = {}
    for gid in sorted(sets):
        if len(sets[gid]) < threshold:
            hidden[gid] = f"moins de {threshold} répondants ({len(sets[gid])})"
        else:
            published[gid] = sets[gid]
    if not check_differencing:
        return PublicationDecision(published, hidden)
    already = set(past)
    while published:
        leak = find_leak([*past, *published.values()], threshold)
        if leak is None:
            break
        # A group identical to one published before adds nothing to the span: hiding it
        # cannot remove a leak, so only new sets are candidates (unless there are none).
        new = [g for g in published if published[g] not in already] or list(published)
        order = sorted(new, key=lambda g: (len(published[g]), g))
        victim = order[0]
        for gid in order:
            rest = [s for g, s in published.items() if g != gid]
            if find_leak([*past, *rest], threshold) != leak:
                victim = gid
                break
        hidden[victim] = (
            f"masqué : permettrait de déduire un groupe de {len(leak)} répondant(s) par différence"
        )
        del published[victim]
    return PublicationDecision(published, hidden)


def publishable_comments(
    comments: Sequence[str], *, threshold: int = 10, seed: int = 0
) -> list[str]:
    """Comments of a group, shown only when there are at least ``threshold`` of them,
    shuffled with a fixed seed; callers pass texts only (no dates, no authors)."""
    if threshold < MIN_THRESHOLD:
        raise InvalidInputError(f"Comment threshold {threshold} is below {MIN_THRESHOLD}.")
    if len(comments) < threshold:
        return []
    order = np.random.default_rng(seed).permutation(len(comments))
    return [comments[int(i)] for i in order]
