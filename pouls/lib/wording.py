"""Words for the codes and numbers of the analysis core, in one place (gettext)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from pouls_analysis.stats.scores import MAX_RELIABLE_HALF_WIDTH, MIN_RELIABLE_N, NpsResult


def reliability_words(result: NpsResult) -> list[str]:
    """Why a score should not be read as precise, in words a manager understands."""
    words = []
    if "small_n" in result.unreliable_reasons:
        words.append(
            _("Peu fiable : %(n)s réponses seulement (il en faut au moins %(min)s).")
            % {"n": result.n, "min": MIN_RELIABLE_N}
        )
    if "wide_interval" in result.unreliable_reasons and result.half_width is not None:
        words.append(
            _("Peu fiable : la marge d'erreur (± %(hw).0f points) dépasse ± %(max).0f points.")
            % {"hw": result.half_width, "max": MAX_RELIABLE_HALF_WIDTH}
        )
    return words
