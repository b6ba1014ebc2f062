"""The eight sections of a team briefing, built for one reader within their scope.

Each builder returns a JSON-ready dict (it goes into ``Briefing.snapshot`` as is):
``key``, ``title``, ``side`` (``figures``, ``customers`` or ``team``: the balance meter),
``points`` (how many items it shows, docs/briefings.md), ``empty`` (a French sentence saying
why there is nothing to show, or ``None``) and its data. Figures come from the very functions
the dashboard calls (``sales_and_activity``, ``nps_counts``/``nps_of``, ``weekly_trend``,
``theme_shares``), so the briefing and the dashboard always agree.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pouls.activity.queries import sales_and_activity
from pouls.annotations.models import BehaviourMatch
from pouls.annotations.services import theme_labels
from pouls.briefings.models import Briefing, Commitment
from pouls.feedback.models import Feedback
from pouls.lib.wording import reliability_words
from pouls.org.models import Perimeter
from pouls.rollups.queries import THEME_WEEKS, nps_counts, nps_of, theme_shares, weekly_trend
from pouls.watch.evidence import sentence_around
from pouls.watch.models import ThemeSignal
from pouls_analysis import NpsResult, compare_nps
from pouls_analysis.stats.compare import MIN_N_TO_COMPARE

Section = dict[str, Any]

INDICATOR_LABELS = {
    "revenue": gettext_lazy("Chiffre d'affaires"),
    "orders": gettext_lazy("Commandes"),
    "visits": gettext_lazy("Visites"),
    "calls": gettext_lazy("Appels"),
    "quotes": gettext_lazy("Devis"),
    "reports_filed": gettext_lazy("Comptes rendus"),
}
TREND_WEEKS = 8
THEMES_SHOWN = 3
# A behaviour becomes a team topic from this many texts in the period (one is an anecdote).
MIN_BEHAVIOUR_TEXTS = 2
MIN_BEHAVIOUR_CONFIDENCE = 0.5
BEHAVIOURS_SHOWN = 2
VERBATIM_POOL = 200
EXCERPT_CHARS = 280
CALLS_SHOWN = 2


@dataclass(frozen=True, slots=True)
class Scope:
    """What a briefing is about: the reader, the perimeter, its visible subtree, the period."""

    user: Any
    perimeter: Perimeter
    ids: list[int]
    start: dt.date
    end: dt.date  # excluded

    @property
    def since(self) -> dt.datetime:
        return _day_start(self.start)

    @property
    def until(self) -> dt.datetime:
        return _day_start(self.end)


def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, timezone.get_current_timezone())


def _fr(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def _excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + " …"


def _section(key: str, title: str, side: str, points: int, empty: str | None) -> Section:
    return {"key": key, "title": title, "side": side, "points": points, "empty": empty}


def figures(scope: Scope) -> Section:
    """(1) Sales and activity against target over the period."""
    shown = []
    for indicator in sales_and_activity(scope.user, scope.ids, scope.start, scope.end):
        if not indicator.value and not indicator.target:
            continue
        shown.append(
            {
                "key": indicator.key,
                "label": str(INDICATOR_LABELS.get(indicator.key, indicator.key)),
                "value": float(indicator.value),
                "target": None if indicator.target is None else float(indicator.target),
                "attainment": indicator.attainment,
                "money": indicator.key == "revenue",
            }
        )
    empty = None if shown else _("Aucune vente ni activité saisie sur la période.")
    section = _section("chiffres", _("Les chiffres"), "figures", len(shown), empty)
    section["indicators"] = shown
    return section


def _nps_dict(result: NpsResult) -> dict[str, Any]:
    return {
        "n": result.n,
        "nps": result.nps,
        "low": result.low,
        "high": result.high,
        "promoters": result.promoters,
        "passives": result.passives,
        "detractors": result.detractors,
    }


def period_nps(scope: Scope) -> tuple[NpsResult, NpsResult]:
    """NPS of the period and of the period of the same length before, from the rollups."""
    length = scope.end - scope.start
    now = nps_counts(scope.user, [scope.perimeter.pk], scope.start, scope.end)
    before = nps_counts(scope.user, [scope.perimeter.pk], scope.start - length, scope.start)
    return nps_of(now, scope.perimeter.pk), nps_of(before, scope.perimeter.pk)


def _theme_row(theme: Any) -> dict[str, Any]:
    return {
        "theme": theme.theme,
        "label": theme.label,
        "now": theme.now.share,
        "before": theme.before.share,
        "negative": theme.negative.share,
        "difference": theme.change.difference,
    }


def customers(scope: Scope) -> Section:
    """(2) NPS with its interval and trend, themes credibly up and down."""
    result, before = period_nps(scope)
    change = compare_nps(before, result)
    trend = [
        {
            "week": _fr(p.week),
            "nps": p.result.nps,
            "low": p.result.low,
            "high": p.result.high,
            "n": p.result.n,
        }
        for p in weekly_trend(scope.user, scope.perimeter.pk)
        if p.week < scope.end
    ][-TREND_WEEKS:]
    themes = theme_shares(scope.user, scope.perimeter.pk, THEME_WEEKS, scope.end, theme_labels())
    moved = [t for t in themes if t.change.difference is not None]
    up = [t for t in moved if t.change.verdict == "hausse crédible"]
    down = [t for t in moved if t.change.verdict == "baisse crédible"]
    up.sort(key=lambda t: -(t.change.difference or 0.0))
    down.sort(key=lambda t: t.change.difference or 0.0)
    shows_score = result.n >= MIN_N_TO_COMPARE
    empty = None
    if result.n == 0:
        empty = _("Aucune réponse client notée sur la période.")
    elif not shows_score:
        empty = _(
            "Seulement %(n)s réponses notées sur la période : trop peu pour un score "
            "(il en faut %(min)s). Lisez plutôt les verbatims ci-après."
        ) % {"n": result.n, "min": MIN_N_TO_COMPARE}
    section = _section(
        "clients",
        _("Les clients"),
        "customers",
        (1 if shows_score else 0)
        + (1 if len(trend) >= 2 else 0)
        + len(up[:THEMES_SHOWN])
        + len(down[:THEMES_SHOWN]),
        empty,
    )
    section.update(
        nps=_nps_dict(result),
        shows_score=shows_score,
        caveats=reliability_words(result) if shows_score else [],
        change={
            "verdict": change.verdict,
            "difference": change.difference,
            "previous": before.nps,
            "previous_n": before.n,
        },
        trend=trend,
        themes_up=[_theme_row(t) for t in up[:THEMES_SHOWN]],
        themes_down=[_theme_row(t) for t in down[:THEMES_SHOWN]],
        theme_weeks=THEME_WEEKS,
    )
    return section


def _pick(pool: list[dict[str, Any]], taken: set[str], analyzer: Any) -> dict[str, Any] | None:
    """The most representative and vivid text of ``pool`` (select_verbatims), not yet taken."""
    from pouls_analysis.themes.verbatims import select_verbatims

    pool = [row for row in pool if row["code"] not in taken]
    if not pool:
        return None
    chosen = select_verbatims([row["text"] for row in pool], k=1, analyzer=analyzer)
    return pool[chosen[0].index] if chosen else None


def _verbatim_rows(scope: Scope, condition: Q, order: str) -> list[dict[str, Any]]:
    qs = (
        Feedback.objects.for_user(scope.user)
        .filter(
            perimeter_id__in=scope.ids,
            received_at__gte=scope.since,
            received_at__lt=scope.until,
            annotation__is_french=True,
        )
        .exclude(text="")
        # Field reports are the sellers' words, not the customers'.
        .exclude(source_kind=Feedback.SourceKind.FIELD_REPORT)
        .filter(condition)
        .order_by(order, "pk")
        .values("code", "text", "nps", "received_at", "perimeter__name")
    )
    return [dict(row) for row in qs[:VERBATIM_POOL]]


def verbatims(scope: Scope) -> Section:
    """(3) A praise, a pain and a surprise: representative, vivid, diverse, pseudonymised.

    The surprise is a text about a subject outside the taxonomy (something new), else a text
    whose tone contradicts its score (a promoter who complains, a detractor who praises)."""
    pools = [
        (
            "praise",
            _("Un compliment"),
            Q(annotation__sentiment__gt=0.3) & (Q(nps__isnull=True) | Q(nps__gte=9)),
            "-annotation__sentiment",
        ),
        ("pain", _("Une douleur"), Q(annotation__sentiment__lt=-0.3), "annotation__sentiment"),
        (
            "surprise",
            _("Une surprise"),
            Q(annotation__uncovered=True)
            | Q(nps__gte=9, annotation__sentiment__lt=-0.2)
            | Q(nps__lte=6, annotation__sentiment__gt=0.2),
            "-annotation__uncovered",
        ),
    ]
    from pouls_analysis.themes.lexical import LemmaAnalyzer

    # One analyzer per briefing: it grows a vocabulary as it reads, so it is not shared
    # between requests (spaCy's resources behind it are cached process-wide anyway).
    analyzer = LemmaAnalyzer()
    taken: set[str] = set()
    quotes = []
    for kind, label, condition, order in pools:
        row = _pick(_verbatim_rows(scope, condition, order), taken, analyzer)
        if row is None:
            continue
        taken.add(row["code"])
        quotes.append(
            {
                "kind": kind,
                "label": label,
                "code": str(row["code"]),
                "text": _excerpt(row["text"], 400),
                "nps": row["nps"],
                "perimeter": row["perimeter__name"],
                "date": _fr(timezone.localdate(row["received_at"])),
            }
        )
    empty = None
    if not quotes:
        empty = _(
            "Aucun verbatim citable sur la période (pas de texte, textes trop courts ou "
            "contenant des données personnelles)."
        )
    section = _section("verbatims", _("Trois verbatims"), "customers", len(quotes), empty)
    section["quotes"] = quotes
    missing = {k for k, *_ in pools} - {q["kind"] for q in quotes}
    section["missing"] = sorted(missing) if quotes else []
    return section


def callback_candidates(scope: Scope) -> QuerySet[Feedback]:
    """Customers to call: the open entries of the callback queue (``pouls.callbacks``: consenting
    detractors, and passives whose text is negative) that arrived before the end of the period,
    in the reader's scope, whose contact details are still kept; most overdue first.

    Contact details themselves are never put in a briefing (it is projected to the team)."""
    return (
        Feedback.objects.for_user(scope.user)
        .filter(
            perimeter_id__in=scope.ids,
            received_at__lt=scope.until,
            callback__isnull=False,
            callback__closed_at__isnull=True,
            contact__expires_at__gt=timezone.now(),
        )
        .select_related("perimeter", "person")
        .order_by("callback__due_at", "nps", "pk")
    )


def to_call(scope: Scope) -> Section:
    """(4) One or two customers to call back, with the context the caller needs."""
    candidates = callback_candidates(scope)
    rows = list(candidates[:CALLS_SHOWN])
    calls = [
        {
            "code": str(f.code),
            "nps": f.nps,
            "date": _fr(timezone.localdate(f.received_at)),
            "perimeter": f.perimeter.name,
            "seller": str(f.person) if f.person else None,
            "text": _excerpt(f.text),
        }
        for f in rows
    ]
    empty = (
        None if calls else _("Aucun client mécontent n'a accepté d'être rappelé sur la période.")
    )
    section = _section("rappels", _("À rappeler"), "customers", len(calls), empty)
    # Nothing silently dropped: the others wait in the list of the feedback to call back.
    section["calls"] = calls
    section["others"] = candidates.count() - len(calls) if len(calls) == CALLS_SHOWN else 0
    return section


def signal(scope: Scope) -> Section:
    """(5) The weak signal of the week: the strongest surge or drift seen in the period."""
    signals = list(
        ThemeSignal.objects.for_user(scope.user)
        .filter(
            perimeter_id__in=scope.ids,
            last_seen__gte=scope.start - dt.timedelta(days=7),
            first_seen__lt=scope.end,
        )
        .select_related("perimeter")
        .order_by("q_value", "-count", "theme")
    )
    if not signals:
        section = _section(
            "signal",
            _("Le signal de la semaine"),
            "customers",
            0,
            _(
                "Aucun signal faible sur vos périmètres pour cette période : rien ne sort de "
                "l'ordinaire."
            ),
        )
        section["signal"] = None
        return section
    top = max(signals, key=lambda s: (s.count / max(s.expected, 0.5), -(s.q_value or 1.0)))
    section = _section("signal", _("Le signal de la semaine"), "customers", 1, None)
    section["signal"] = {
        "theme": top.theme,
        "label": theme_labels().get(top.theme, top.theme),
        "perimeter": top.perimeter.name,
        "kind": top.get_kind_display(),
        "count": top.count,
        "expected": round(top.expected, 1),
        "first_seen": _fr(top.first_seen),
        "others": len(signals) - 1,
    }
    return section


@functools.cache
def _behaviour_definitions() -> dict[str, Any]:
    from pouls_analysis.behaviours.definitions import load_definitions

    return {d.id: d for d in load_definitions()}


def behaviours(scope: Scope) -> Section:
    """(6) Service behaviours seen in the customers' words (seed 004), with a coaching tip.

    Tips are the ones shipped with the behaviour definitions (one source for the detector's
    documentation and the briefing)."""
    matches = BehaviourMatch.objects.for_user(scope.user).filter(
        perimeter_id__in=scope.ids,
        day__gte=scope.start,
        day__lt=scope.end,
        confidence__gte=MIN_BEHAVIOUR_CONFIDENCE,
    )
    counts = list(
        matches.values("behaviour")
        .annotate(texts=Count("feedback", distinct=True))
        .filter(texts__gte=MIN_BEHAVIOUR_TEXTS)
        .order_by("-texts", "behaviour")[:BEHAVIOURS_SHOWN]
    )
    examples: dict[str, tuple[str, int, int]] = {}
    for behaviour, text, start, end in (
        matches.filter(behaviour__in=[c["behaviour"] for c in counts])
        .order_by("-confidence", "pk")
        .values_list("behaviour", "feedback__text", "start", "end")[:50]
    ):
        examples.setdefault(behaviour, (text, start, end))
    definitions = _behaviour_definitions()
    shown = []
    for row in counts:
        definition = definitions.get(row["behaviour"])
        text, start, end = examples.get(row["behaviour"], ("", 0, 0))
        shown.append(
            {
                "id": row["behaviour"],
                "label": definition.label if definition else row["behaviour"],
                "description": " ".join(definition.description.split()) if definition else "",
                "coaching": " ".join(definition.coaching.split()) if definition else "",
                "texts": row["texts"],
                "example": _sentence_around(text, start, end),
            }
        )
    empty = (
        None
        if shown
        else _(
            "Pas assez d'observations pour un sujet d'équipe : aucun comportement de service "
            "relevé dans au moins %(min)s textes de clients sur la période."
        )
        % {"min": MIN_BEHAVIOUR_TEXTS}
    )
    section = _section(
        "comportements", _("Comportements de service observés"), "customers", len(shown), empty
    )
    section["behaviours"] = shown
    return section


def _sentence_around(text: str, start: int, end: int) -> str:
    """The sentence of ``text`` that holds the evidence span, between French quotes."""
    if not text:
        return ""
    sentence = _excerpt(sentence_around(text, start, end), 240)
    # Shown between French quotes, unless the customer's sentence already opens with one.
    return sentence if sentence.startswith(("«", '"', "“")) else f"« {sentence} »"


BEHAVIOUR_QUESTIONS = {
    "neutralite": gettext_lazy(
        "Quand un client nous demande quelque chose qui n'est pas de notre rayon, "
        "que pouvons-nous lui dire d'autre que « ce n'est pas mon rayon » ?"
    ),
    "evitement": gettext_lazy(
        "Qu'est-ce qui nous empêche de saluer chaque client dans les dix secondes, "
        "même quand nous sommes occupés ?"
    ),
    "protection_groupe": gettext_lazy(
        "À quels moments nos conversations entre collègues se tiennent-elles "
        "devant les clients, et comment les déplacer ?"
    ),
    "categorisation": gettext_lazy(
        "Quelles idées toutes faites avons-nous sur certains clients, et "
        "lesquelles nous ont déjà trompés ?"
    ),
    "education": gettext_lazy(
        "Quelles démarches laissons-nous le client faire seul alors que nous "
        "pourrions les faire avec lui ?"
    ),
    "soumission": gettext_lazy(
        "Face à un client mécontent, qu'est-ce qui l'apaise vraiment, au-delà de la politesse ?"
    ),
}


def question(built: dict[str, Section]) -> Section:
    """(7) One open question drawn from this briefing's own material, most pressing first:
    the signal, then a behaviour, then the pain verbatim, then a theme on the rise."""
    text, source = None, None
    sig = built.get("signal", {}).get("signal")
    shown_behaviours = built.get("comportements", {}).get("behaviours") or []
    pains = [q for q in built.get("verbatims", {}).get("quotes", []) if q["kind"] == "pain"]
    up = built.get("clients", {}).get("themes_up") or []
    if sig:
        text = _(
            "Les clients parlent davantage de « %(theme)s » depuis le %(date)s. Qu'avez-vous "
            "vu ou entendu qui pourrait l'expliquer ?"
        ) % {"theme": sig["label"], "date": sig["first_seen"]}
        source = _("Tirée du signal de la semaine.")
    elif shown_behaviours:
        question_text = BEHAVIOUR_QUESTIONS.get(shown_behaviours[0]["id"])
        text = str(question_text) if question_text is not None else None
        source = _("Tirée des comportements de service observés.")
    if text is None and pains:
        text = _(
            "Relisons la douleur de ce client : que faudrait-il pour qu'il nous recommande la "
            "prochaine fois ?"
        )
        source = _("Tirée de la douleur citée parmi les verbatims.")
    if text is None and up:
        text = _(
            "Le thème « %(theme)s » revient plus souvent : quelle histoire de client "
            "l'illustre le mieux ?"
        ) % {"theme": up[0]["label"]}
        source = _("Tirée des thèmes en hausse.")
    if text is None:
        text = _("Quel client vous a marqué cette semaine, et pourquoi ?")
        source = _("Question ouverte : peu de matière sur la période.")
    section = _section("question", _("La question à l'équipe"), "team", 0, None)
    section.update(question=text, source=source)
    return section


def follow_up(scope: Scope) -> Section:
    """(8) The previous briefing's commitments, and any older one still open."""
    previous = (
        Briefing.objects.for_user(scope.user)
        .filter(perimeter=scope.perimeter, start__lt=scope.start)
        .order_by("-start", "-created_at")
        .first()
    )
    condition = Q(status=Commitment.Status.OPEN, briefing__start__lt=scope.start)
    if previous is not None:
        condition |= Q(briefing=previous)
    rows = (
        Commitment.objects.for_user(scope.user)
        .filter(perimeter=scope.perimeter)
        .filter(condition)
        .select_related("owner")
        .order_by("due", "pk")
    )
    items = [
        {
            "code": str(c.code),
            "text": c.text,
            "owner": str(c.owner),
            "due": _fr(c.due),
            "status": c.status,
            "status_label": c.get_status_display(),
            "late": c.status == Commitment.Status.OPEN and c.due < scope.end,
        }
        for c in rows
    ]
    empty = None if items else _("Aucun engagement en cours pris lors des points précédents.")
    section = _section("engagements", _("Suivi des engagements"), "team", 0, empty)
    section.update(
        commitments=items, previous=_fr(previous.start) if previous is not None else None
    )
    return section
