from django.apps import AppConfig


class WatchConfig(AppConfig):
    name = "pouls.watch"
    label = "watch"
    verbose_name = "Veille"
    default_auto_field = "django.db.models.BigAutoField"
