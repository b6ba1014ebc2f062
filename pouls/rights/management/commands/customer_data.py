from __future__ import annotations

import csv
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pouls.rights.customers import (
    do_erase_customer,
    export_csv_rows,
    export_json,
    find_customer_data,
)


class Command(BaseCommand):
    help = (
        "Customers' rights (GDPR art. 15 and 17) for the whole organisation: from an e-mail "
        "or a phone number, count what Pouls holds about that person, export it (--export "
        "json|csv, to --output or the standard output), or erase it (--erase --yes). The "
        "erasure leaves an audit line with counts only."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("identity", help="e-mail or phone number given by the customer")
        parser.add_argument("--export", choices=["json", "csv"])
        parser.add_argument("--output", type=Path)
        parser.add_argument("--erase", action="store_true")
        parser.add_argument("--yes", action="store_true", help="confirm the erasure")

    def handle(self, *args: Any, **options: Any) -> None:
        identity = str(options["identity"])
        if options["erase"]:
            if not options["yes"]:
                raise CommandError("L'effacement est définitif : ajoutez --yes pour confirmer.")
            erased = do_erase_customer(None, identity)
            self.stdout.write(
                f"Effacé : {erased.feedback} retour(s), {erased.contacts} coordonnée(s), "
                f"{erased.callbacks} rappel(s), {erased.call_logs} appel(s), "
                f"{erased.quarantine} ligne(s) en quarantaine, {erased.invitations} "
                f"invitation(s) ; {erased.periods_refreshed} période(s) recalculée(s)."
            )
            return
        data = find_customer_data(None, identity)
        if options["export"]:
            out = (
                options["output"].open("w", encoding="utf-8", newline="")
                if options["output"]
                else sys.stdout
            )
            try:
                if options["export"] == "json":
                    out.write(export_json(data) + "\n")
                else:
                    csv.writer(out, delimiter=";").writerows(export_csv_rows(data))
            finally:
                if out is not sys.stdout:
                    out.close()
            return
        self.stdout.write(
            f"Trouvé : {len(data.feedback)} retour(s), {len(data.contacts)} coordonnée(s), "
            f"{len(data.callbacks)} rappel(s), {len(data.call_logs)} appel(s), "
            f"{len(data.quarantine)} ligne(s) en quarantaine, {len(data.invitations)} "
            "invitation(s)."
        )
