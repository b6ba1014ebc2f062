"""Full-text search of feedback texts in French with the database's own engine.

SQLite: the FTS5 table ``feedback_search`` (external content: the texts stay in
``feedback_feedback``; triggers keep it in sync; tokenizer ``unicode61 remove_diacritics 2``
so « delai » finds « délai »). Each word of the query is a prefix, so « livraison » also finds
« livraisons ». PostgreSQL: a GIN index on ``to_tsvector('pouls_french', text)``, the text
search configuration ``pouls_french`` being French stemming plus ``unaccent`` when the
extension could be created, plain French otherwise (migration 0008). Raw SQL here only,
tested on both backends (``feedback/tests/test_search.py``).
"""

from __future__ import annotations

import re

from django.db import connection
from django.db.models import BooleanField, QuerySet
from django.db.models.expressions import RawSQL

from pouls.feedback.models import Feedback

# A query is at most this many words: enough for a phrase, bounded cost.
MAX_WORDS = 8
CONFIG = "pouls_french"
_WORD = re.compile(r"\w+", re.UNICODE)
# Function words PostgreSQL's French configuration ignores: dropped on both engines, so that
# « retard de livraison » finds the same texts everywhere (FTS5 would require « de »).
STOP_WORDS = frozenset(
    "au aux avec ce ces dans de des du elle en et eux il ils je la le les leur lui ma mais me "
    "mes moi mon ne nos notre nous on ou par pas pour qu que qui sa se ses son sur ta te tes "
    "toi ton tu un une vos votre vous c d j l à m n s t y est".split()
)


def query_words(query: str) -> list[str]:
    """The words of a search box (letters and digits only: no engine syntax gets through),
    without French function words."""
    words = [w.lower() for w in _WORD.findall(query)]
    return [w for w in words if w not in STOP_WORDS][:MAX_WORDS]


def search_feedback(queryset: QuerySet[Feedback], query: str) -> QuerySet[Feedback]:
    """Narrow an already scoped queryset to the texts holding every word of ``query``
    (as a word prefix on SQLite, as a French stem on PostgreSQL). No word: unchanged."""
    words = query_words(query)
    if not words:
        return queryset
    if connection.vendor == "postgresql":
        tsquery = " & ".join(f"{w}:*" for w in words)
        match = RawSQL(
            f'to_tsvector(\'{CONFIG}\'::regconfig, "feedback_feedback"."text") '
            f"@@ to_tsquery('{CONFIG}'::regconfig, %s)",
            [tsquery],
            output_field=BooleanField(),
        )
        return queryset.filter(match)
    fts = " ".join(f'"{w}"*' for w in words)
    ids = RawSQL("SELECT rowid FROM feedback_search WHERE feedback_search MATCH %s", [fts])
    return queryset.filter(pk__in=ids)
