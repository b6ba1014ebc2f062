"""E-mail reminders for callbacks past their SLA."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from pouls.callbacks.actions import do_remind_overdue


class Command(BaseCommand):
    help = (
        "E-mails the assigned seller (else the perimeter's analysts and admins) about "
        "callbacks still open after their SLA (POULS_CALLBACK_SLA_HOURS); at most one "
        "reminder a day per callback. Run it hourly or daily."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        sent = do_remind_overdue()
        self.stdout.write(f"{sent} e-mail(s) de relance envoyé(s)")
