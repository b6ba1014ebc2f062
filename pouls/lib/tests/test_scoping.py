from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from pouls.feedback.models import Feedback
from pouls.lib.scoping import (
    allowed_perimeter_ids,
    forget_scope,
    get_for_user_or_404,
    save_for_user,
)
from pouls.org.models import Perimeter
from pouls.testing import Personas, make_feedback, make_user


def names(qs: object) -> set[str]:
    return {p.name for p in qs}  # type: ignore[attr-defined]


def test_alice_sees_the_whole_group(personas: Personas) -> None:
    assert Perimeter.objects.for_user(personas.alice).count() == Perimeter.objects.count()


def test_bob_sees_his_store_and_its_team_only(personas: Personas) -> None:
    assert names(Perimeter.objects.for_user(personas.bob)) == {"Site Lille", "Équipe Lille Vente"}


def test_carol_sees_her_region_and_below(personas: Personas) -> None:
    assert names(Perimeter.objects.for_user(personas.carol)) == {
        "Région Nord",
        "Site Lille",
        "Équipe Lille Vente",
        "Site Roubaix",
    }


def test_charlie_and_anonymous_see_nothing(personas: Personas) -> None:
    from django.contrib.auth.models import AnonymousUser

    assert not Perimeter.objects.for_user(personas.charlie).exists()
    assert not Perimeter.objects.for_user(AnonymousUser()).exists()


def test_inactive_user_sees_nothing(personas: Personas) -> None:
    personas.alice.is_active = False
    assert not Perimeter.objects.for_user(personas.alice).exists()


def test_superuser_sees_everything(personas: Personas) -> None:
    root = make_user("root", is_superuser=True)
    assert Perimeter.objects.for_user(root).count() == Perimeter.objects.count()


def test_viewer_role_gives_no_change_right(personas: Personas) -> None:
    assert allowed_perimeter_ids(personas.bob, "view")
    assert not allowed_perimeter_ids(personas.bob, "change")
    assert allowed_perimeter_ids(personas.carol, "change") == allowed_perimeter_ids(personas.carol)


def test_the_scope_is_computed_once_per_user_object(
    personas: Personas, django_assert_num_queries: object
) -> None:
    allowed_perimeter_ids(personas.bob)
    with django_assert_num_queries(0):  # type: ignore[operator]
        allowed_perimeter_ids(personas.bob)
    forget_scope(personas.bob)
    with django_assert_num_queries(2):  # type: ignore[operator]
        allowed_perimeter_ids(personas.bob)


def test_rows_of_the_team_are_in_the_store_scope(personas: Personas) -> None:
    mine = make_feedback(perimeter=personas.lille_team)
    make_feedback(perimeter=personas.marseille)
    assert list(Feedback.objects.for_user(personas.bob)) == [mine]


def test_outside_scope_is_404_and_no_right_is_403(personas: Personas) -> None:
    foreign = make_feedback(perimeter=personas.marseille)
    mine = make_feedback(perimeter=personas.lille)
    with pytest.raises(Http404):
        get_for_user_or_404(Feedback, personas.bob, foreign.code)
    with pytest.raises(Http404):
        get_for_user_or_404(Feedback, personas.bob, "not-a-uuid")
    assert get_for_user_or_404(Feedback, personas.bob, mine.code) == mine
    with pytest.raises(PermissionDenied):
        get_for_user_or_404(Feedback, personas.bob, mine.code, "change")


def test_a_write_moving_a_row_out_of_scope_is_rolled_back(personas: Personas) -> None:
    row = make_feedback(perimeter=personas.lille, nps=3)
    row.perimeter = personas.marseille
    with pytest.raises(PermissionDenied):
        save_for_user(row, personas.carol)
    row.refresh_from_db()
    assert row.perimeter == personas.lille


def test_a_write_inside_scope_is_kept(personas: Personas) -> None:
    row = make_feedback(perimeter=personas.lille, nps=3)
    row.perimeter = personas.roubaix
    save_for_user(row, personas.carol)
    row.refresh_from_db()
    assert row.perimeter == personas.roubaix
