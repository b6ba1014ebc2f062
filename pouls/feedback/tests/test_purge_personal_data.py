from __future__ import annotations

import datetime as dt
import io

from django.core.management import call_command
from django.utils import timezone

from pouls.feedback.models import CallbackContact
from pouls.testing import Personas, make_feedback


def test_expired_contacts_are_purged_and_fresh_ones_kept(personas: Personas) -> None:
    now = timezone.now()
    for days, contact in ((-1, "ancien@example.com"), (30, "recent@example.com")):
        feedback = make_feedback(perimeter=personas.lille)
        CallbackContact.objects.create(
            feedback=feedback,
            perimeter=personas.lille,
            contact=contact,
            expires_at=now + dt.timedelta(days=days),
        )
    out = io.StringIO()
    call_command("purge_personal_data", stdout=out)
    assert "1 coordonnée(s) de rappel et 0 fichier" in out.getvalue()
    assert list(CallbackContact.objects.values_list("contact", flat=True)) == ["recent@example.com"]


def test_unconfirmed_uploads_are_deleted_after_a_day(
    personas: Personas, settings: object, tmp_path: object
) -> None:
    import pathlib

    from pouls.feedback.models import Import

    settings.UPLOAD_DIR = tmp_path  # type: ignore[attr-defined]
    folder = pathlib.Path(str(tmp_path))
    for age, name in ((2, "old.csv"), (0, "new.csv")):
        (folder / name).write_text("raw")
        batch = Import.objects.create(
            perimeter=personas.lille, file_name=name, file_sha256="", upload_name=name
        )
        Import.objects.filter(pk=batch.pk).update(
            created_at=timezone.now() - dt.timedelta(days=age)
        )
    call_command("purge_personal_data", stdout=io.StringIO())
    assert sorted(p.name for p in folder.iterdir()) == ["new.csv"]
    assert Import.objects.get(file_name="old.csv").status == Import.Status.FAILED
