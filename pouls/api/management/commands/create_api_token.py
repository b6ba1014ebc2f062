from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from pouls.api.tokens import do_create_token


class Command(BaseCommand):
    help = (
        "Create a personal API token for USERNAME and print it (shown once, stored hashed); "
        "it acts with that user's perimeters and roles."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("username", help="the login the token acts as")
        parser.add_argument("--read-only", action="store_true", help="a token that cannot write")
        parser.add_argument("--name", default="ligne de commande", help="a label for the token")

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None or not user.is_active:
            raise CommandError(f"no active user {options['username']!r}")
        token, value = do_create_token(user, name=options["name"], read_only=options["read_only"])
        self.stdout.write(value)
