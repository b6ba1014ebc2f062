"""What a manager needs to judge one signal, and where each theme stands (Yoon's maps).

Everything is read through the reader's scope: the signal itself (``get_for_user_or_404`` in
the view), its weekly trend from the rollups (``MetricValue.objects.for_user``), the other
perimeters where the same theme is signalled (``ThemeSignal.objects.for_user``), and the
evidence verbatims (``Feedback.objects.for_user``; texts were pseudonymised at import).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.utils import timezone

from pouls.annotations.models import Polarity, ThemeMention
from pouls.annotations.services import theme_labels
from pouls.feedback.models import Feedback
from pouls.org.models import Perimeter
from pouls.org.queries import list_subtree_ids
from pouls.rollups.models import Dimension, MetricValue, Period
from pouls.watch.detection import KNOWN_FOR_WEEKS, WATCHED_KINDS, last_complete_week
from pouls.watch.models import CandidateTheme, ThemeSignal
from pouls_analysis.signals.detect import MIN_COUNT
from pouls_analysis.signals.yoon import MapPoint, emergence_map
from pouls_analysis.themes.verbatims import select_verbatims

TREND_WEEKS = 26
EVIDENCE_POOL = 200
EVIDENCE_SHOWN = 4
# Yoon's map: 6 blocks of 4 weeks; themes with fewer negative mentions are left out.
MAP_BLOCKS = 6
MAP_BLOCK_WEEKS = 4
MAP_MIN_SUPPORT = 10


@dataclass(frozen=True, slots=True)
class SignalPage:
    signal: ThemeSignal
    label: str
    weeks: list[dt.date]
    complaints: list[int]  # negative mentions of the theme, per week, in the perimeter
    # The same theme signalled elsewhere in the reader's scope around the same time.
    spread: list[ThemeSignal]
    first_anywhere: dt.date
    evidence: list[Evidence]
    evidence_pool: int
    min_support: int

    def chart(self) -> dict[str, Any]:
        return {
            "week": [w.isoformat() for w in self.weeks],
            "complaints": self.complaints,
            "expected": self.signal.expected,
            "first_seen": self.signal.first_seen.isoformat(),
        }


def get_signal_page(user: Any, signal: ThemeSignal, today: dt.date | None = None) -> SignalPage:
    """Steps: the weekly trend of the theme's complaints in the signal's perimeter; the same
    theme's signals in other visible perimeters within four weeks; the texts behind it,
    from which ``select_verbatims`` picks representative and diverse quotes."""
    end = max(last_complete_week(today), signal.last_seen)
    weeks = [end - dt.timedelta(weeks=k) for k in reversed(range(TREND_WEEKS))]
    by_week = dict(
        MetricValue.objects.for_user(user)
        .filter(
            perimeter_id=signal.perimeter_id,
            period=Period.WEEK,
            dimension=Dimension.THEME,
            value=signal.theme,
            start__in=weeks,
        )
        .values_list("start", "negative_mentions")
    )
    margin = dt.timedelta(weeks=KNOWN_FOR_WEEKS)
    spread = list(
        ThemeSignal.objects.for_user(user)
        .filter(
            theme=signal.theme,
            last_seen__gte=signal.first_seen - margin,
            first_seen__lte=signal.last_seen + margin,
        )
        .exclude(pk=signal.pk)
        .select_related("perimeter")
        .order_by("first_seen", "perimeter__name")
    )
    evidence, pool = _evidence(user, signal)
    return SignalPage(
        signal=signal,
        label=theme_labels().get(signal.theme, signal.theme),
        weeks=weeks,
        complaints=[by_week.get(w, 0) for w in weeks],
        spread=spread,
        first_anywhere=min([signal.first_seen, *(s.first_seen for s in spread)]),
        evidence=evidence,
        evidence_pool=pool,
        min_support=MIN_COUNT,
    )


@dataclass(frozen=True, slots=True)
class Evidence:
    feedback: Feedback
    quote: str  # the sentence that mentions the theme (the whole text when none is found)


SENTENCE_ENDS = ".!?…\n"


def sentence_around(text: str, start: int, end: int) -> str:
    """The sentence of ``text`` holding the span [start, end): what the quote is about, not
    the rest of a long message.

    Examples
    --------
    >>> sentence_around("Très bon accueil. Le terminal de paiement était en panne ! Merci.", 22, 30)
    'Le terminal de paiement était en panne !'
    """
    if not 0 <= start <= end <= len(text):
        return text.strip()
    left = max((text.rfind(c, 0, start) for c in SENTENCE_ENDS), default=-1) + 1
    rights = [i for c in SENTENCE_ENDS if (i := text.find(c, end)) >= 0]
    right = min(rights) + 1 if rights else len(text)
    return text[left:right].strip() or text.strip()


def _evidence(user: Any, signal: ThemeSignal) -> tuple[list[Evidence], int]:
    """Complaints on the theme in the perimeter while the signal lasted, newest first; the
    quotes shown are the library's choice (representative, vivid, diverse) among the
    sentences that carry the negative mention."""
    zone = timezone.get_current_timezone()
    since = dt.datetime.combine(signal.first_seen, dt.time.min, zone)
    until = dt.datetime.combine(signal.last_seen + dt.timedelta(days=7), dt.time.min, zone)
    mentions = list(
        ThemeMention.objects.for_user(user)
        .filter(
            perimeter_id__in=list_subtree_ids(user, signal.perimeter),
            theme=signal.theme,
            polarity=Polarity.NEGATIVE,
            feedback__received_at__gte=since,
            feedback__received_at__lt=until,
        )
        .exclude(feedback__text="")
        .select_related("feedback__perimeter")
        .order_by("-feedback__received_at", "feedback_id")[:EVIDENCE_POOL]
    )
    if not mentions:
        return [], 0
    quotes = [sentence_around(m.feedback.text, m.start, m.end) for m in mentions]
    chosen = select_verbatims(quotes, k=EVIDENCE_SHOWN, min_chars=15)
    pool = len({m.feedback_id for m in mentions})
    return [Evidence(mentions[v.index].feedback, quotes[v.index]) for v in chosen], pool


@dataclass(frozen=True, slots=True)
class MapRow:
    theme: str
    label: str
    point: MapPoint
    complaints: int  # negative mentions over the whole map window
    signalled: bool


@dataclass(frozen=True, slots=True)
class EmergenceMap:
    start: dt.date
    end: dt.date  # exclusive
    rows: list[MapRow]
    units: int  # watched perimeters counted for the diffusion (< 2: diffusion not shown)
    left_out: int  # themes under the minimum support

    @property
    def has_diffusion(self) -> bool:
        return self.units >= 2

    def chart(self) -> dict[str, Any]:
        return {
            "label": [r.label for r in self.rows],
            "visibility": [1000 * r.point.visibility for r in self.rows],
            "visibility_growth": [100 * r.point.visibility_growth for r in self.rows],
            "diffusion": [100 * r.point.diffusion for r in self.rows],
            "diffusion_growth": [100 * r.point.diffusion_growth for r in self.rows],
            "has_diffusion": self.has_diffusion,
        }


def get_emergence_map(
    user: Any, perimeter: Perimeter, today: dt.date | None = None
) -> EmergenceMap:
    """Yoon's (2012) maps of the perimeter's complaint themes over the last 24 complete weeks
    in blocks of 4. Visibility: negative mentions per analysed text of the perimeter;
    diffusion: share of its visible stores and departments where the theme is complained
    about (each text mentions a theme once, so texts would only repeat the mentions)."""
    end = last_complete_week(today) + dt.timedelta(days=7)
    start = end - dt.timedelta(weeks=MAP_BLOCKS * MAP_BLOCK_WEEKS)
    units = list(
        Perimeter.objects.for_user(user)
        .filter(path__startswith=perimeter.path, kind__in=WATCHED_KINDS)
        .values_list("pk", flat=True)
    )
    rows = MetricValue.objects.for_user(user).filter(
        perimeter_id__in=[perimeter.pk, *units],
        period=Period.WEEK,
        start__gte=start,
        start__lt=end,
        dimension__in=(Dimension.ALL, Dimension.THEME),
    )
    texts = np.zeros(MAP_BLOCKS)
    mentions: dict[str, np.ndarray] = {}
    spread: dict[str, list[set[int]]] = {}
    for pid, dimension, value, first, analysed, negative in rows.values_list(
        "perimeter_id", "dimension", "value", "start", "sentiment_n", "negative_mentions"
    ):
        block = (first - start).days // (7 * MAP_BLOCK_WEEKS)
        if pid == perimeter.pk and dimension == Dimension.ALL:
            texts[block] += analysed
        elif pid == perimeter.pk and dimension == Dimension.THEME:
            mentions.setdefault(value, np.zeros(MAP_BLOCKS))[block] += negative
        if dimension == Dimension.THEME and pid in units and negative:
            spread.setdefault(value, [set() for _ in range(MAP_BLOCKS)])[block].add(pid)
    themes = sorted(t for t, m in mentions.items() if m.sum() >= MAP_MIN_SUPPORT)
    left_out = len(mentions) - len(themes)
    if len(themes) < 2 or not texts.any():
        return EmergenceMap(start, end, [], len(units), left_out)
    m = np.column_stack([mentions[t] for t in themes])
    empty = [set[int]() for _ in range(MAP_BLOCKS)]
    w = np.column_stack([[len(s) for s in spread.get(t, empty)] for t in themes])
    points = emergence_map(m, w, texts, diffusion_base=np.full(MAP_BLOCKS, max(len(units), 1)))
    signalled = set(
        ThemeSignal.objects.for_user(user)
        .filter(perimeter_id__in=units, last_seen__gte=start)
        .values_list("theme", flat=True)
    )
    labels = theme_labels()
    return EmergenceMap(
        start,
        end,
        [
            MapRow(t, labels.get(t, t), p, int(m[:, i].sum()), t in signalled)
            for i, (t, p) in enumerate(zip(themes, points, strict=True))
        ],
        len(units),
        left_out,
    )


def list_perimeter_signals(user: Any, perimeter: Perimeter, since: dt.date) -> list[ThemeSignal]:
    """Signals of the perimeter's visible subtree seen since ``since``, newest first."""
    return list(
        ThemeSignal.objects.for_user(user)
        .filter(perimeter__path__startswith=perimeter.path, last_seen__gte=since)
        .select_related("perimeter")
        .order_by("-last_seen", "theme", "perimeter__name")
    )


@dataclass(frozen=True, slots=True)
class CandidateItem:
    candidate: CandidateTheme
    evidence: list[Feedback]


def list_candidates(user: Any, perimeter: Perimeter, since: dt.date) -> list[CandidateItem]:
    """Candidate themes of the perimeter's visible subtree tested since ``since``, with their
    representative texts re-read through the reader's scope."""
    candidates = list(
        CandidateTheme.objects.for_user(user)
        .filter(perimeter__path__startswith=perimeter.path, week__gte=since)
        .select_related("perimeter")
        .order_by("-week", "perimeter__name", "-count")
    )
    ids = {pk for c in candidates for pk in c.evidence}
    texts = Feedback.objects.for_user(user).in_bulk(ids)
    return [CandidateItem(c, [texts[pk] for pk in c.evidence if pk in texts]) for c in candidates]
