from django.apps import AppConfig


class ClimateConfig(AppConfig):
    name = "pouls.climate"
    label = "climate"
    verbose_name = "Écoute des collaborateurs"
    default_auto_field = "django.db.models.BigAutoField"
