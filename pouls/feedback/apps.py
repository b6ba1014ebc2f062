from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


def check_contact_key(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """`manage.py check --deploy`: without POULS_CONTACT_KEY, the first consenting customer's
    contact cannot be stored (see pouls.lib.contact_crypto)."""
    from pouls.lib.contact_crypto import ContactKeyError, fernet

    try:
        fernet()
    except ContactKeyError as exc:
        return [checks.Warning(str(exc), id="pouls.W001")]
    return []


class FeedbackConfig(AppConfig):
    name = "pouls.feedback"
    label = "feedback"
    verbose_name = _("Voix du client")

    def ready(self) -> None:
        checks.register(check_contact_key, checks.Tags.security, deploy=True)
