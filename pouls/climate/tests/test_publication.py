"""The gate's decision is memoised on its exact inputs and recomputed when they change."""

from __future__ import annotations

from typing import Any

import pytest

from pouls.climate import publication
from pouls.climate.tests.builders import answer, make_campaign
from pouls.testing import Personas


def test_the_decision_is_reused_until_an_answer_arrives(
    personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    campaign = make_campaign(owner=personas.lille)
    for level in range(5):
        answer(campaign, personas.lille_team, level)
    calls: list[Any] = []
    from pouls_analysis.climate.confidentiality import decide_publication as real

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(publication, "decide_publication", counting)
    first = publication.published_for_user(personas.alice, campaign)
    publication.published_for_user(personas.alice, campaign)  # history now holds the first
    before = len(calls)
    again = publication.published_for_user(personas.alice, campaign)
    assert len(calls) == before and again.scores == first.scores
    answer(campaign, personas.lille_team, 3)
    later = publication.published_for_user(personas.alice, campaign)
    assert len(calls) > before and later.scores == {}  # 6 after 5: the sixth would leak
