"""What the navigation offers a person: only the entries their roles allow (a context
processor, so that every page's menu agrees with the scoping)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from pouls.lib.scoping import may_act_somewhere
from pouls.org.models import Person

SELLER_KINDS = (Person.Kind.SELLER, Person.Kind.ADVISOR)


def is_seller(user: Any) -> bool:
    """Whether ``user`` is linked to an active seller or advisor record (« Mon pouls »)."""
    if user is None or not user.is_authenticated:
        return False
    return Person.objects.filter(user=user, kind__in=SELLER_KINDS, is_active=True).exists()


def _seller_flag(request: HttpRequest, user: Any) -> bool:
    """Remembered in the session at login and each minute (pouls.org.sessions); asked
    directly where no session is at hand."""
    session = getattr(request, "session", None)
    if session is not None and "_pouls_seller" in session:
        return bool(session["_pouls_seller"])
    return is_seller(user)


def access(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {
            "access": {},
            "sso_enabled": bool(settings.OIDC_RP_CLIENT_ID),
            "local_passwords": "django.contrib.auth.backends.ModelBackend"
            in settings.AUTHENTICATION_BACKENDS,
        }
    sees = may_act_somewhere(user, "view")
    return {
        "access": {
            "feed": sees,
            "my_pulse": _seller_flag(request, user),
            "field_report": sees,
            "imports": may_act_somewhere(user, "analyze"),
            "surveys": sees,
            "climate": sees,
            "people": may_act_somewhere(user, "admin"),
        }
    }
