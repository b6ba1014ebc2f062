"""Pseudonymisation of French free text before it is stored (GDPR).

``Pseudonymiser().transform(texts)`` replaces e-mail addresses, phone numbers, IBANs, card
numbers, French social security numbers (NIR), postal addresses and person names by typed
placeholders (``[EMAIL]``, ``[TÉLÉPHONE]``, ``[IBAN]``, ``[CARTE]``, ``[NIR]``, ``[ADRESSE]``,
``[NOM]``). Figures and known misses: ``docs/privacy.md``.
"""

from __future__ import annotations

from pouls_analysis.privacy.patterns import iban_valid, luhn_valid, nir_valid
from pouls_analysis.privacy.pseudonymise import KINDS, PLACEHOLDERS, Pseudonymiser, Span

__all__ = [
    "KINDS",
    "PLACEHOLDERS",
    "Pseudonymiser",
    "Span",
    "iban_valid",
    "luhn_valid",
    "nir_valid",
]
