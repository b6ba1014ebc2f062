"""The cheap test that skips cue expressions must never skip one that would match."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from pouls_analysis.privacy import names
from pouls_analysis.privacy.evaluate import load_labelled

EXPRESSIONS: dict[str, re.Pattern[str]] = {
    "civility": names._CIVILITY_BEFORE,
    "role": names._ROLE_BEFORE,
    "greeting": names._GREETING_BEFORE,
    "naming": names._NAMING_CUE_BEFORE,
    "cue": names._CUE_BEFORE,
}
# Pieces that the cue expressions are made of, and what surrounds them in real text.
PIECES = [
    *"M. MM. Mr Mrs. Mme Mme. Mlle Dr. Pr Me Madame maître vendeur conseillère".split(),
    *"chef d'équipe mari bonjour Chère merci à nom contact je m'appelle avec par".split(),
    *"c'est servie par signé politesse XM. 2M. é".split(),
    ",",
    ".",
    ":",
    "!",
    "?",
    "(",
    "«",
    "-",
    "'",
    "\n",
    "\t",
    " ",
    " ",
    "\u00a0",
    "\u202f",
]


def _check(window: str) -> None:
    allowed = names.cues_possible(window)
    for kind, expression in EXPRESSIONS.items():
        if kind not in allowed:
            assert expression.search(window) is None, (kind, window)


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=8).map("".join))
def test_no_cue_that_can_match_is_skipped(window: str) -> None:
    _check(window[-45:])


@given(st.text(alphabet=st.sampled_from(list("aéM.,:; \u00a0\n'Dr")), max_size=20))
def test_no_cue_is_skipped_on_random_characters(window: str) -> None:
    _check(window)


def test_a_final_newline_does_not_hide_a_cue() -> None:
    # "$" also matches before a final newline: "M. \nDupont" has a civility (found by the
    # property test above).
    for window in ("M. \n", "le vendeur \n", "Bonjour \n", "nom : \n"):
        _check(window)
        assert names.cues_possible(window)


def test_no_cue_is_skipped_before_any_capital_of_the_labelled_set() -> None:
    data = Path(__file__).parent / "data" / "pii_fr.jsonl"
    for text in [row.text for row in load_labelled(data)]:
        for cap in names._CAP_AT.finditer(text):
            _check(text[max(0, cap.start() - 45) : cap.start()])
