"""Single sign-on with OpenID Connect (mozilla-django-oidc), configured by POULS_OIDC_*.

The login is the e-mail claim. When ``POULS_OIDC_GRANTS_CLAIM`` is set, that claim is the
source of truth for the user's grants at every login: a list of ``"<perimeter ref>:<role>"``
strings (for example an IdP group mapping ``MAG-LIL-01:manager``); grants it no longer lists
are removed, unknown references and roles are ignored. A user without the claim gets no grant
and sees nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from pouls.lib.audit import do_audit
from pouls.org.models import Account, AuditEvent, Grant, Perimeter

logger = logging.getLogger(__name__)


def parse_grants(value: Any) -> dict[str, str]:
    """``["REF:role", ...]`` (or one string) -> {ref: role}; invalid entries are skipped."""
    items = [value] if isinstance(value, str) else value if isinstance(value, list) else []
    wanted: dict[str, str] = {}
    for item in items:
        ref, sep, role = str(item).rpartition(":")
        if sep and ref and role in Grant.Role.values:
            wanted[ref] = role
    return wanted


@transaction.atomic
def sync_grants(user: Any, claims: dict[str, Any]) -> None:
    """Make the user's grants those the claim lists (audited, actor: the identity provider)."""
    wanted = parse_grants(claims.get(settings.POULS_OIDC_GRANTS_CLAIM))
    perimeters = {p.ref: p for p in Perimeter.objects.filter(ref__in=list(wanted))}
    if len(perimeters) < len(wanted):
        logger.warning(
            "oidc grants: %d unknown perimeter references", len(wanted) - len(perimeters)
        )
    current = {g.perimeter_id: g for g in Grant.objects.filter(user=user)}
    keep: set[int] = set()
    for ref, perimeter in perimeters.items():
        keep.add(perimeter.pk)
        grant = current.get(perimeter.pk)
        if grant is None or grant.role != wanted[ref]:
            Grant.objects.update_or_create(
                user=user, perimeter=perimeter, defaults={"role": wanted[ref]}
            )
            do_audit(
                None,
                AuditEvent.Action.GRANT_SET,
                perimeter=perimeter,
                target=user.get_username(),
                detail={"role": wanted[ref], "kind": "oidc"},
            )
    for perimeter_id, grant in current.items():
        if perimeter_id not in keep:
            grant.delete()
            do_audit(
                None,
                AuditEvent.Action.GRANT_REMOVED,
                perimeter=perimeter_id,
                target=user.get_username(),
                detail={"previous_role": grant.role, "kind": "oidc"},
            )
    if keep and not Account.objects.filter(user=user).exists():
        home = min((p for p in perimeters.values() if p.pk in keep), key=lambda p: p.path)
        Account.objects.create(user=user, perimeter=home)


class PoulsOIDCBackend(OIDCAuthenticationBackend):  # type: ignore[misc]
    """mozilla-django-oidc's backend, plus: issuer and audience checked, the login is the
    e-mail, names from the profile claims, grants from the configured claim."""

    def verify_token(self, token: str, **kwargs: Any) -> dict[str, Any]:
        payload: dict[str, Any] = super().verify_token(token, **kwargs)
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if settings.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("id_token audience is not this client")
        issuer = settings.POULS_OIDC_ISSUER
        if issuer and payload.get("iss") != issuer:
            raise SuspiciousOperation("id_token issuer is not the configured one")
        return payload

    def create_user(self, claims: dict[str, Any]) -> Any:
        email = str(claims["email"]).strip().lower()
        user = self.UserModel(
            username=email,
            email=email,
            first_name=str(claims.get("given_name", ""))[:150],
            last_name=str(claims.get("family_name", ""))[:150],
        )
        user.set_unusable_password()
        user.save()
        logger.info("oidc login created user %s", user.pk)
        return self.update_user(user, claims)

    def update_user(self, user: Any, claims: dict[str, Any]) -> Any:
        if settings.POULS_OIDC_GRANTS_CLAIM:
            sync_grants(user, claims)
        return user


def sso_view(kind: str) -> Callable[..., HttpResponse]:
    """mozilla-django-oidc's request or callback view, answering 404 while SSO is off."""
    from mozilla_django_oidc import views

    view = (
        views.OIDCAuthenticationRequestView
        if kind == "request"
        else views.OIDCAuthenticationCallbackView
    ).as_view()

    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not settings.OIDC_RP_CLIENT_ID:
            raise Http404
        response: HttpResponse = view(request, *args, **kwargs)
        return response

    return guarded
