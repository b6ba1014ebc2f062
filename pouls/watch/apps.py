from django.apps import AppConfig


class WatchConfig(AppConfig):
    name = "pouls.watch"
    label = "watch"
    verbose_name = "Veille"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from pouls.annotations.signals import analysis_finished
        from pouls.watch.detection import detect_after_analysis

        # Connected after the rollups' receiver (app order): detection reads fresh rollups.
        analysis_finished.connect(detect_after_analysis, dispatch_uid="watch-detect")
