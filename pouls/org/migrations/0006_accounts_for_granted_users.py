"""Logins that already hold grants get an account, so that the admins of their perimeter can
manage them: its home is their highest granted perimeter (the shallowest, then the first
path). Reverse: accounts are dropped (the logins and grants stay)."""

from __future__ import annotations

from typing import Any

from django.db import migrations


def forwards(apps: Any, schema_editor: Any) -> None:
    Account = apps.get_model("org", "Account")
    Grant = apps.get_model("org", "Grant")
    home: dict[int, int] = {}
    for user_id, perimeter_id in Grant.objects.order_by(
        "perimeter__depth", "perimeter__path"
    ).values_list("user_id", "perimeter_id"):
        home.setdefault(user_id, perimeter_id)
    existing = set(Account.objects.values_list("user_id", flat=True))
    Account.objects.bulk_create(
        Account(user_id=user_id, perimeter_id=perimeter_id)
        for user_id, perimeter_id in home.items()
        if user_id not in existing
    )


def backwards(apps: Any, schema_editor: Any) -> None:
    apps.get_model("org", "Account").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("org", "0005_add_account")]

    operations = [migrations.RunPython(forwards, backwards)]
