"""The briefing's content for a demo-like team: eight sections, figures equal to the
dashboard's, only what the reader may see, and honest empty sections."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.utils import timezone

from pouls.activity.queries import sales_and_activity
from pouls.annotations.services import annotate
from pouls.briefings.queries import SECTION_KEYS, build_snapshot, make_scope, period_end
from pouls.briefings.tests.conftest import MARSEILLE_SECRET, NEUTRALITY, Team
from pouls.callbacks.models import Callback
from pouls.feedback.models import CallbackContact, Feedback
from pouls.lib.dates import week_start
from pouls.lib.forms import Window
from pouls.rollups.queries import nps_counts, nps_of, weekly_trend
from pouls.testing import make_callback, make_feedback, refresh_rollups
from pouls.watch.models import ThemeSignal
from pouls.web.queries import get_dashboard


def _sections(snapshot: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {s["key"]: s for s in snapshot["sections"]}


def test_the_briefing_has_all_eight_sections_in_order(team: Team) -> None:
    snapshot = build_snapshot(team.p.carol, team.p.lille, "weekly", team.start)
    assert [s["key"] for s in snapshot["sections"]] == list(SECTION_KEYS)
    s = _sections(snapshot)
    assert s["chiffres"]["empty"] is None and len(s["chiffres"]["indicators"]) >= 3
    assert s["clients"]["shows_score"] and s["clients"]["nps"]["n"] == 40
    kinds = [q["kind"] for q in s["verbatims"]["quotes"]]
    assert kinds == ["praise", "pain", "surprise"]
    assert len({q["code"] for q in s["verbatims"]["quotes"]}) == 3  # diverse: three texts
    assert [c["code"] for c in s["rappels"]["calls"]] == [str(team.callback.code)]
    assert "example.test" not in json.dumps(snapshot)  # contact details are never shown
    assert s["signal"]["signal"]["theme"] == "delivery"
    behaviours = s["comportements"]["behaviours"]
    assert [b["id"] for b in behaviours] == ["neutralite"] and behaviours[0]["texts"] == 2
    assert behaviours[0]["coaching"]
    assert behaviours[0]["example"].strip("« »") in " ".join(NEUTRALITY)
    assert "Livraison" in s["question"]["question"]  # drawn from the week's signal
    assert s["engagements"]["empty"].startswith("Aucun engagement")
    # Figures: 6 indicators; customers: score, trend?, themes, 3 quotes, 1 call, 1 signal, 1
    assert snapshot["figures_points"] == len(s["chiffres"]["indicators"])
    assert snapshot["customer_points"] >= 1 + 3 + 1 + 1 + 1
    json.dumps(snapshot)  # storable as is


def test_its_figures_equal_the_dashboards(team: Team) -> None:
    user, lille = team.p.carol, team.p.lille
    snapshot = build_snapshot(user, lille, "weekly", team.start)
    s = _sections(snapshot)
    end = period_end("weekly", team.start)
    expected = nps_of(nps_counts(user, [lille.pk], team.start, end), lille.pk)
    nps = s["clients"]["nps"]
    assert (nps["n"], nps["nps"], nps["low"], nps["high"]) == (
        expected.n,
        expected.nps,
        expected.low,
        expected.high,
    )
    scope = make_scope(user, lille, "weekly", team.start)
    indicators = sales_and_activity(user, scope.ids, team.start, end)
    shown = {i["key"]: i for i in s["chiffres"]["indicators"]}
    assert {"revenue", "orders", "visits", "reports_filed"} <= set(shown)
    for indicator in indicators:
        if indicator.key in shown:
            assert shown[indicator.key]["value"] == float(indicator.value)
            assert shown[indicator.key]["attainment"] == indicator.attainment
    trend = [p for p in weekly_trend(user, lille.pk) if p.week < end]
    assert trend
    assert [p["nps"] for p in s["clients"]["trend"]] == [p.result.nps for p in trend][-8:]
    # Themes: test_themes_up_and_down_are_the_dashboards_rows.


def test_a_store_reader_gets_nothing_from_another_store(team: Team) -> None:
    snapshot = build_snapshot(team.p.bob, team.p.lille, "weekly", team.start)
    text = json.dumps(snapshot, ensure_ascii=False)
    assert MARSEILLE_SECRET not in text and "Marseille" not in text
    assert "checkout_payment" not in text
    revenue = _sections(snapshot)["chiffres"]["indicators"][0]
    assert revenue["key"] == "revenue" and revenue["value"] == 7 * 1500


def test_sections_without_data_say_why_in_french(team: Team) -> None:
    snapshot = build_snapshot(team.p.carol, team.p.roubaix, "weekly", team.start)
    s = _sections(snapshot)
    for key in ("chiffres", "clients", "verbatims", "rappels", "signal", "comportements"):
        assert s[key]["empty"], key
        assert s[key]["points"] == 0
    assert "Aucune réponse client" in s["clients"]["empty"]
    assert s["question"]["question"].startswith("Quel client vous a marqué")
    assert snapshot["figures_points"] == snapshot["customer_points"] == 0


def test_hidden_sections_are_not_shown_and_count_no_point(team: Team) -> None:
    hidden = ["clients", "verbatims", "rappels", "signal", "comportements"]
    snapshot = build_snapshot(team.p.carol, team.p.lille, "weekly", team.start, hidden)
    assert [s["key"] for s in snapshot["sections"]] == ["chiffres", "question", "engagements"]
    assert snapshot["customer_points"] == 0 and snapshot["figures_points"] > 0
    assert len(snapshot["hidden"]) == 5


def test_a_daily_briefing_covers_one_day(team: Team) -> None:
    day = team.start + dt.timedelta(days=1)
    snapshot = build_snapshot(team.p.carol, team.p.lille, "daily", day)
    s = _sections(snapshot)
    assert snapshot["end"] == (day + dt.timedelta(days=1)).isoformat()
    # 5 numbers-only answers on the second day: too few for a score, and it says so.
    assert not s["clients"]["shows_score"] and "trop peu pour un score" in s["clients"]["empty"]


def test_without_a_signal_the_question_comes_from_the_behaviour_seen(team: Team) -> None:
    ThemeSignal.objects.filter(perimeter=team.p.lille).delete()
    snapshot = build_snapshot(team.p.carol, team.p.lille, "weekly", team.start)
    s = _sections(snapshot)
    assert s["signal"]["empty"] and s["signal"]["points"] == 0
    assert "ce n'est pas mon rayon" in s["question"]["question"]
    assert s["question"]["source"] == "Tirée des comportements de service observés."


def test_two_customers_to_call_at_most_and_the_others_are_counted(team: Team) -> None:
    extra = Feedback.objects.filter(perimeter=team.p.lille_team, nps__in=[3, 4]).exclude(text="")
    for feedback in extra:
        feedback.callback_consent = True
        feedback.save(update_fields=["callback_consent"])
        CallbackContact.objects.create(
            feedback=feedback,
            perimeter=feedback.perimeter,
            contact="x@example.test",
            expires_at=timezone.now() + dt.timedelta(days=1),
        )
        make_callback(feedback=feedback)
    # A detractor whose contact has expired is not proposed.
    CallbackContact.objects.filter(feedback__nps=4).update(expires_at=timezone.now())
    section = _sections(build_snapshot(team.p.carol, team.p.lille, "weekly", team.start))["rappels"]
    assert [c["nps"] for c in section["calls"]] == [2, 3]
    assert section["others"] == 0
    CallbackContact.objects.filter(feedback__nps=4).update(
        expires_at=timezone.now() + dt.timedelta(days=1)
    )
    section = _sections(build_snapshot(team.p.carol, team.p.lille, "weekly", team.start))["rappels"]
    assert section["others"] == 1 and section["points"] == 2
    # A call logged as done takes the customer out of the briefing.
    Callback.objects.filter(feedback__nps=2).update(closed_at=timezone.now(), outcome="resolved")
    section = _sections(build_snapshot(team.p.carol, team.p.lille, "weekly", team.start))["rappels"]
    assert [c["nps"] for c in section["calls"]] == [3, 4]


def test_themes_up_and_down_are_the_dashboards_rows(team: Team) -> None:
    """Delivery is talked about in the last 8 weeks and not before, welcome the other way
    round: both moves are credible, and the briefing shows the dashboard's own figures."""
    lille = team.p.lille_team
    texts = []
    for week in range(2, 8):  # recent weeks (before the briefing's week): delivery
        day = team.start - dt.timedelta(weeks=week - 1, days=-2)
        texts.append(
            make_feedback(
                perimeter=lille,
                nps=3,
                text="Livraison en retard, le livreur n'est jamais venu, colis perdu.",
                received_at=timezone.make_aware(dt.datetime.combine(day, dt.time(11))),
            )
        )
    for week in range(9, 17):  # the 8 weeks before those: welcome only, twice a week
        day = team.start - dt.timedelta(weeks=week - 1, days=-2)
        for hour in (10, 16):
            texts.append(
                make_feedback(
                    perimeter=lille,
                    nps=9,
                    text="Accueil chaleureux et souriant dès l'entrée, vendeuse très aimable.",
                    received_at=timezone.make_aware(dt.datetime.combine(day, dt.time(hour))),
                )
            )
    annotate([f.pk for f in texts])
    refresh_rollups()
    s = _sections(build_snapshot(team.p.carol, team.p.lille, "weekly", team.start))["clients"]
    assert s["themes_up"] and s["themes_down"]
    assert "delivery" in {t["theme"] for t in s["themes_up"]}
    # The dashboard's window of the same 8 whole weeks (the page's period control).
    today = timezone.localdate()
    window = Window(week_start(today) - dt.timedelta(weeks=8), today)
    dashboard = get_dashboard(team.p.carol, team.p.lille, window)
    by_theme = {t.theme: t for t in dashboard.themes}
    for row in s["themes_up"] + s["themes_down"]:
        theme = by_theme[row["theme"]]
        assert (row["now"], row["before"], row["negative"], row["difference"]) == (
            theme.now.share,
            theme.before.share,
            theme.negative.share,
            theme.change.difference,
        )
    assert s["points"] >= 1 + 1 + len(s["themes_up"]) + len(s["themes_down"])


def test_a_text_with_a_personal_detail_is_never_quoted(team: Team) -> None:
    texts = [
        "Merci à M. Dupont, conseiller génial et patient, je recommande vivement ce magasin !",
        "Super accueil, rappelez-moi au 06 12 34 56 78 pour la livraison, vendeur parfait !",
    ]
    rows = [
        make_feedback(
            perimeter=team.p.lille_team,
            nps=10,
            text=text,
            received_at=timezone.make_aware(dt.datetime.combine(team.start, dt.time(9))),
        )
        for text in texts
    ]
    annotate([f.pk for f in rows])
    # They are praises (so candidates), refused only for the personal detail they hold.
    assert all(
        f.annotation.sentiment > 0.3 for f in Feedback.objects.filter(pk__in=[r.pk for r in rows])
    )
    snapshot = build_snapshot(team.p.carol, team.p.lille, "weekly", team.start)
    quoted = json.dumps(snapshot, ensure_ascii=False)
    assert "Dupont" not in quoted and "06 12 34" not in quoted
    assert _sections(snapshot)["verbatims"]["quotes"][0]["kind"] == "praise"


def test_a_store_reader_asking_for_the_whole_group_still_gets_only_their_store(
    team: Team,
) -> None:
    # Marseille is under the group: only the scoping keeps it out of bob's briefing.
    snapshot = build_snapshot(team.p.bob, team.p.group, "weekly", team.start)
    text = json.dumps(snapshot, ensure_ascii=False)
    assert MARSEILLE_SECRET not in text
    assert "checkout_payment" not in text
    revenue = _sections(snapshot)["chiffres"]["indicators"][0]
    assert revenue["key"] == "revenue" and revenue["value"] == 7 * 1500
