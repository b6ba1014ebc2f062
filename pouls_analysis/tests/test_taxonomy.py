from __future__ import annotations

from pathlib import Path

import pytest

from pouls_analysis.themes.taxonomy import (
    SHIPPED_TAXONOMIES,
    TaxonomyError,
    load_taxonomy,
    parse_taxonomy,
)

GOOD_THEME = """
  - id: delivery
    label_fr: Livraison
    label_en: Delivery
    description: Délais de livraison.
    parent: null
    lemmas: [livraison, colis]
"""


def _file(themes: str) -> str:
    return f"name: test\nlanguage: fr\nthemes:{themes}"


@pytest.mark.parametrize("name", SHIPPED_TAXONOMIES)
def test_shipped_taxonomies_load_and_every_theme_has_labels_and_examples(name: str) -> None:
    taxonomy = load_taxonomy(name)
    for theme in taxonomy.detectable:
        assert theme.label_fr and theme.label_en and theme.description
        assert theme.lemmas or theme.expressions
        assert len(theme.examples) >= 3


def test_the_retail_taxonomy_covers_the_required_themes() -> None:
    taxonomy = load_taxonomy("retail_fr")
    ids = {t.id for t in taxonomy.detectable}
    assert len(ids) >= 20
    required = {
        "welcome", "friendliness", "advice_competence", "waiting", "staff_availability", "price",
        "promotions", "product_quality", "product_availability", "after_sales_repairs",
        "delivery", "returns_refunds", "checkout_payment", "billing", "website_app",
        "phone_reachability", "email_answers", "cleanliness_atmosphere", "access_parking",
        "loyalty", "contract_cancellation", "fraud_security",
    }  # fmt: skip
    assert required <= ids


def test_the_restaurant_taxonomy_maps_the_twelve_semeval_categories() -> None:
    aliases = load_taxonomy("restaurants_fr").by_alias()
    assert len(aliases) == 12
    assert aliases["FOOD#QUALITY"] == "food_quality"


def test_it_loads_a_file_by_path(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text(_file(GOOD_THEME), encoding="utf-8")
    assert load_taxonomy(path).get("delivery").lemmas == ("livraison", "colis")


@pytest.mark.parametrize(
    ("themes", "expected"),
    [
        (GOOD_THEME + "    colour: blue\n", "unknown field(s) colour"),
        (GOOD_THEME.replace("parent: null", "parent: nowhere"), "field 'parent' is 'nowhere'"),
        (GOOD_THEME + GOOD_THEME, "duplicate theme id(s): delivery"),
        (GOOD_THEME.replace("colis]", "point relais]"), "single words"),
        (GOOD_THEME.replace("label_fr: Livraison", "label_fr: ''"), "field 'label_fr'"),
        (GOOD_THEME.replace("id: delivery", "id: Delivery"), "field 'id' must be lower-case"),
        (GOOD_THEME.replace("    lemmas: [livraison, colis]\n", ""), "no lemmas, expressions"),
        (GOOD_THEME.replace("lemmas: [livraison, colis]", "lemmas: livraison"), "list of"),
    ],
)
def test_invalid_files_are_refused_with_the_file_theme_and_field(
    themes: str, expected: str
) -> None:
    with pytest.raises(TaxonomyError) as error:
        parse_taxonomy(_file(themes), origin="mine.yaml")
    assert "mine.yaml" in str(error.value)
    assert expected in str(error.value)


def test_an_unknown_name_says_what_is_accepted() -> None:
    with pytest.raises(TaxonomyError, match="retail_fr"):
        load_taxonomy("nowhere_fr")
