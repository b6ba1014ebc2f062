from __future__ import annotations

from typing import Any

from cryptography.fernet import Fernet
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import models, transaction
from django.db.models import Value
from django.db.models.functions import Cast

from pouls.feedback.models import CallbackContact
from pouls.lib import contact_crypto


def rotate_all() -> int:
    """Re-encrypt every stored contact with the first key (``MultiFernet.rotate``: any
    configured key opens it); how many rows."""
    done = 0
    # The stored tokens as they are (a plain text cast skips the field's decryption), written
    # back as plain text values (so the field does not encrypt them a second time).
    rows = CallbackContact.objects.annotate(
        token=Cast("contact", output_field=models.TextField())
    ).values_list("pk", "token")
    with transaction.atomic():
        for pk, token in rows.iterator(chunk_size=500):
            fresh = contact_crypto.rotate(token)
            CallbackContact.objects.filter(pk=pk).update(
                contact=Value(fresh, output_field=models.TextField())
            )
            done += 1
    return done


class Command(BaseCommand):
    help = (
        "Rotate the key of customers' contact details. Put the new key first in "
        "POULS_CONTACT_KEY, keep the old one after a comma (POULS_CONTACT_KEY=new,old), run "
        "this command (every contact is re-encrypted with the new key), then remove the old "
        "key. --new-key prints a fresh key. For the demo's generated key file, --generate "
        "does all of it in the data directory."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--new-key", action="store_true", help="print a fresh key and stop")
        parser.add_argument(
            "--generate",
            action="store_true",
            help="demo/debug key file only: add a fresh key, re-encrypt, drop the old keys",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["new_key"]:
            self.stdout.write(Fernet.generate_key().decode())
            return
        if options["generate"]:
            self._generate_in_data_dir()
            return
        count = rotate_all()
        ref = contact_crypto.key_reference()
        self.stdout.write(
            f"{count} coordonnée(s) chiffrée(s) avec la clé {ref['fingerprint']} "
            f"({ref['source']}). Les autres clés de POULS_CONTACT_KEY peuvent être retirées."
        )

    def _generate_in_data_dir(self) -> None:
        if settings.POULS_CONTACT_KEY_SOURCE != "data directory":
            raise CommandError(
                "--generate ne s'applique qu'à la clé générée dans le dossier de données "
                "(démo) ; ailleurs, placez la nouvelle clé en tête de POULS_CONTACT_KEY."
            )
        path = settings.DATA_DIR / settings.CONTACT_KEY_FILE
        old = list(settings.POULS_CONTACT_KEYS)
        new = Fernet.generate_key().decode()
        path.write_text(",".join([new, *old]) + "\n", encoding="utf-8")
        settings.POULS_CONTACT_KEYS = [new, *old]
        count = rotate_all()
        path.write_text(new + "\n", encoding="utf-8")
        settings.POULS_CONTACT_KEYS = [new]
        self.stdout.write(
            f"{count} coordonnée(s) chiffrée(s) avec la nouvelle clé "
            f"{contact_crypto.key_fingerprint(new)} ; l'ancienne clé a été retirée de {path}."
        )
