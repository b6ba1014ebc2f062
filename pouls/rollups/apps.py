from django.apps import AppConfig


class RollupsConfig(AppConfig):
    name = "pouls.rollups"
    label = "rollups"
    verbose_name = "Agrégats"
    default_auto_field = "django.db.models.BigAutoField"
