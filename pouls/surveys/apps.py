from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "pouls.surveys"
    label = "surveys"
    verbose_name = "Enquêtes clients"
    default_auto_field = "django.db.models.BigAutoField"
