"""The commission rule's formula: computed on a whitelist, refused in French otherwise."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from pouls.briefings.formula import FormulaError, evaluate_formula
from pouls.briefings.models import CommissionRule
from pouls.testing import Personas

FIGURES = {
    "ca": 10000.0,
    "comptes_rendus": 9.0,
    "objectif_comptes_rendus": 10.0,
    "taux_comptes_rendus": 0.9,
}


@pytest.mark.parametrize(
    ("formula", "expected"),
    [
        ("0.02 * ca", 200.0),
        ("0.02 * ca + si(taux_comptes_rendus >= 0.9, 150, 0)", 350.0),
        ("min(ca / 100, 50) + max(0, -3)", 50.0),
        ("arrondi(comptes_rendus / objectif_comptes_rendus * 7, 1)", 6.3),
        ("-(devis) + 2 * (commandes + 1) % 3", 2.0),
        ("si(1 < comptes_rendus < 10, 1, 0)", 1.0),
        # Only the chosen branch is computed: no division by zero without orders.
        ("si(commandes > 0, ca / commandes, 0)", 0.0),
        # Digits are clamped: this returned after 12 s of CPU before (10**10**7 was built).
        ("arrondi(5, -10000000)", 0.0),
    ],
)
def test_formulas_compute(formula: str, expected: float) -> None:
    assert evaluate_formula(formula, FIGURES) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("formula", "message"),
    [
        ("__import__('os').system('id')", "Fonction non autorisée"),
        ("ca.__class__", "Élément non autorisé"),
        ("ca ** 99999999", "Opérateur non autorisé"),
        ("0,02 * ca", "séparateur décimal"),
        ("salaire * 2", "Variable inconnue « salaire »"),
        ("ca * (2", "Formule illisible"),
        ("'abc'", "Seuls les nombres"),
        ("ca / (comptes_rendus - 9)", "divise par zéro"),
        ("min + 1", "est une fonction"),
        ("ca if ca else 0", "Élément non autorisé"),
        ("", "vide"),
        ("1" * 400, "300 au plus"),
        ("1e308 * 10", "nombre fini"),
        ("arrondi(5, 0*1e400)", "nombre fini"),
        ("si(1, 2)", "mauvais nombre d'arguments"),
    ],
)
def test_anything_else_is_refused_with_a_french_reason(formula: str, message: str) -> None:
    with pytest.raises(FormulaError, match=message):
        evaluate_formula(formula, FIGURES)


def test_the_admin_form_refuses_a_bad_rule(personas: Personas) -> None:
    rule = CommissionRule(perimeter=personas.group, label="Variable 2026", formula="ca ** 2")
    with pytest.raises(ValidationError) as error:
        rule.full_clean()
    assert "Opérateur non autorisé" in str(error.value.message_dict["formula"])
