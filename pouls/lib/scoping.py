"""Perimeter scoping: the one entry point that restricts rows to what a user may see.

Every model holding perimeter data uses ``ScopedQuerySet.as_manager()`` and every query made
for a person goes through ``Model.objects.for_user(user, action)`` or
``get_for_user_or_404``. Outside the user's scope a row answers 404 (its existence is not
revealed); inside it but without the right for the action, 403.

Roles and what they may do (docs/access.md):

- ``viewer`` (Lecture) reads the dashboards, verbatims, briefings and results of the
  perimeter;
- ``manager`` (Manager) also runs the rituals of the perimeter (action ``run``): prepares and
  presents the team briefing, records commitments, calls back customers (their contact
  details) and logs the calls — without importing data, correcting themes or managing access;
- ``analyst`` (Analyste) also imports, corrects the analysis, exports, runs climate campaigns
  (actions ``analyze`` and ``change``);
- ``admin`` (Administration) also manages people, access, perimeters and surveys, and reads
  the audit trail (actions ``delete`` and ``admin``).

Every write asks one predicate, :func:`may_act`, directly or through :func:`save_for_user`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.http import Http404

Action = Literal["view", "run", "analyze", "change", "delete", "admin"]

# Which grant roles allow each action (roles cover the perimeter and all its descendants).
ROLES_FOR_ACTION: dict[str, frozenset[str]] = {
    "view": frozenset({"viewer", "manager", "analyst", "admin"}),
    "run": frozenset({"manager", "analyst", "admin"}),
    "analyze": frozenset({"analyst", "admin"}),
    "change": frozenset({"analyst", "admin"}),
    "delete": frozenset({"admin"}),
    "admin": frozenset({"admin"}),
}

_CACHE_ATTR = "_pouls_scope_cache"

M = TypeVar("M", bound=models.Model)


def _grants(user: Any) -> list[tuple[str, str]]:
    """The user's grants as (role, perimeter path), read once per request (cached)."""
    cache: dict[str, Any] = getattr(user, _CACHE_ATTR, None) or {}
    if "grants" not in cache:
        from pouls.org.models import Grant

        cache["grants"] = list(
            Grant.objects.filter(user_id=user.pk).values_list("role", "perimeter__path")
        )
        setattr(user, _CACHE_ATTR, cache)
    grants: list[tuple[str, str]] = cache["grants"]
    return grants


def allowed_perimeter_ids(user: Any, action: Action = "view") -> frozenset[int]:
    """IDs of the perimeters ``user`` may reach for ``action``, cached on the user object.

    The user object lives for one request, so the set is computed once per request.
    """
    if action not in ROLES_FOR_ACTION:
        raise ValueError(f"unknown action {action!r}; accepted: {', '.join(ROLES_FOR_ACTION)}")
    paths = [path for role, path in _grants(user) if role in ROLES_FOR_ACTION[action]]
    cache: dict[str, Any] = getattr(user, _CACHE_ATTR)
    if action in cache:
        ids: frozenset[int] = cache[action]
        return ids
    from pouls.org.models import Perimeter

    ids = frozenset()
    if paths:
        query = Q()
        for path in paths:
            query |= Q(path__startswith=path)
        ids = frozenset(Perimeter.objects.filter(query).values_list("pk", flat=True))
    cache[action] = ids
    return ids


def may_act(user: Any, action: Action, perimeter_id: int | None) -> bool:
    """THE predicate of every write: may ``user`` do ``action`` on ``perimeter_id``?

    Superusers may do everything; anonymous and inactive users nothing.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return perimeter_id is not None and perimeter_id in allowed_perimeter_ids(user, action)


def may_act_somewhere(user: Any, action: Action) -> bool:
    """Whether ``user`` may do ``action`` on at least one perimeter (menus, « new » buttons)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    # A grant always covers its own perimeter: no need to list the perimeters.
    roles = ROLES_FOR_ACTION[action]
    return bool(user.is_superuser or any(role in roles for role, _ in _grants(user)))


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
    if action != "view" and not may_act(user, action, scope_of(obj)):
        raise PermissionDenied
    return obj


def scope_of(obj: models.Model) -> int | None:
    """The perimeter id that scopes ``obj`` (its ``scope_field``, ``perimeter_id`` by default)."""
    value = getattr(obj, str(getattr(type(obj), "scope_field", "perimeter_id")))
    return None if value is None else int(value)


def save_for_user(
    obj: M, user: Any, save: Callable[[], None] | None = None, action: Action = "change"
) -> M:
    """Save ``obj`` then check the user may still do ``action`` on it; otherwise roll back
    (403).

    This closes the gap of moving a row into a perimeter the user cannot reach.
    """
    with transaction.atomic():
        (save or obj.save)()
        if not may_act(user, action, scope_of(obj)):
            raise PermissionDenied
    return obj
