"""Rollups equal the raw data, survive a crash mid-way, and refresh only what changed."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from pouls.annotations.services import annotate_pending
from pouls.annotations.tasks import analyse_pending_feedback
from pouls.feedback.models import ChangedDay, Feedback
from pouls.lib.dates import month_start, week_start
from pouls.rollups import fill
from pouls.rollups.fill import fill_pending, rebuild_all, refresh
from pouls.rollups.models import COUNTERS, FillState, MetricValue
from pouls.testing import Personas, make_feedback

PARIS = dt.timezone(dt.timedelta(hours=1))
TEXTS = [
    "Livraison en retard et vendeur désagréable.",
    "Accueil chaleureux, conseillère compétente, merci !",
    "Le paiement par carte a été refusé deux fois en caisse.",
    "",
]


def _world(personas: Personas) -> None:
    """Three months of feedback spread over stores, a team and both regions."""
    places = [personas.lille, personas.lille_team, personas.roubaix, personas.marseille]
    for i in range(90):
        make_feedback(
            perimeter=places[i % 4],
            nps=None if i % 7 == 0 else (i * 7) % 11,
            csat=(i % 5) + 1 if i % 3 == 0 else None,
            text=TEXTS[i % 4],
            channel="web" if i % 2 else "store",
            # Some land at 23:30 Paris time: the day must be the French one.
            received_at=dt.datetime(2026, 8, 1, 23, 30, tzinfo=PARIS) + dt.timedelta(days=i),
        )


def _raw(perimeter: Any, since: dt.date, until: dt.date, **filters: Any) -> dict[str, int]:
    rows = [
        f
        for f in Feedback.objects.filter(perimeter__path__startswith=perimeter.path, **filters)
        if since <= timezone.localdate(f.received_at) < until
    ]
    scored = [f.nps for f in rows if f.nps is not None]
    return {
        "feedback": len(rows),
        "nps_n": len(scored),
        "promoters": sum(s >= 9 for s in scored),
        "detractors": sum(s <= 6 for s in scored),
        "csat_sum": sum(f.csat or 0 for f in rows),
    }


def _rolled(perimeter: Any, period: str, start: dt.date, **where: Any) -> dict[str, int]:
    row = MetricValue.objects.filter(
        perimeter=perimeter, period=period, start=start, **where
    ).first()
    names = ("feedback", "nps_n", "promoters", "detractors", "csat_sum")
    return {name: getattr(row, name) if row else 0 for name in names}


def _snapshot() -> set[tuple[Any, ...]]:
    return set(
        MetricValue.objects.values_list(
            "perimeter_id", "period", "start", "dimension", "value", *COUNTERS
        )
    )


@pytest.fixture
def world(personas: Personas) -> Personas:
    _world(personas)
    annotate_pending()
    return personas


def test_subtree_rollups_equal_the_raw_rows(world: Personas) -> None:
    refresh()
    day = dt.date(2026, 8, 20)
    week = week_start(day)
    month = month_start(day)
    cases = [
        ("day", day, day + dt.timedelta(days=1)),
        ("week", week, week + dt.timedelta(days=7)),
        ("month", month, dt.date(2026, 9, 1)),
    ]
    for perimeter in (world.group, world.nord, world.lille, world.marseille):
        for period, since, until in cases:
            assert _rolled(perimeter, period, since, dimension="") == _raw(perimeter, since, until)
    assert _rolled(world.nord, "month", month, dimension="channel", value="web") == _raw(
        world.nord, month, dt.date(2026, 9, 1), channel="web"
    )


def test_theme_rows_count_the_feedback_mentioning_the_theme(world: Personas) -> None:
    refresh()
    month = dt.date(2026, 9, 1)
    rolled = _rolled(world.group, "month", month, dimension="theme", value="delivery")
    raw = _raw(world.group, month, dt.date(2026, 10, 1), themes__theme="delivery")
    assert rolled == raw and raw["feedback"] > 0


def test_a_crash_mid_way_leaves_no_half_period_and_the_next_run_finishes(
    world: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    rebuild_all()
    expected = _snapshot()
    MetricValue.objects.all().delete()
    FillState.objects.update(state=FillState.State.PENDING)
    real_insert = fill._insert
    calls = {"n": 0}

    def crash_on_the_fifth(rows: list[tuple[Any, ...]]) -> None:
        calls["n"] += 1
        real_insert(rows[: len(rows) // 2])  # half the period is written, then the crash
        if calls["n"] == 5:
            raise RuntimeError("simulated crash")
        real_insert(rows[len(rows) // 2 :])

    monkeypatch.setattr(fill, "_insert", crash_on_the_fifth)
    with pytest.raises(RuntimeError):
        fill_pending()
    assert FillState.objects.filter(state="done").count() == 4
    crashed = FillState.objects.filter(state="pending").order_by("period", "start").first()
    assert crashed is not None
    # Rolled back: nothing of the crashed period is left.
    assert not MetricValue.objects.filter(period="day", start=crashed.start).exists()
    monkeypatch.setattr(fill, "_insert", real_insert)
    fill_pending()
    assert _snapshot() == expected


def test_refresh_rebuilds_only_the_periods_of_new_feedback(world: Personas) -> None:
    refresh()
    filled = dict(FillState.objects.values_list("pk", "filled_at"))
    make_feedback(
        perimeter=world.roubaix,
        nps=10,
        received_at=dt.datetime(2026, 10, 29, 12, 0, tzinfo=PARIS),
    )
    assert refresh() == 3  # its day, its week and its month
    changed = {
        (s.period, s.start) for s in FillState.objects.all() if s.filled_at != filled.get(s.pk)
    }
    assert changed == {
        ("day", dt.date(2026, 10, 29)),
        ("week", dt.date(2026, 10, 26)),
        ("month", dt.date(2026, 10, 1)),
    }
    incremental = _snapshot()
    rebuild_all()
    assert _snapshot() == incremental


def test_a_change_recorded_while_refresh_runs_is_kept_for_the_next_run(
    world: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    """refresh deletes the change records it read, not the table: a record committed
    between its read and its delete (here written from inside the run) survives."""
    refresh()
    real_mark = fill.mark_pending
    late: list[Feedback] = []

    def mark_then_write(days: Any) -> int:
        marked = real_mark(days)
        if not late:
            late.append(
                make_feedback(
                    perimeter=world.roubaix,
                    nps=0,
                    received_at=dt.datetime(2026, 11, 3, 12, tzinfo=PARIS),
                )
            )
        return marked

    monkeypatch.setattr(fill, "mark_pending", mark_then_write)
    make_feedback(perimeter=world.lille, nps=10, received_at=dt.datetime(2026, 11, 2, tzinfo=PARIS))
    refresh()
    assert ChangedDay.objects.filter(day=dt.date(2026, 11, 3)).exists()
    monkeypatch.setattr(fill, "mark_pending", real_mark)
    refresh()
    day = dt.date(2026, 11, 3)
    assert _rolled(world.roubaix, "day", day, dimension="")["feedback"] == 1
    assert not ChangedDay.objects.exists()


def test_every_writer_records_the_days_it_changed(world: Personas) -> None:
    """Imports, survey answers, field reports and the analysis write their change records
    with their rows; rebuild_all forgets them (it redoes every day anyway)."""
    from pouls.feedback.actions import do_file_field_report
    from pouls.feedback.importers.pipeline import store_answer

    rebuild_all()
    assert not ChangedDay.objects.exists()
    answer = Feedback(
        perimeter=world.lille,
        source_kind="survey",
        channel="web",
        received_at=dt.datetime(2026, 12, 1, 10, tzinfo=PARIS),
        nps=4,
        text="Trop d'attente en caisse.",
    )
    assert store_answer(answer, key="form-1") is not None
    report = do_file_field_report(
        world.bob, perimeter=world.lille, category="dysfunction", text="Rupture de sacs."
    )
    days = set(ChangedDay.objects.values_list("day", flat=True))
    assert days == {dt.date(2026, 12, 1), timezone.localdate(report.received_at)}
    ChangedDay.objects.all().delete()
    annotate_pending()
    assert set(ChangedDay.objects.values_list("day", flat=True)) == days
    refresh()
    for perimeter in (world.group, world.lille):
        day = dt.date(2026, 12, 1)
        assert _rolled(perimeter, "day", day, dimension="") == _raw(
            perimeter, day, day + dt.timedelta(days=1)
        )


def test_the_analysis_task_refreshes_the_rollups(personas: Personas) -> None:
    make_feedback(perimeter=personas.lille, nps=3, text=TEXTS[0])
    analyse_pending_feedback.call()
    assert MetricValue.objects.filter(perimeter=personas.group, dimension="theme").exists()


def test_rollup_rows_are_scoped(world: Personas) -> None:
    refresh()
    mine = set(MetricValue.objects.for_user(world.bob).values_list("perimeter_id", flat=True))
    assert mine == {world.lille.pk, world.lille_team.pk}
    assert not MetricValue.objects.for_user(world.charlie).exists()
