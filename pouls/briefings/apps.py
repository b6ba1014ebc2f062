from __future__ import annotations

from django.apps import AppConfig


class BriefingsConfig(AppConfig):
    name = "pouls.briefings"
    label = "briefings"
    verbose_name = "Points d'équipe"
