from django.apps import AppConfig


class RollupsConfig(AppConfig):
    name = "pouls.rollups"
    label = "rollups"
    verbose_name = "Agrégats"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from pouls.annotations.signals import analysis_finished
        from pouls.rollups.tasks import refresh_after_analysis

        analysis_finished.connect(refresh_after_analysis, dispatch_uid="rollups-refresh")
