from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "pouls.org"
    label = "org"
    verbose_name = _("Organisation")

    def ready(self) -> None:
        # Connects the login hook that starts the idle-session clock.
        from pouls.org import sessions  # noqa: F401
