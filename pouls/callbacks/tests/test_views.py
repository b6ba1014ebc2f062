"""Callback pages: the queue, the detail with its log form, the figures."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from pouls.callbacks.models import Callback, CallLog
from pouls.feedback.models import CallbackContact, Feedback
from pouls.org.models import Person
from pouls.surveys.forms import new_nonce
from pouls.surveys.models import Invitation
from pouls.testing import (
    Personas,
    make_callback,
    make_feedback,
    make_grant,
    make_person,
    make_survey,
    make_user,
)


@dataclass
class World:
    p: Personas
    seller: Person
    sam: User
    lille: Callback
    marseille: Callback


def _callback(perimeter: Any, *, person: Person | None = None, ref: str = "") -> Callback:
    feedback = make_feedback(perimeter=perimeter, nps=2, text="Personne pour m'aider.")
    Feedback.objects.filter(pk=feedback.pk).update(
        callback_consent=True, customer_ref=ref, person=person
    )
    feedback.refresh_from_db()
    CallbackContact.objects.create(
        feedback=feedback,
        perimeter=perimeter,
        contact="06 11 22 33 44",
        expires_at=timezone.now() + dt.timedelta(days=90),
    )
    return make_callback(feedback=feedback)


@pytest.fixture
def world(personas: Personas) -> World:
    sam = make_user("sam")
    make_grant(sam, personas.lille, "viewer")
    seller = make_person(perimeter=personas.lille, first_name="Sam", last_name="Leroy", user=sam)
    return World(
        personas,
        seller,
        sam,
        _callback(personas.lille, person=seller, ref="ref-lille"),
        _callback(personas.marseille),
    )


def _detail(callback: Callback) -> str:
    return reverse("callbacks-callback-detail", args=[callback.code])


def test_the_queue_lists_the_stores_open_callbacks(client: Client, world: World) -> None:
    client.force_login(world.p.bob)
    response = client.get(reverse("callbacks-callback-queue", args=[world.p.lille.code]))
    body = response.content.decode()
    assert response.status_code == 200 and "Personne pour m" in body
    assert _detail(world.lille) in body and _detail(world.marseille) not in body


def test_the_queue_costs_the_same_queries_for_more_rows(client: Client, world: World) -> None:
    client.force_login(world.p.carol)
    urls = [
        reverse(name, args=[world.p.nord.code])
        for name in ("callbacks-callback-queue", "callbacks-callback-figures")
    ]

    def count(url: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    before = [count(url) for url in urls]
    for _ in range(5):
        closed = _callback(world.p.roubaix, ref="ref-x")
        Callback.objects.filter(pk=closed.pk).update(closed_at=timezone.now(), outcome="reached")
        _callback(world.p.roubaix)
    assert [count(url) for url in urls] == before


def test_the_assigned_seller_logs_a_call_that_closes_it(client: Client, world: World) -> None:
    client.force_login(world.sam)
    page = client.get(_detail(world.lille)).content.decode()
    assert "06 11 22 33 44" not in page  # viewers never read contact details
    response = client.post(
        _detail(world.lille), {"issue": "resolved", "note": "Rappelée, geste commercial."}
    )
    assert response.status_code == 302
    world.lille.refresh_from_db()
    assert world.lille.outcome == "resolved" and world.lille.closed_at is not None
    log = CallLog.objects.get()
    assert log.author == world.sam and log.note == "Rappelée, geste commercial."
    assert "Rappelée, geste commercial." in client.get(_detail(world.lille)).content.decode()


def test_call_again_keeps_it_in_the_queue(client: Client, world: World) -> None:
    client.force_login(world.p.carol)
    client.post(_detail(world.lille), {"issue": "call_again", "note": ""})
    world.lille.refresh_from_db()
    assert world.lille.is_open and world.lille.outcome == "call_again"


def test_an_analyst_reads_the_contact(client: Client, world: World) -> None:
    client.force_login(world.p.carol)
    assert "06 11 22 33 44" in client.get(_detail(world.lille)).content.decode()


def test_bob_reads_but_cannot_log(client: Client, world: World) -> None:
    client.force_login(world.p.bob)
    page = client.get(_detail(world.lille))
    assert page.status_code == 200 and "Enregistrer un appel" not in page.content.decode()
    assert 'id="read-only"' in page.content.decode()
    assert client.post(_detail(world.lille), {"issue": "reached"}).status_code == 403
    assert not CallLog.objects.exists()


def test_charlie_and_outsiders_get_404(client: Client, world: World) -> None:
    client.force_login(world.p.charlie)
    assert client.get(_detail(world.lille)).status_code == 404
    assert client.post(_detail(world.lille), {"issue": "reached"}).status_code == 404
    client.force_login(world.sam)
    assert client.get(_detail(world.marseille)).status_code == 404


def test_a_bad_outcome_gets_a_french_message(client: Client, world: World) -> None:
    client.force_login(world.p.carol)
    response = client.post(_detail(world.lille), {"issue": "perdu"})
    assert response.status_code == 400
    assert "n’est pas une issue connue" in response.content.decode()
    response = client.post(_detail(world.lille), {"note": "x"})
    assert "Choisissez l’issue de l’appel." in response.content.decode()


def test_a_follow_up_link_is_tied_to_the_callback(client: Client, world: World) -> None:
    make_survey(perimeter=world.p.lille)
    client.force_login(world.sam)
    response = client.post(_detail(world.lille), {"issue": "reached", "suivi": "on"}, follow=True)
    invitation = Invitation.objects.get()
    assert invitation.callback == world.lille
    assert f"?i={invitation.token}" in response.content.decode()


def test_figures_share_within_sla_median_and_later_nps(client: Client, world: World) -> None:
    start = timezone.now() - dt.timedelta(days=10)
    late = _callback(world.p.lille, ref="ref-late")
    Callback.objects.filter(pk=world.lille.pk).update(
        created_at=start,
        due_at=start + dt.timedelta(hours=48),
        closed_at=start + dt.timedelta(hours=6),
        outcome="resolved",
    )
    Callback.objects.filter(pk=late.pk).update(
        created_at=start,
        due_at=start + dt.timedelta(hours=48),
        closed_at=start + dt.timedelta(hours=70),
        outcome="unreachable",
    )
    for ref, nps in (("ref-lille", 9), ("ref-late", 3)):
        later = make_feedback(perimeter=world.p.lille, nps=nps, text="")
        Feedback.objects.filter(pk=later.pk).update(customer_ref=ref)
    client.force_login(world.p.bob)
    response = client.get(reverse("callbacks-callback-figures", args=[world.p.lille.code]))
    f = response.context["f"]
    assert (f.within_sla.successes, f.within_sla.n) == (1, 2)
    assert f.median_hours == pytest.approx(38.0)
    assert (f.nps_called.n, f.nps_called.nps) == (1, 100.0)
    assert (f.nps_not_called.n, f.nps_not_called.nps) == (1, -100.0)
    assert f.difference.verdict == "pas assez de réponses"
    body = response.content.decode()
    assert "intervalle de Wilson" in body and "pas assez de réponses" in body


def test_a_bad_period_gets_a_french_message(client: Client, world: World) -> None:
    client.force_login(world.p.bob)
    url = reverse("callbacks-callback-figures", args=[world.p.lille.code])
    body = client.get(url, {"jours": "7"}).content.decode()
    assert "Sélectionnez un choix valide" in body


def test_overdue_callbacks_are_reminded_once_a_day(world: World) -> None:
    world.sam.email = "sam@example.test"
    world.sam.save()
    with time_machine.travel(timezone.now() + dt.timedelta(hours=49)):
        call_command("remind_callbacks")
        assert {tuple(m.to) for m in mail.outbox} == {
            ("sam@example.test",),
            ("alice@example.test",),
        }
        assert "06 11" not in mail.outbox[0].body and "Personne pour" not in mail.outbox[0].body
        call_command("remind_callbacks")
        assert len(mail.outbox) == 2


def test_the_follow_up_answer_counts_as_the_customers_later_nps(
    client: Client, world: World
) -> None:
    make_survey(perimeter=world.p.lille)
    client.force_login(world.sam)
    client.post(_detail(world.lille), {"issue": "resolved", "suivi": "on"})
    invitation = Invitation.objects.get()
    customer = Client()
    url = reverse("surveys-answer-form", args=[invitation.link.token])
    data = {"jeton": new_nonce(), "note": "9", "invitation": invitation.token}
    assert customer.post(url, data).status_code == 302
    assert Feedback.objects.get(nps=9).customer_ref == "ref-lille"
    response = client.get(reverse("callbacks-callback-figures", args=[world.p.lille.code]))
    f = response.context["f"]
    assert (f.nps_called.n, f.nps_called.nps, f.nps_not_called.n) == (1, 100.0, 0)


def test_the_feedback_page_links_to_its_callback(client: Client, world: World) -> None:
    client.force_login(world.p.bob)
    url = reverse("web-feedback-detail", args=[world.lille.feedback.code])
    assert _detail(world.lille) in client.get(url).content.decode()


def test_a_seller_who_left_is_not_reminded_the_managers_are(world: World) -> None:
    world.sam.email = "sam@example.test"
    world.sam.save()
    Person.objects.filter(pk=world.seller.pk).update(is_active=False)
    with time_machine.travel(timezone.now() + dt.timedelta(hours=49)):
        call_command("remind_callbacks")
    recipients = {address for m in mail.outbox for address in m.to}
    assert "sam@example.test" not in recipients
    assert "carol@example.test" in recipients  # analyst of the region, Lille's manager here


def test_a_contact_past_its_retention_is_no_longer_shown(client: Client, world: World) -> None:
    CallbackContact.objects.update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    client.force_login(world.p.carol)
    assert "06 11 22 33 44" not in client.get(_detail(world.lille)).content.decode()


def test_a_refused_address_does_not_stop_the_other_reminders(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    import smtplib

    from pouls.callbacks import actions

    world.sam.email = "sam@example.test"
    world.sam.save()
    from django.core.mail import send_mail as real

    def refuse_sam(subject: str, body: str, sender: Any, to: list[str]) -> int:
        if to == ["sam@example.test"]:
            raise smtplib.SMTPRecipientsRefused({})
        return real(subject, body, sender, to)

    monkeypatch.setattr(actions, "send_mail", refuse_sam)
    with time_machine.travel(timezone.now() + dt.timedelta(hours=49)):
        assert actions.do_remind_overdue() == 1
    assert [m.to for m in mail.outbox] == [["alice@example.test"]]
    world.lille.refresh_from_db()
    world.marseille.refresh_from_db()
    assert world.lille.reminded_at is None  # tried again next run
    assert world.marseille.reminded_at is not None
