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


def _atoms(sets: Sequence[frozenset[str]]) -> tuple[list[frozenset[str]], np.ndarray]:
    """Atoms (respondents with the same membership pattern), ordered by their smallest
    member, and the sets x atoms incidence matrix. Vectorised: the repair calls this once per
    candidate group (benchmarks/climate_publication.py)."""
    universe = sorted(set().union(*sets)) if sets else []
    if not universe:
        return [], np.zeros((len(sets), 0))
    index = {rid: i for i, rid in enumerate(universe)}
    incidence = np.zeros((len(sets), len(universe)), dtype=bool)
    for j, members in enumerate(sets):
        incidence[j, [index[rid] for rid in members]] = True
    # One opaque byte string per respondent's pattern: np.unique on it is much faster than
    # on the rows of a boolean matrix.
    packed = np.ascontiguousarray(np.packbits(incidence.T, axis=1))
    keys = packed.view(f"V{packed.shape[1]}").ravel()
    _patterns, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
    order = np.argsort(first)
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    grouped: list[list[str]] = [[] for _ in order]
    for rid, atom in zip(universe, rank[np.ravel(inverse)], strict=True):
        grouped[int(atom)].append(rid)
    return [frozenset(g) for g in grouped], incidence[:, first[order]].astype(float)


def _row_basis(matrix: np.ndarray) -> np.ndarray:
    """Orthonormal basis of the row space (rows), computed once per search: testing a
    vector is then a projection, not a rank computation (benchmarks/climate_publication.py)."""
    if matrix.shape[0] == 0:
        return np.zeros((0, matrix.shape[1]))
    _u, singular, vt = np.linalg.svd(matrix, full_matrices=False)
    tol = float(singular.max(initial=0.0)) * max(matrix.shape) * float(np.finfo(float).eps)
    basis: np.ndarray = vt[singular > tol]
    return basis


def _in_span(basis: np.ndarray, vector: np.ndarray) -> bool:
    if basis.shape[0] == 0:
        return False
    residual = vector - basis.T @ (basis @ vector)
    return bool(np.linalg.norm(residual) <= 1e-8 * max(1.0, float(np.linalg.norm(vector))))


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
    atoms, matrix = _atoms(sets)
    if not atoms:
        return None
    small = [i for i, a in enumerate(atoms) if len(a) < threshold]
    if len(small) > max_small_atoms:
        return atoms[small[0]]
    basis = _row_basis(matrix)
    sizes = [len(a) for a in atoms]
    # Every atom has at least one member: unions of threshold atoms or more are never small.
    for size in range(1, min(len(small), threshold - 1) + 1):
        for combo in combinations(small, size):
            if sum(sizes[i] for i in combo) >= threshold:
                continue
            vector = np.zeros(len(atoms))
            vector[list(combo)] = 1.0
            if _in_span(basis, vector):
                return frozenset().union(*(atoms[i] for i in combo))
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
