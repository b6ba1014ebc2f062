"""Rebuild ``first_names.txt`` and ``surnames.txt`` from the person providers of Faker.

Faker (https://pypi.org/project/Faker/, MIT licence, copyright Daniele Faraglia) ships lists of
first names and surnames per locale. Pouls ships a filtered copy, so that nothing is downloaded
at run time and Faker is not a dependency. Run by hand when the lists should change:

    pip install faker==40.40.0
    python -m pouls_analysis.privacy.data.build_name_lists

Filters (why): Latin script only (texts are French); at least three letters ("An", "Le" are
words); a name that is also an ordinary French word in the Debian ``wfrench`` dictionary
(``/usr/share/dict/french``: "rose", "pierre", "long") is written with a ``?`` mark, which
``names.py`` reads as "a name only with a cue or a surname". Surnames that are French words
("Petit", "Blanc", "Martin") are left out of the surname list altogether.
"""

from __future__ import annotations

import importlib
import re
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
DICTIONARY = Path("/usr/share/dict/french")
# French-speaking countries and the countries most French customers' names come from.
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
HEADER = (
    "# {what} from Faker 40.40.0 (MIT licence, (c) 2012-2014 Daniele Faraglia and contributors;\n"
    "# https://pypi.org/project/Faker/), filtered by build_name_lists.py. One per line, lower\n"
    "# case; a trailing '?' marks a name that is also an ordinary French word.\n"
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


def _words() -> set[str]:
    return {
        unicodedata.normalize("NFC", w.strip())
        for w in DICTIONARY.read_text(encoding="utf-8").splitlines()
        if w.strip() and w.strip()[0].islower()
    }


def main() -> None:
    words = _words()
    firsts: set[str] = set()
    for locale in FIRST_NAME_LOCALES:
        firsts |= _values(
            locale,
            (
                "first_names", "first_names_male", "first_names_female", "first_names_nonbinary",
                "first_romanized_names", "first_romanized_names_male",
                "first_romanized_names_female",
            ),
        )  # fmt: skip
    surnames: set[str] = set()
    for locale in SURNAME_LOCALES:
        surnames |= _values(locale, ("last_names",))
    first_lines = sorted(
        {
            n.lower() + ("?" if n.lower() in words or n.lower() in NOT_MAINLY_NAMES else "")
            for n in firsts
            if _LATIN_NAME.match(n)
        }
    )
    surname_lines = sorted(
        {
            n.lower()
            for n in surnames
            if _LATIN_NAME.match(n) and n.lower() not in words | NOT_MAINLY_NAMES
        }
    )
    (HERE / "first_names.txt").write_text(
        HEADER.format(what="First names") + "\n".join(first_lines) + "\n", encoding="utf-8"
    )
    (HERE / "surnames.txt").write_text(
        HEADER.format(what="Surnames") + "\n".join(surname_lines) + "\n", encoding="utf-8"
    )
    print(f"{len(first_lines)} first names, {len(surname_lines)} surnames")  # noqa: T201


if __name__ == "__main__":
    main()
