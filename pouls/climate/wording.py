"""Plain-French words for the reliability and agreement statistics of a climate result.

Managers read « réponses cohérentes » and « avis partagés dans l'équipe » first; the
figures (Cronbach's alpha, rwg) stay behind a « détails » disclosure. A negative alpha is
explained, never shown as a number: it is not a reliability at all (the items vary against
each other), and « -0,4 » reads like a small score.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.utils.translation import gettext as _

from pouls_analysis.climate.stats import ALPHA_FLOOR, AlphaResult

# Conventional cut-offs: alpha ≥ 0.8 good, 0.7 acceptable (Nunnally); rwg ≥ 0.7 agreement,
# 0.5-0.7 moderate (LeBreton & Senter 2008).
ALPHA_GOOD = 0.8
RWG_AGREE = 0.7
RWG_MODERATE = 0.5


@dataclass(frozen=True, slots=True)
class Words:
    label: str  # shown first
    tone: str  # "ok" | "warn" | "bad" | "none": a CSS class
    detail: str  # the statistic in a sentence, for the « détails » disclosure


def consistency(alpha: AlphaResult | None) -> Words:
    """Do the questions of a dimension get consistent answers (Cronbach's alpha)?"""
    if alpha is None:
        return Words(
            _("une seule question"),
            "none",
            _("Une seule question : la cohérence entre questions ne se mesure pas."),
        )
    value = alpha.alpha
    if math.isnan(value):
        return Words(
            _("cohérence non mesurable"),
            "none",
            _(
                "Tous les répondants ont donné le même total : l’alpha de Cronbach n’est pas "
                "défini."
            ),
        )
    if value < 0:
        return Words(
            _("réponses contradictoires"),
            "bad",
            _(
                "Alpha de Cronbach négatif (%(k)s questions, %(n)s répondants) : les réponses "
                "aux questions de cette dimension vont en sens contraires. Ce n’est pas une "
                "fiabilité : souvent une question formulée à l’envers mal comprise, ou trop "
                "peu de répondants. Ne lisez pas ce score seul."
            )
            % {"k": alpha.k, "n": alpha.n},
        )
    number = _number(value)
    if value >= ALPHA_GOOD:
        label, tone = _("réponses cohérentes"), "ok"
    elif value >= ALPHA_FLOOR:
        label, tone = _("réponses plutôt cohérentes"), "ok"
    else:
        label, tone = _("réponses peu cohérentes"), "warn"
    detail = _(
        "Alpha de Cronbach %(a)s (%(k)s questions, %(n)s répondants ; 0,7 ou plus : les "
        "questions mesurent bien la même chose ici)."
    ) % {"a": number, "k": alpha.k, "n": alpha.n}
    return Words(label, tone, detail)


def agreement(rwg: float | None) -> Words:
    """Do the people of the group answer alike (rwg(J), James, Demaree & Wolf)?"""
    if rwg is None or math.isnan(rwg):
        return Words(_("accord non mesurable"), "none", _("Trop peu de réponses pour l’accord."))
    if rwg >= RWG_AGREE:
        label, tone = _("avis partagés dans l’équipe"), "ok"
    elif rwg >= RWG_MODERATE:
        label, tone = _("avis assez partagés"), "warn"
    else:
        label, tone = _("avis divergents dans l’équipe"), "bad"
    detail = _(
        "Accord rwg(J) %(r)s (de 0, avis au hasard, à 1, tous d’accord ; 0,7 ou plus : un avis "
        "commun)."
    ) % {"r": _number(rwg)}
    return Words(label, tone, detail)


def _number(value: float) -> str:
    return f"{value:.2f}".replace(".", ",")
