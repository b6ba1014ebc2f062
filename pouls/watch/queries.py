"""« Quoi de neuf ? »: what changed for one reader, within the reader's scope only.

The same function feeds the page and the e-mail digest, so a digest never holds more than
its reader may see on screen: signals through ``ThemeSignal.objects.for_user``, changes
through the rollups' ``for_user``, verbatims through ``Feedback.objects.for_user``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, cast

from django.db.models import Sum
from django.utils import timezone

from pouls.activity.models import ActivityFact
from pouls.annotations.services import theme_labels
from pouls.feedback.models import Feedback
from pouls.org.models import Perimeter
from pouls.rollups.queries import nps_counts, nps_of
from pouls.watch.detection import last_complete_week
from pouls.watch.divergence import DivergenceItem, sales_up_nps_down
from pouls.watch.models import CandidateTheme, ThemeSignal
from pouls_analysis import Difference, NpsResult, compare_nps
from pouls_analysis.stats.lagged import silent_weeks

SIGNAL_WEEKS = 2
CHANGE_DAYS = 28
VERBATIM_DAYS = 7
CREDIBLE = ("hausse crédible", "baisse crédible")
SILENCE_WEEKS = 12
ACTIVITIES = ("visits", "calls", "quotes", "reports_filed")


@dataclass(frozen=True, slots=True)
class SignalItem:
    signal: ThemeSignal
    label: str
    # Other perimeters of the reader's scope where the same theme is signalled.
    spread: list[Perimeter]


@dataclass(frozen=True, slots=True)
class ChangeItem:
    perimeter: Perimeter
    before: NpsResult
    now: NpsResult
    change: Difference


@dataclass(frozen=True, slots=True)
class SilenceItem:
    """An activity a perimeter used to record and has not for ``weeks`` weeks."""

    perimeter: Perimeter
    activity: str  # field of ActivityFact
    label: str
    weeks: int


@dataclass(frozen=True, slots=True)
class Feed:
    week: dt.date
    signals: list[SignalItem] = field(default_factory=list)
    changes: list[ChangeItem] = field(default_factory=list)
    pains: list[Feedback] = field(default_factory=list)
    praises: list[Feedback] = field(default_factory=list)
    silences: list[SilenceItem] = field(default_factory=list)
    divergences: list[DivergenceItem] = field(default_factory=list)
    candidates: list[CandidateTheme] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (
            self.signals
            or self.changes
            or self.pains
            or self.praises
            or self.silences
            or self.divergences
            or self.candidates
        )


def whats_new(user: Any, today: dt.date | None = None) -> Feed:
    today = today or timezone.localdate()
    week = last_complete_week(today)
    signals = list(
        ThemeSignal.objects.for_user(user)
        .filter(last_seen__gte=week - dt.timedelta(weeks=SIGNAL_WEEKS - 1))
        .select_related("perimeter")
        .order_by("-first_seen", "theme", "perimeter__name")
    )
    by_theme: dict[str, list[Perimeter]] = {}
    for s in signals:
        by_theme.setdefault(s.theme, []).append(s.perimeter)
    labels = theme_labels()
    items = [
        SignalItem(
            s,
            labels.get(s.theme, s.theme),
            [p for p in by_theme[s.theme] if p.pk != s.perimeter_id],
        )
        for s in signals
    ]
    return Feed(
        week=week,
        signals=items,
        changes=_credible_changes(user, today),
        pains=_verbatims(user, today, negative=True),
        praises=_verbatims(user, today, negative=False),
        silences=_silences(user, week),
        divergences=sales_up_nps_down(user, week),
        candidates=list(
            CandidateTheme.objects.for_user(user)
            .filter(week__gte=week - dt.timedelta(weeks=SIGNAL_WEEKS - 1))
            .select_related("perimeter")
            .order_by("-week", "perimeter__name", "-count")
        ),
    )


def _silences(user: Any, week: dt.date) -> list[SilenceItem]:
    """Perimeters where an activity (visits, calls, quotes, reports) has been at zero for at
    least three whole weeks after being recorded before (``silent_weeks``): a team that stops
    reporting correlates with nothing, so the feed says it plainly. Weeks end with ``week``."""
    weeks = [week - dt.timedelta(weeks=k) for k in reversed(range(SILENCE_WEEKS))]
    start, end = weeks[0], week + dt.timedelta(days=7)
    series: dict[int, dict[str, list[float]]] = {}
    rows = (
        ActivityFact.objects.for_user(user)
        .filter(date__gte=start, date__lt=end)
        .values("perimeter_id", "date")
        .annotate(**{a: Sum(a) for a in ACTIVITIES})
    )
    for raw in rows:
        row = cast(dict[str, Any], raw)
        i = (row["date"] - start).days // 7
        values = series.setdefault(row["perimeter_id"], {a: [0.0] * len(weeks) for a in ACTIVITIES})
        for a in ACTIVITIES:
            values[a][i] += float(row[a] or 0)
    found = [
        (pid, a, silent)
        for pid, values in series.items()
        for a in ACTIVITIES
        if (silent := silent_weeks(values[a]))
    ]
    if not found:
        return []
    perimeters = Perimeter.objects.for_user(user).in_bulk({pid for pid, _, _ in found})
    fields = {a: ActivityFact._meta.get_field(a) for a in ACTIVITIES}
    labels = {a: str(getattr(f, "verbose_name", a)) for a, f in fields.items()}
    items = [
        SilenceItem(perimeters[pid], a, labels[a], n) for pid, a, n in found if pid in perimeters
    ]
    return sorted(items, key=lambda i: (-i.weeks, i.perimeter.name, i.activity))


def _credible_changes(user: Any, today: dt.date) -> list[ChangeItem]:
    """Perimeters whose NPS over the last four weeks moved credibly against the four
    weeks before (a z-test on the two NPS; small samples say so and are left out)."""
    perimeters = list(
        Perimeter.objects.for_user(user).filter(kind__in=("group", "region", "store"))
    )
    ids = [p.pk for p in perimeters]
    start = today - dt.timedelta(days=CHANGE_DAYS - 1)
    now = nps_counts(user, ids, start, today + dt.timedelta(days=1))
    before = nps_counts(user, ids, start - dt.timedelta(days=CHANGE_DAYS), start)
    items = []
    for p in perimeters:
        a, b = nps_of(before, p.pk), nps_of(now, p.pk)
        change = compare_nps(a, b)
        if change.verdict in CREDIBLE:
            items.append(ChangeItem(p, a, b, change))
    return sorted(items, key=lambda i: -abs(i.change.difference or 0.0))[:10]


def _verbatims(user: Any, today: dt.date, *, negative: bool, limit: int = 3) -> list[Feedback]:
    """The most negative (or positive) French texts of the last days, already pseudonymised
    at the door."""
    zone = timezone.get_current_timezone()
    since = dt.datetime.combine(today - dt.timedelta(days=VERBATIM_DAYS), dt.time.min, zone)
    qs = Feedback.objects.for_user(user).filter(received_at__gte=since, annotation__is_french=True)
    if negative:
        qs = qs.filter(annotation__sentiment__lt=-0.3).order_by("annotation__sentiment")
    else:
        qs = qs.filter(annotation__sentiment__gt=0.3).order_by("-annotation__sentiment")
    return list(qs.select_related("perimeter")[:limit])
