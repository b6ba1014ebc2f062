"""``pouls manage detect_candidate_themes``: surging groups of texts no theme covers."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from pouls.lib.dates import week_start
from pouls.watch.candidates import scan_candidates
from pouls.watch.detection import last_complete_week


class Command(BaseCommand):
    help = (
        "Group the texts no theme covers, per store or department, and keep the groups whose "
        "count surges in the last complete week as candidate themes; run daily."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--week", help="a day of the week to test (YYYY-MM-DD)")

    def handle(self, *args: Any, **options: Any) -> None:
        week = last_complete_week()
        if options["week"]:
            try:
                week = week_start(dt.date.fromisoformat(options["week"]))
            except ValueError as exc:
                raise CommandError(
                    f"Date illisible : {options['week']!r} (attendu AAAA-MM-JJ)."
                ) from exc
        self.stdout.write(f"{scan_candidates(week)} thèmes candidats la semaine du {week}")
