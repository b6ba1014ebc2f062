"""Service behaviours (seed 004): defensive behaviours of front-line staff in verbatims."""

from __future__ import annotations

from pouls_analysis.behaviours.definitions import (
    BEHAVIOUR_IDS,
    BehaviourDefinition,
    Cue,
    DefinitionsError,
    load_definitions,
)
from pouls_analysis.behaviours.detector import BehaviourMatch, ServiceBehaviourDetector

__all__ = [
    "BEHAVIOUR_IDS",
    "BehaviourDefinition",
    "BehaviourMatch",
    "Cue",
    "DefinitionsError",
    "ServiceBehaviourDetector",
    "load_definitions",
]
