from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from pouls.feedback.actions import (
    do_purge_expired_contacts,
    do_purge_orphan_uploads,
    do_purge_stale_uploads,
)


class Command(BaseCommand):
    help = (
        "Delete personal data past its time: customers' callback contacts after their "
        "retention period, uploads whose mapping was never confirmed after a day, upload files "
        "no import waits for. Run it "
        "daily (cron: pouls manage purge_personal_data)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        contacts = do_purge_expired_contacts()
        uploads = do_purge_stale_uploads() + do_purge_orphan_uploads()
        self.stdout.write(
            f"{contacts} coordonnée(s) de rappel et {uploads} fichier(s) non importé(s) supprimés."
        )
