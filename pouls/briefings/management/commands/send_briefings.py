"""``pouls manage send_briefings [--today AAAA-MM-JJ]``: build and e-mail the scheduled
team briefings that are due (run daily, e.g. at 7:00 before the morning briefing)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from pouls.briefings.mail import send_scheduled_briefings


class Command(BaseCommand):
    help = (
        "Build each due scheduled briefing within its recipient's scope, keep it and e-mail "
        "it as Markdown (daily ones every day, weekly ones once a week from Monday)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--today", help="date to act as today, AAAA-MM-JJ (default: today's date)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = None
        if options.get("today"):
            try:
                today = dt.date.fromisoformat(options["today"])
            except ValueError as exc:
                raise CommandError(
                    f"--today={options['today']!r} n'est pas une date ; format attendu AAAA-MM-JJ."
                ) from exc
        report = send_scheduled_briefings(today)
        self.stdout.write(f"{report.sent} points d'équipe envoyés, {report.skipped} ignorés")
