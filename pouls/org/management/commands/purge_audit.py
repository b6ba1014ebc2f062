from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from pouls.lib.audit import do_purge_audit


class Command(BaseCommand):
    help = (
        "Delete audit events older than POULS_AUDIT_RETENTION_DAYS (default 400). Run it "
        "daily (cron: pouls manage purge_audit)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        deleted = do_purge_audit()
        self.stdout.write(f"{deleted} événement(s) d'audit supprimé(s).")
