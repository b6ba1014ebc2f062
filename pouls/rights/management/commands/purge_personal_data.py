from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from pouls.feedback.actions import (
    do_purge_expired_contacts,
    do_purge_orphan_uploads,
    do_purge_stale_uploads,
)
from pouls.rights.customers import do_purge_old_personal_data


class Command(BaseCommand):
    help = (
        "Delete personal data past its time: customers' callback contacts after their "
        "retention period, uploads whose mapping was never confirmed after a day, upload files "
        "no import waits for, and free texts, contacts, quarantined rows and call notes older "
        "than POULS_RETENTION_MONTHS (default 24). Run daily by `pouls worker` (cron "
        "otherwise: pouls manage purge_personal_data)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        contacts = do_purge_expired_contacts()
        uploads = do_purge_stale_uploads() + do_purge_orphan_uploads()
        old = do_purge_old_personal_data()
        self.stdout.write(
            f"{contacts} coordonnée(s) de rappel et {uploads} fichier(s) non importé(s) supprimés."
        )
        self.stdout.write(
            f"Plus de {settings.POULS_RETENTION_MONTHS} mois : {old.texts} texte(s) vidé(s), "
            f"{old.contacts} coordonnée(s), {old.quarantine} ligne(s) en quarantaine et "
            f"{old.call_notes} note(s) d'appel supprimées."
        )
