"""Climate profile, skill/will/means diagnosis and readiness verdict, argued in French."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from pouls_analysis.climate.stats import MeanResult, mean_with_ci
from pouls_analysis.exceptions import InvalidInputError

__all__ = [
    "ClimateProfile",
    "climate_profile",
    "Diagnosis",
    "diagnose",
    "who5_score",
    "readiness_verdict",
]

IMPLICATIONS = {
    "skill": "Le savoir-faire est le point faible : une formation à l'outil est utile.",
    "will": "Le vouloir est le point faible : former ne suffira pas, il faut montrer ce que "
    "le reporting apporte à ceux qui le renseignent.",
    "means": "Les moyens sont le point faible : il faut libérer du temps et réparer l'outil "
    "avant toute formation.",
}


@dataclass(frozen=True, slots=True)
class ClimateProfile:
    means: dict[str, MeanResult]
    dominant: str | None
    n: int


def climate_profile(scores: Mapping[str, Sequence[float]]) -> ClimateProfile:
    """Mean per climate type (per-respondent type scores). A type is dominant only when
    its confidence interval lies entirely above every other type's mean interval."""
    if not scores:
        raise InvalidInputError("climate_profile needs at least one type.")
    means = {t: mean_with_ci(v) for t, v in scores.items()}
    ranked = sorted(means, key=lambda t: means[t].mean, reverse=True)
    top = means[ranked[0]]
    clear = len(ranked) > 1 and all(top.low > means[t].high for t in ranked[1:])
    return ClimateProfile(means, ranked[0] if clear else None, min(m.n for m in means.values()))


@dataclass(frozen=True, slots=True)
class Diagnosis:
    means: dict[str, MeanResult]
    weakest: str
    implication_fr: str
    n: int


NO_BRAKE = (
    "Savoir-faire, vouloir et moyens sont tous élevés (au moins 70 % de l'échelle) : "
    "pas de frein marqué au reporting."
)


def diagnose(scores: Mapping[str, Sequence[float]], *, scale_max: float = 5.0) -> Diagnosis:
    """Skill / will / means: which is weakest, and what that implies (in French). When even
    the weakest is at 70 % of the scale or more, nothing is called a problem."""
    missing = {"skill", "will", "means"} - set(scores)
    if missing:
        raise InvalidInputError(f"diagnose: missing dimensions {sorted(missing)}.")
    means = {k: mean_with_ci(scores[k]) for k in ("skill", "will", "means")}
    weakest = min(means, key=lambda k: means[k].mean)
    implication = NO_BRAKE if means[weakest].mean >= 0.7 * scale_max else IMPLICATIONS[weakest]
    return Diagnosis(means, weakest, implication, min(m.n for m in means.values()))


def who5_score(answers: Sequence[int]) -> int:
    """WHO-5: five answers 0-5, raw 0-25 times 4 -> 0-100."""
    if len(answers) != 5 or any(not 0 <= a <= 5 for a in answers):
        raise InvalidInputError("WHO-5 needs exactly five answers in 0..5.")
    return sum(answers) * 4


def readiness_verdict(
    team: str,
    profile: ClimateProfile,
    engagement: MeanResult,
    diagnosis: Diagnosis,
    *,
    scale_max: float = 5.0,
) -> str:
    """French sentences on a team's readiness for a tooling or training project."""
    # French decimals take a comma.
    mean = f"{engagement.mean:.1f}".replace(".", ",")
    parts = [f"{team} (n = {engagement.n}) : engagement moyen {mean}/{scale_max:g}."]
    low_engagement = engagement.mean < scale_max / 2
    if profile.dominant == "instrumental" and low_engagement:
        parts.append(
            "Le climat est nettement instrumental et l'engagement bas : une plateforme "
            "d'enablement exposerait ce désengagement aux clients. Pas prêt ; "
            "traiter d'abord le climat et l'engagement."
        )
    elif low_engagement:
        parts.append(
            "L'engagement est bas : un projet d'outillage risque d'être subi. "
            "Prêt sous réserve d'un travail préalable sur l'engagement."
        )
    else:
        parts.append("L'engagement ne fait pas obstacle au projet.")
    parts.append(diagnosis.implication_fr)
    return " ".join(parts)
