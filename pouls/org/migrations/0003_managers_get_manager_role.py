"""Existing grants move to the new role model: a viewer who is the manager (a ``Person`` of
kind manager linked to their login) of a perimeter within the grant runs its rituals, so their
grant becomes ``manager``. Reverse: every ``manager`` grant becomes ``viewer`` again (the role
did not exist before)."""

from __future__ import annotations

from typing import Any

from django.db import migrations


def forwards(apps: Any, schema_editor: Any) -> None:
    Grant = apps.get_model("org", "Grant")
    Person = apps.get_model("org", "Person")
    managers = {
        user_id: path
        for user_id, path in Person.objects.filter(
            kind="manager", is_active=True, user__isnull=False
        ).values_list("user_id", "perimeter__path")
    }
    promoted = [
        grant.pk
        for grant in Grant.objects.filter(role="viewer", user_id__in=list(managers)).select_related(
            "perimeter"
        )
        if managers[grant.user_id].startswith(grant.perimeter.path)
    ]
    Grant.objects.filter(pk__in=promoted).update(role="manager")


def backwards(apps: Any, schema_editor: Any) -> None:
    apps.get_model("org", "Grant").objects.filter(role="manager").update(role="viewer")


class Migration(migrations.Migration):
    dependencies = [("org", "0002_grant_manager_role")]

    operations = [migrations.RunPython(forwards, backwards)]
