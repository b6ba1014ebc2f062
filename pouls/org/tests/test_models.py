from __future__ import annotations

from pouls.org.models import Perimeter
from pouls.testing import Personas, make_perimeter


def test_paths_follow_the_tree(personas: Personas) -> None:
    assert personas.lille.path.startswith(personas.nord.path)
    assert personas.nord.path.startswith(personas.group.path)
    assert (personas.group.depth, personas.nord.depth, personas.lille_team.depth) == (0, 1, 3)


def test_descendants_by_path_prefix(personas: Personas) -> None:
    descendants = Perimeter.objects.filter(path__startswith=personas.nord.path)
    assert {p.name for p in descendants} == {
        "Région Nord",
        "Site Lille",
        "Équipe Lille Vente",
        "Site Roubaix",
    }


def test_moving_a_perimeter_moves_its_subtree(personas: Personas) -> None:
    personas.lille.parent = personas.sud
    personas.lille.save()
    personas.lille_team.refresh_from_db()
    assert personas.lille_team.path.startswith(personas.sud.path)
    assert personas.lille_team.depth == 3


def test_a_perimeter_cannot_move_under_itself(personas: Personas) -> None:
    import pytest

    personas.nord.parent = personas.lille
    with pytest.raises(ValueError, match="own descendant"):
        personas.nord.save()


def test_ancestors_are_listed_from_the_top(personas: Personas) -> None:
    assert [p.name for p in personas.lille_team.ancestors()] == [
        "Groupe",
        "Région Nord",
        "Site Lille",
    ]


def test_str_is_the_name(db: None) -> None:
    assert str(make_perimeter(name="Site Nantes")) == "Site Nantes"
