from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "pouls.ops"
    label = "ops"
    verbose_name = "Exploitation"
    default_auto_field = "django.db.models.BigAutoField"
