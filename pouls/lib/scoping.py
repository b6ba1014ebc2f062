"""Perimeter scoping: the one entry point that restricts rows to what a user may see.

Every model holding perimeter data uses ``ScopedQuerySet.as_manager()`` and every query made
for a person goes through ``Model.objects.for_user(user, action)`` or
``get_for_user_or_404``. Outside the user's scope a row answers 404 (its existence is not
revealed); inside it but without the right for the action, 403.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.http import Http404

Action = Literal["view", "analyze", "change", "delete", "admin"]

# Which grant roles allow each action (roles cover the perimeter and all its descendants).
ROLES_FOR_ACTION: dict[str, frozenset[str]] = {
    "view": frozenset({"viewer", "analyst", "admin"}),
    "analyze": frozenset({"analyst", "admin"}),
    "change": frozenset({"analyst", "admin"}),
    "delete": frozenset({"admin"}),
    "admin": frozenset({"admin"}),
}

_CACHE_ATTR = "_pouls_scope_cache"

M = TypeVar("M", bound=models.Model)


def allowed_perimeter_ids(user: Any, action: Action = "view") -> frozenset[int]:
    """IDs of the perimeters ``user`` may reach for ``action``, cached on the user object.

    The user object lives for one request, so the set is computed once per request.
    """
    if action not in ROLES_FOR_ACTION:
        raise ValueError(f"unknown action {action!r}; accepted: {', '.join(ROLES_FOR_ACTION)}")
    cache: dict[str, frozenset[int]] = getattr(user, _CACHE_ATTR, None) or {}
    if action in cache:
        return cache[action]
    from pouls.org.models import Grant, Perimeter

    paths = list(
        Grant.objects.filter(user_id=user.pk, role__in=ROLES_FOR_ACTION[action]).values_list(
            "perimeter__path", flat=True
        )
    )
    ids: frozenset[int] = frozenset()
    if paths:
        query = Q()
        for path in paths:
            query |= Q(path__startswith=path)
        ids = frozenset(Perimeter.objects.filter(query).values_list("pk", flat=True))
    cache[action] = ids
    setattr(user, _CACHE_ATTR, cache)
    return ids


def forget_scope(user: Any) -> None:
    """Drop the cached scope (after grants change within the same request or test)."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


class ScopedQuerySet(models.QuerySet[M]):
    """QuerySet with ``for_user``; models set ``scope_field`` when it is not ``perimeter_id``."""

    def _scope_field(self) -> str:
        return str(getattr(self.model, "scope_field", "perimeter_id"))

    def for_user(self, user: Any, action: Action = "view") -> ScopedQuerySet[M]:
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self.all()
        # Some rows (customers' contact details) are not for viewers: the model raises the bar.
        if action == "view":
            action = getattr(self.model, "view_action", "view")
        ids = allowed_perimeter_ids(user, action)
        return self.filter(**{f"{self._scope_field()}__in": ids})


def get_for_user_or_404(model: type[M], user: Any, code: object, action: Action = "view") -> M:
    """The row with this public ``code`` if the user may see it, else 404.

    A row the user may see but not act on (``action`` other than view) gives 403.
    """
    manager: Any = model._default_manager  # every scoped model's default manager is scoped
    try:
        obj: M = manager.for_user(user, "view").get(code=code)
    except (model.DoesNotExist, ValidationError, ValueError, TypeError) as exc:  # type: ignore[attr-defined]
        raise Http404 from exc
    if action != "view" and not manager.for_user(user, action).filter(pk=obj.pk).exists():
        raise PermissionDenied
    return obj


def save_for_user(obj: M, user: Any, save: Callable[[], None] | None = None) -> M:
    """Save ``obj`` then check the user may still change it; otherwise roll back (403).

    This closes the gap of moving a row into a perimeter the user cannot reach.
    """
    manager: Any = type(obj)._default_manager
    with transaction.atomic():
        (save or obj.save)()
        if not manager.for_user(user, "change").filter(pk=obj.pk).exists():
            raise PermissionDenied
    return obj
