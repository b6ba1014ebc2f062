"""Customers' contact details encrypted at rest (Fernet, from ``cryptography``).

The keys live outside the database (``POULS_CONTACT_KEY`` or ``POULS_CONTACT_KEY_FILE``, a
generated file in the data directory for the demo): a database dump or a backup alone holds
no readable contact. Several keys may be given, separated by commas or spaces: the first
encrypts, all decrypt (``MultiFernet``), which is how a key is rotated
(``pouls manage rotate_contact_key``).
"""

from __future__ import annotations

import functools
import hashlib
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

# Every Fernet token starts with its version byte 0x80, base64-encoded.
TOKEN_PREFIX = "gAAAAA"


class ContactKeyError(ImproperlyConfigured):
    """The contact key is missing, malformed, or does not open a stored contact."""


def contact_keys() -> list[str]:
    return list(settings.POULS_CONTACT_KEYS)


@functools.lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ContactKeyError(
            "POULS_CONTACT_KEY is not set: customers' contact details are encrypted with a key "
            "kept outside the database. Set POULS_CONTACT_KEY (or POULS_CONTACT_KEY_FILE) to "
            "the output of `python -c 'from cryptography.fernet import Fernet; "
            "print(Fernet.generate_key().decode())'`."
        )
    try:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    except ValueError:
        # Never echo the value: it is a secret.
        raise ContactKeyError(
            "POULS_CONTACT_KEY holds a value that is not a Fernet key (32 bytes, url-safe "
            "base64); several keys are separated by commas."
        ) from None


def fernet() -> MultiFernet:
    return _fernet(tuple(contact_keys()))


def encrypt(value: str) -> str:
    """Encrypt ``value`` with the first key ("" stays "": nothing to hide)."""
    if not value:
        return ""
    return fernet().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    """Decrypt a stored contact with any of the configured keys."""
    if not token:
        return ""
    try:
        return fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        raise ContactKeyError(
            "a stored contact cannot be decrypted with POULS_CONTACT_KEY: the key that "
            "encrypted it is missing (after a rotation, keep the old key after the new one "
            "until `rotate_contact_key` has run)."
        ) from None


def rotate(token: str) -> str:
    """Re-encrypt a stored token with the first key (it may have been made with any key)."""
    if not token:
        return ""
    try:
        return fernet().rotate(token.encode()).decode()
    except InvalidToken:
        raise ContactKeyError(
            "a stored contact cannot be decrypted with POULS_CONTACT_KEY"
        ) from None


def key_reference() -> dict[str, str]:
    """Which key encrypts contacts, without the key: where it comes from and a short
    fingerprint (a hash of a random 256-bit key tells nothing about it)."""
    keys = contact_keys()
    if not keys:
        return {"source": "not set", "fingerprint": ""}
    return {
        "source": str(settings.POULS_CONTACT_KEY_SOURCE),
        "fingerprint": key_fingerprint(keys[0]),
        "keys": str(len(keys)),
    }


def key_fingerprint(key: str) -> str:
    return hashlib.sha256(b"pouls.contact_key" + key.encode()).hexdigest()[:16]


class EncryptedTextField(models.TextField):  # type: ignore[type-arg]
    """A text column stored as a Fernet token and read back in clear by the ORM. Not
    searchable (each encryption differs): look rows up by their other columns."""

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        return encrypt(value) if isinstance(value, str) else value

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        return decrypt(value) if isinstance(value, str) else value

    def to_python(self, value: Any) -> Any:
        # loaddata gives back what value_to_string wrote: a token to open.
        if isinstance(value, str) and value.startswith(TOKEN_PREFIX):
            try:
                return fernet().decrypt(value.encode()).decode()
            except InvalidToken:
                return value
        return super().to_python(value)

    def value_to_string(self, obj: Any) -> str:
        # dumpdata writes the token, never the contact in clear.
        return encrypt(str(self.value_from_object(obj) or ""))
