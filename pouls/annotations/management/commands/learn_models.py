"""``pouls manage learn_models``: learn the theme model from the analysts' corrections and
the sentiment model from the scores that came with the texts."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from pouls.annotations.learning import learn_sentiment_model, learn_theme_model
from pouls.annotations.services import annotate_pending


class Command(BaseCommand):
    help = (
        "Learn the theme model from the analysts' theme corrections (kept only for themes "
        "where it beats the shipped rules) and the sentiment model from the NPS scores of "
        "the texts (kept only if it beats the shipped lexicon), then re-annotate every text."
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
        themes = learn_theme_model(force=options["force"])
        self.stdout.write(themes.summary())
        sentiment = learn_sentiment_model(force=options["force"])
        self.stdout.write(sentiment.summary())
        if (themes.changed or sentiment.changed) and not options["no_annotate"]:
            from pouls.chain import after_analysis

            done = annotate_pending()
            after_analysis()
            self.stdout.write(f"{done} textes ré-analysés.")
