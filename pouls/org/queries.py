"""Read helpers for the perimeter tree, always scoped to the user."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pouls.org.models import Account, Grant, Perimeter, Person, path_prefixes


def list_perimeters(user: Any) -> list[Perimeter]:
    """Every perimeter the user may see, in tree order."""
    return list(Perimeter.objects.for_user(user).order_by("path"))


def list_subtree_ids(user: Any, perimeter: Perimeter) -> list[int]:
    """IDs of ``perimeter`` and its descendants that the user may see."""
    return list(
        Perimeter.objects.for_user(user)
        .filter(path__startswith=perimeter.path)
        .values_list("pk", flat=True)
    )


def list_breadcrumb(user: Any, perimeter: Perimeter) -> list[Perimeter]:
    """The visible ancestors of ``perimeter`` from the top, then the perimeter itself."""
    prefixes = path_prefixes(perimeter.path)
    return list(Perimeter.objects.for_user(user).filter(path__in=prefixes).order_by("depth"))


def list_children(user: Any, perimeter: Perimeter) -> list[Perimeter]:
    return list(
        Perimeter.objects.for_user(user).filter(parent_id=perimeter.pk).order_by("kind", "name")
    )


def list_routing_departments() -> list[Perimeter]:
    """Back-office departments anyone may address a field report to (seed 001: involve the
    whole company). Their names are organisation-wide knowledge; nothing else about them is
    shown to the sender, and what they receive stays in their own scope."""
    return list(Perimeter.objects.filter(kind=Perimeter.Kind.DEPARTMENT).order_by("name"))


@dataclass(frozen=True, slots=True)
class AccessRow:
    """One perimeter of the access tree and the grants placed on it."""

    perimeter: Perimeter
    level: int
    grants: list[Grant]


def list_access_tree(user: Any) -> list[AccessRow]:
    """The perimeters ``user`` administers, in tree order, each with its grants (two queries)."""
    perimeters = list(Perimeter.objects.for_user(user, "admin").order_by("path"))
    grants: dict[int, list[Grant]] = {}
    for grant in (
        Grant.objects.for_user(user, "admin")
        .select_related("user")
        .order_by("user__last_name", "user__username")
    ):
        grants.setdefault(grant.perimeter_id, []).append(grant)
    top = min((p.depth for p in perimeters), default=0)
    return [AccessRow(p, p.depth - top, grants.get(p.pk, [])) for p in perimeters]


def list_accounts(user: Any) -> list[Account]:
    """The accounts whose home is in a perimeter ``user`` administers."""
    return list(
        Account.objects.for_user(user, "admin")
        .select_related("user", "perimeter")
        .order_by("user__last_name", "user__first_name", "user__username")
    )


def list_visible_tree(user: Any, account: Account) -> list[tuple[Perimeter, str]]:
    """What the account's login can see, within what ``user`` administers: each perimeter with
    the role that reaches it (the strongest grant covering it)."""
    order = {role: i for i, role in enumerate(Grant.Role.values)}
    grants = list(
        Grant.objects.filter(user_id=account.user_id).values_list("perimeter__path", "role")
    )
    rows = []
    for perimeter in Perimeter.objects.for_user(user, "admin").order_by("path"):
        roles = [role for path, role in grants if perimeter.path.startswith(path)]
        if roles:
            rows.append((perimeter, str(Grant.Role(max(roles, key=order.__getitem__)).label)))
    return rows


def list_account_grants(user: Any, account: Account) -> list[Grant]:
    return list(
        Grant.objects.for_user(user, "admin")
        .filter(user_id=account.user_id)
        .select_related("perimeter")
        .order_by("perimeter__path")
    )


def get_linked_person(user: Any, account: Account) -> Person | None:
    return (
        Person.objects.for_user(user, "admin")
        .filter(user_id=account.user_id)
        .select_related("perimeter")
        .first()
    )
