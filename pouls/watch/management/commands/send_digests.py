"""``pouls manage send_digests``: e-mail each subscriber's « Quoi de neuf ? » (run daily)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from pouls.watch.digest import send_digests


class Command(BaseCommand):
    help = "E-mail « Quoi de neuf ? » to each subscriber, within what each may see; run daily."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{send_digests()} résumés envoyés")
