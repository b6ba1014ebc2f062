"""Weak signals from weekly theme rollups, the scoped feed, and the digest."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from pouls.org.models import Perimeter
from pouls.rollups.models import MetricValue
from pouls.testing import Personas, make_feedback
from pouls.watch.detection import detect
from pouls.watch.digest import send_digests
from pouls.watch.models import DigestSubscription, ThemeSignal
from pouls.watch.queries import whats_new

LAST = dt.date(2026, 11, 9)  # a Monday
TODAY = LAST + dt.timedelta(days=8)
CALM = [3, 5, 4, 4, 6, 3, 5, 4, 5, 4, 3, 5, 4, 6, 4]


def _weekly(perimeter: Perimeter, theme: str, counts: list[int]) -> None:
    weeks = [LAST - dt.timedelta(weeks=k) for k in reversed(range(len(counts)))]
    MetricValue.objects.bulk_create(
        MetricValue(
            perimeter=perimeter,
            period="week",
            start=week,
            dimension="theme",
            value=theme,
            feedback=count + 2,
            negative_mentions=count,
        )
        for week, count in zip(weeks, counts, strict=True)
    )


@pytest.fixture
def traffic(personas: Personas) -> Personas:
    """Calm complaints everywhere; payment complaints jump in Lille in the last week."""
    for perimeter in (personas.lille, personas.roubaix, personas.marseille):
        _weekly(perimeter, "delivery", [*CALM, 4])
        _weekly(perimeter, "price", [*CALM[::-1], 5])
    _weekly(personas.lille, "checkout_payment", [*CALM, 21])
    _weekly(personas.marseille, "checkout_payment", [*CALM, 5])
    return personas


def test_a_surge_is_found_where_it_happens_and_nowhere_else(traffic: Personas) -> None:
    found = detect(LAST)
    assert [(s.perimeter_id, s.theme, s.kind) for s in found] == [
        (traffic.lille.pk, "checkout_payment", "surge")
    ]
    signal = found[0]
    assert (signal.first_seen, signal.last_seen, signal.count) == (LAST, LAST, 21)
    assert signal.expected == pytest.approx(sum(CALM[-12 - 3 : -3]) / 12, abs=0.5)


def test_a_known_signal_is_followed_not_raised_again(traffic: Personas) -> None:
    detect(LAST)
    next_week = LAST + dt.timedelta(weeks=1)
    _weekly(traffic.lille, "checkout_payment", [])
    MetricValue.objects.create(
        perimeter=traffic.lille,
        period="week",
        start=next_week,
        dimension="theme",
        value="checkout_payment",
        negative_mentions=19,
    )
    detect(next_week)
    signal = ThemeSignal.objects.get()
    assert (signal.first_seen, signal.last_seen, signal.count) == (LAST, next_week, 19)


def test_the_feed_shows_only_what_the_reader_may_see(client: Client, traffic: Personas) -> None:
    _weekly(traffic.marseille, "waiting", [*CALM, 25])
    detect(LAST)
    assert {s.signal.perimeter.name for s in whats_new(traffic.bob, TODAY).signals} == {
        "Site Lille"
    }
    assert {s.signal.perimeter.name for s in whats_new(traffic.alice, TODAY).signals} == {
        "Site Lille",
        "Site Marseille",
    }
    assert whats_new(traffic.charlie, TODAY).empty
    client.force_login(traffic.bob)
    body = client.get(reverse("watch-feed")).content.decode()
    assert "Marseille" not in body


def test_the_digest_holds_only_the_readers_scope(traffic: Personas) -> None:
    _weekly(traffic.marseille, "waiting", [*CALM, 25])
    detect(LAST)
    make_feedback(
        perimeter=traffic.marseille,
        nps=0,
        text="Secret de Marseille",
        received_at=dt.datetime(2026, 11, 16, 10, tzinfo=dt.UTC),
    )
    for user in (traffic.bob, traffic.alice, traffic.charlie):
        DigestSubscription.objects.create(user=user, daily=True)
    assert send_digests(TODAY) == 2  # charlie sees nothing: no empty e-mail
    bodies = {m.to[0]: m.body for m in mail.outbox}
    assert "Site Lille" in bodies["bob@example.test"]
    assert "Marseille" not in bodies["bob@example.test"]
    assert "Site Marseille" in bodies["alice@example.test"]
    assert send_digests(TODAY) == 0  # once a day


def test_subscribing_from_the_feed_page(client: Client, personas: Personas) -> None:
    client.force_login(personas.bob)
    response = client.post(reverse("watch-digest-subscription"), {"daily": "1"})
    assert response.status_code == 302
    assert DigestSubscription.objects.get(user=personas.bob).daily
    client.post(reverse("watch-digest-subscription"), {"daily": "0"})
    assert not DigestSubscription.objects.get(user=personas.bob).daily


def test_a_refused_address_does_not_stop_the_other_digests(
    traffic: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    import smtplib

    from pouls.watch import digest

    _weekly(traffic.marseille, "waiting", [*CALM, 25])
    detect(LAST)
    for user in (traffic.bob, traffic.alice):
        DigestSubscription.objects.create(user=user, daily=True)
    from django.core.mail import send_mail as real

    def refuse_bob(subject: str, body: str, sender: str | None, to: list[str]) -> int:
        if to == ["bob@example.test"]:
            raise smtplib.SMTPRecipientsRefused({})
        return real(subject, body, sender, to)

    monkeypatch.setattr(digest, "send_mail", refuse_bob)
    assert send_digests(TODAY) == 1
    assert [m.to for m in mail.outbox] == [["alice@example.test"]]
    monkeypatch.setattr(digest, "send_mail", real)
    assert send_digests(TODAY) == 1  # bob's digest is tried again, alice is not sent twice
    assert mail.outbox[-1].to == ["bob@example.test"]
