"""Read helpers for the perimeter tree, always scoped to the user."""

from __future__ import annotations

from typing import Any

from pouls.org.models import Perimeter, path_prefixes


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
