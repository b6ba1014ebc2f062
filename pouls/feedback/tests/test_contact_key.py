"""Issue 18 item 5: contacts encrypted with a key kept outside the database, and its rotation."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from pouls.feedback.models import CallbackContact
from pouls.lib import contact_crypto
from pouls.testing import Personas, make_feedback

OLD, NEW = Fernet.generate_key().decode(), Fernet.generate_key().decode()


def _stored() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT contact FROM feedback_callbackcontact ORDER BY id")
        return [row[0] for row in cursor.fetchall()]


def _contact(personas: Personas, value: str) -> CallbackContact:
    return CallbackContact.objects.create(
        feedback=make_feedback(perimeter=personas.lille, nps=2),
        perimeter=personas.lille,
        contact=value,
        expires_at=timezone.now() + dt.timedelta(days=30),
    )


def test_the_column_holds_ciphertext_and_the_orm_reads_clear(personas: Personas) -> None:
    _contact(personas, "06 12 34 56 78")
    (token,) = _stored()
    assert token.startswith(contact_crypto.TOKEN_PREFIX) and "06 12" not in token
    assert CallbackContact.objects.get().contact == "06 12 34 56 78"
    out = io.StringIO()
    call_command("dumpdata", "feedback.callbackcontact", stdout=out)
    assert "06 12 34 56 78" not in out.getvalue() and contact_crypto.TOKEN_PREFIX in out.getvalue()


def test_rotation_re_encrypts_with_the_new_key(personas: Personas, settings: object) -> None:
    settings.POULS_CONTACT_KEYS = [OLD]  # type: ignore[attr-defined]
    _contact(personas, "claire@example.org")
    _contact(personas, "+33 6 98 76 54 32")
    before = _stored()
    # The operator puts the new key first and keeps the old one, then rotates.
    settings.POULS_CONTACT_KEYS = [NEW, OLD]  # type: ignore[attr-defined]
    out = io.StringIO()
    call_command("rotate_contact_key", stdout=out)
    assert f"2 coordonnée(s) chiffrée(s) avec la clé {contact_crypto.key_fingerprint(NEW)}" in (
        out.getvalue()
    )
    after = _stored()
    assert all(a != b for a, b in zip(after, before, strict=True))
    # The old key can go: the new one alone opens every contact, the old one alone none.
    settings.POULS_CONTACT_KEYS = [NEW]  # type: ignore[attr-defined]
    assert sorted(CallbackContact.objects.values_list("contact", flat=True)) == [
        "+33 6 98 76 54 32",
        "claire@example.org",
    ]
    settings.POULS_CONTACT_KEYS = [OLD]  # type: ignore[attr-defined]
    with pytest.raises(contact_crypto.ContactKeyError):
        list(CallbackContact.objects.values_list("contact", flat=True))


def test_a_missing_or_malformed_key_is_named_never_echoed(settings: object) -> None:
    settings.POULS_CONTACT_KEYS = []  # type: ignore[attr-defined]
    with pytest.raises(contact_crypto.ContactKeyError, match="POULS_CONTACT_KEY is not set"):
        contact_crypto.encrypt("x@example.org")
    settings.POULS_CONTACT_KEYS = ["not-a-key-secret-value"]  # type: ignore[attr-defined]
    with pytest.raises(contact_crypto.ContactKeyError) as caught:
        contact_crypto.encrypt("x@example.org")
    assert "not-a-key-secret-value" not in str(caught.value)


def test_the_demo_key_file_is_rotated_in_place(
    personas: Personas, settings: object, tmp_path: object
) -> None:
    from pathlib import Path

    folder = Path(str(tmp_path))
    (folder / "contact-key").write_text(OLD + "\n")
    settings.DATA_DIR = folder  # type: ignore[attr-defined]
    settings.POULS_CONTACT_KEY_SOURCE = "data directory"  # type: ignore[attr-defined]
    settings.POULS_CONTACT_KEYS = [OLD]  # type: ignore[attr-defined]
    _contact(personas, "claire@example.org")
    call_command("rotate_contact_key", "--generate", stdout=io.StringIO())
    (key,) = (folder / "contact-key").read_text().split()
    assert key != OLD
    settings.POULS_CONTACT_KEYS = [key]  # type: ignore[attr-defined]
    assert CallbackContact.objects.get().contact == "claire@example.org"
