"""Callback contacts encrypted at rest: the column becomes text, existing rows are encrypted
in place with POULS_CONTACT_KEY, then the field is the encrypted one. Reversible: going back
decrypts them (the key must still be set)."""

from typing import Any

from django.db import migrations, models

import pouls.lib.contact_crypto


def encrypt_rows(apps: Any, schema_editor: Any) -> None:
    from pouls.lib.contact_crypto import TOKEN_PREFIX, encrypt

    # The historical field here is a plain TextField: it reads and writes the stored value.
    CallbackContact = apps.get_model("feedback", "CallbackContact")
    for row in CallbackContact.objects.only("pk", "contact").iterator():
        if row.contact and not row.contact.startswith(TOKEN_PREFIX):
            CallbackContact.objects.filter(pk=row.pk).update(contact=encrypt(row.contact))


def decrypt_rows(apps: Any, schema_editor: Any) -> None:
    from pouls.lib.contact_crypto import TOKEN_PREFIX, decrypt

    CallbackContact = apps.get_model("feedback", "CallbackContact")
    for row in CallbackContact.objects.only("pk", "contact").iterator():
        if row.contact.startswith(TOKEN_PREFIX):
            # The clear contact fitted the old 255-character column.
            plain = decrypt(row.contact)[:255]
            CallbackContact.objects.filter(pk=row.pk).update(contact=plain)


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0008_add_feedback_search"),
    ]

    operations = [
        migrations.AlterField(
            model_name="callbackcontact",
            name="contact",
            field=models.TextField(verbose_name="coordonnées"),
        ),
        migrations.RunPython(encrypt_rows, decrypt_rows),
        migrations.AlterField(
            model_name="callbackcontact",
            name="contact",
            field=pouls.lib.contact_crypto.EncryptedTextField(verbose_name="coordonnées"),
        ),
    ]
