from django.apps import AppConfig


class CallbacksConfig(AppConfig):
    name = "pouls.callbacks"
    label = "callbacks"
    verbose_name = "Rappels clients"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from pouls.annotations.signals import analysis_finished, annotated
        from pouls.callbacks.actions import queue_after_analysis, queue_after_annotation

        # Passives enter the queue only once their text's sentiment is known; detractors
        # imported without a text are swept after each analysis pass.
        annotated.connect(queue_after_annotation, dispatch_uid="callbacks-queue")
        analysis_finished.connect(queue_after_analysis, dispatch_uid="callbacks-sweep")
