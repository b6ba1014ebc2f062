"""``pouls manage rebuild_rollups``: rebuild every rollup (after reorganising the tree)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from pouls.rollups.fill import rebuild_all, refresh


class Command(BaseCommand):
    help = (
        "Rebuild the pre-aggregated figures the dashboards read: all of them with --all "
        "(needed after moving perimeters in the tree), else only what changed."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--all", action="store_true", help="forget and rebuild everything")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        periods = rebuild_all() if options["all"] else refresh()
        self.stdout.write(
            f"{periods} périodes recalculées en {time.perf_counter() - started:.1f} s"
        )
