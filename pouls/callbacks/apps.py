from django.apps import AppConfig


class CallbacksConfig(AppConfig):
    name = "pouls.callbacks"
    label = "callbacks"
    verbose_name = "Rappels clients"
    default_auto_field = "django.db.models.BigAutoField"
