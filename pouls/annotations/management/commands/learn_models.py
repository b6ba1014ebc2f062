"""``pouls manage learn_models``: learn the theme model from the analysts' corrections."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from pouls.annotations.learning import learn_theme_model
from pouls.annotations.services import annotate_pending


class Command(BaseCommand):
    help = (
        "Learn the theme model from the analysts' theme corrections (kept only for themes "
        "where it beats the shipped rules), then re-annotate every text with it."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--force", action="store_true", help="fit again even if nothing changed"
        )
        parser.add_argument(
            "--no-annotate",
            action="store_true",
            help="only learn; the worker re-annotates the texts later",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        result = learn_theme_model(force=options["force"])
        self.stdout.write(result.summary())
        if result.changed and not options["no_annotate"]:
            from pouls.annotations.models import Annotation
            from pouls.annotations.signals import analysis_finished

            done = annotate_pending()
            analysis_finished.send(sender=Annotation)
            self.stdout.write(f"{done} textes ré-analysés.")
