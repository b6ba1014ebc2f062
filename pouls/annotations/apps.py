from django.apps import AppConfig


class AnnotationsConfig(AppConfig):
    name = "pouls.annotations"
    label = "annotations"
    verbose_name = "Analyse des textes"
    default_auto_field = "django.db.models.BigAutoField"
