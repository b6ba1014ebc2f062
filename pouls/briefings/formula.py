"""The organisation's commission rule: a small arithmetic formula evaluated safely.

An administrator writes e.g. ``0.02 * ca + si(taux_comptes_rendus >= 0.9, 150, 0)``. The text
is parsed with ``ast`` and only a whitelist of nodes is evaluated: numbers, the variables of
``VARIABLES``, ``+ - * / //  %``, comparisons and the functions ``min``, ``max``, ``arrondi``,
``si``. No attribute access, no power (no huge numbers), no call of anything else: never
``eval()``.
"""

from __future__ import annotations

import ast
import math
import operator
import re
from collections.abc import Callable, Mapping
from typing import Any, cast

from django.utils.translation import gettext as _

# Variable name -> what it means (shown to the administrator under the formula field).
VARIABLES: dict[str, str] = {
    "ca": "chiffre d'affaires de la période (€)",
    "objectif_ca": "objectif de chiffre d'affaires (€)",
    "commandes": "nombre de commandes",
    "visites": "visites clients",
    "appels": "appels",
    "devis": "devis émis",
    "comptes_rendus": "comptes rendus saisis",
    "objectif_comptes_rendus": "comptes rendus attendus",
    "taux_comptes_rendus": "comptes rendus saisis / attendus (0 à 1)",
}
MAX_LENGTH = 300

_BINARY: dict[type[ast.operator], Callable[[float, float], float]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv,
    ast.Mod: operator.mod,
}
_COMPARE: dict[type[ast.cmpop], Callable[[float, float], bool]] = {
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
}


def _si(condition: float, then: float, otherwise: float) -> float:
    return then if condition else otherwise


_FUNCTIONS: dict[str, Callable[..., float]] = {
    "min": min,
    "max": max,
    # Digits clamped: round(5, -10**7) makes Python build 10**(10**7) (a hung worker).
    "arrondi": lambda x, digits=0: round(float(x), max(-15, min(15, int(digits)))),
    "si": _si,
}


def _decimal_comma_message() -> str:
    return _(
        "Utilisez le point comme séparateur décimal (0.02 et non 0,02) ; la virgule "
        "sépare seulement les arguments d'une fonction."
    )


class FormulaError(ValueError):
    """The formula cannot be read or computed; the message is French, for the administrator."""


def parse_formula(text: str) -> ast.Expression:
    """Parse and check ``text``; raise ``FormulaError`` with a French message."""
    if not text.strip():
        raise FormulaError(_("La formule est vide."))
    if len(text) > MAX_LENGTH:
        raise FormulaError(
            _("La formule fait %(n)s caractères ; %(max)s au plus.")
            % {"n": len(text), "max": MAX_LENGTH}
        )
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as exc:
        if re.search(r"\d,\d", text):
            raise FormulaError(_decimal_comma_message()) from exc
        raise FormulaError(
            _(
                "Formule illisible près du caractère %(col)s : vérifiez les parenthèses et "
                "les opérateurs (+ - * /)."
            )
            % {"col": exc.offset or 0}
        ) from exc
    if isinstance(tree.body, ast.Tuple):
        raise FormulaError(_decimal_comma_message())
    for node in ast.walk(tree):
        _check_node(node)
    return tree


def _check_node(node: ast.AST) -> None:
    allowed = (ast.Expression, ast.BinOp, ast.UnaryOp, ast.Compare, ast.Call, ast.Load)
    if isinstance(node, ast.Constant):
        if isinstance(node.value, bool) or not isinstance(node.value, int | float):
            raise FormulaError(
                _("Seuls les nombres sont acceptés (reçu : %(v)r).") % {"v": node.value}
            )
    elif isinstance(node, ast.Name):
        if node.id not in VARIABLES and node.id not in _FUNCTIONS:
            raise FormulaError(
                _("Variable inconnue « %(name)s » ; variables acceptées : %(names)s.")
                % {"name": node.id, "names": ", ".join(VARIABLES)}
            )
    elif isinstance(node, ast.Call):
        if not isinstance(node.func, ast.Name) or node.func.id not in _FUNCTIONS or node.keywords:
            raise FormulaError(
                _("Fonction non autorisée ; fonctions acceptées : %(names)s.")
                % {"names": ", ".join(_FUNCTIONS)}
            )
    elif (
        isinstance(node, ast.BinOp)
        and type(node.op) not in _BINARY
        or isinstance(node, ast.UnaryOp)
        and not isinstance(node.op, ast.USub | ast.UAdd)
    ):
        raise FormulaError(_("Opérateur non autorisé (acceptés : + - * / // %)."))
    elif isinstance(node, ast.operator | ast.unaryop | ast.cmpop):
        return
    elif not isinstance(node, allowed):
        raise FormulaError(
            _("Élément non autorisé dans la formule : %(kind)s.") % {"kind": type(node).__name__}
        )


def evaluate_formula(text: str, variables: Mapping[str, float]) -> float:
    """The formula's value for these variables (missing variables count as 0)."""
    tree = parse_formula(text)
    values = {name: float(variables.get(name, 0.0)) for name in VARIABLES}
    try:
        result = _eval(tree.body, values)
    except ZeroDivisionError as exc:
        raise FormulaError(_("La formule divise par zéro pour ces chiffres.")) from exc
    except OverflowError as exc:
        raise FormulaError(_("La formule donne un nombre trop grand.")) from exc
    except TypeError as exc:
        raise FormulaError(_("Une fonction reçoit un mauvais nombre d'arguments.")) from exc
    except FormulaError:
        raise
    except ValueError as exc:  # e.g. a NaN given to arrondi
        raise FormulaError(_("La formule ne donne pas un nombre fini.")) from exc
    if not math.isfinite(result):
        raise FormulaError(_("La formule ne donne pas un nombre fini."))
    return float(result)


def _eval(node: ast.AST, values: dict[str, float]) -> Any:
    if isinstance(node, ast.Constant):
        # Floats only: no big-integer arithmetic to exhaust a worker (parse_formula admits
        # numeric constants only).
        return float(cast(float, node.value))
    if isinstance(node, ast.Name):
        if node.id not in values:
            raise FormulaError(
                _("« %(name)s » est une fonction : écrivez %(name)s(…).") % {"name": node.id}
            )
        return values[node.id]
    if isinstance(node, ast.UnaryOp):
        operand = _eval(node.operand, values)
        return -operand if isinstance(node.op, ast.USub) else operand
    if isinstance(node, ast.BinOp):
        return _BINARY[type(node.op)](_eval(node.left, values), _eval(node.right, values))
    if isinstance(node, ast.Compare):
        left = _eval(node.left, values)
        for op, right_node in zip(node.ops, node.comparators, strict=True):
            right = _eval(right_node, values)
            if not _COMPARE[type(op)](left, right):
                return 0.0
            left = right
        return 1.0
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "si":
        # Only the branch chosen is computed: si(commandes > 0, ca / commandes, 0) must not
        # divide by zero when there is no order.
        if len(node.args) != 3:
            raise TypeError("si takes three arguments")
        condition, then, otherwise = node.args
        return _eval(then if _eval(condition, values) else otherwise, values)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        return _FUNCTIONS[node.func.id](*(_eval(a, values) for a in node.args))
    raise FormulaError(_("Élément non autorisé dans la formule."))  # unreachable after parse
