"""``pouls manage detect_signals [--weeks 8]``: look for weak signals in the last weeks."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from pouls.watch.detection import detect_recent


class Command(BaseCommand):
    help = (
        "Test each theme x store or department for a surge of complaints over the last "
        "complete weeks (the worker does it after every import)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--weeks", type=int, default=8, help="weeks to scan, oldest first")

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{detect_recent(max(1, options['weeks']))} signaux nouveaux ou suivis")
