"""``send_briefings``: each scheduled briefing is built within its recipient's scope."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from pouls.briefings.models import Briefing, BriefingSchedule
from pouls.briefings.tests.conftest import MARSEILLE_SECRET, Team


def test_a_store_recipient_gets_nothing_from_another_store(team: Team) -> None:
    BriefingSchedule.objects.create(user=team.p.bob, perimeter=team.p.lille, period="weekly")
    # bob may not see the group: that schedule is skipped, not built with more than he may see.
    BriefingSchedule.objects.create(user=team.p.bob, perimeter=team.p.group, period="weekly")
    out = StringIO()
    call_command("send_briefings", stdout=out)
    assert "1 points d'équipe envoyés, 1 ignorés" in out.getvalue()
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert mail.outbox[0].to == ["bob@example.test"]
    assert "# Point d'équipe — Site Lille" in body and "## 5. Le signal de la semaine" in body
    assert "Marseille" not in body and MARSEILLE_SECRET not in body
    assert "99" not in body.split("## 2.")[0]  # Marseille's revenue is not in the figures
    briefing = Briefing.objects.get()
    assert briefing.created_by is None and briefing.start == team.start


def test_a_schedule_is_sent_once_per_period(team: Team) -> None:
    BriefingSchedule.objects.create(user=team.p.carol, perimeter=team.p.lille, period="daily")
    today = timezone.localdate()
    call_command("send_briefings", today=today.isoformat(), stdout=StringIO())
    call_command("send_briefings", today=today.isoformat(), stdout=StringIO())
    assert len(mail.outbox) == 1
    tomorrow = today + dt.timedelta(days=1)
    call_command("send_briefings", today=tomorrow.isoformat(), stdout=StringIO())
    assert len(mail.outbox) == 2


def test_a_bad_date_is_refused_in_french(db: None) -> None:
    with pytest.raises(CommandError, match="n'est pas une date"):
        call_command("send_briefings", today="30/11/2026")


def test_a_reader_subscribes_himself_and_gets_his_own_scope(client: Client, team: Team) -> None:
    client.force_login(team.p.bob)  # a viewer: his own subscription is not a write on data
    url = reverse("briefings-schedule-set", args=[team.p.lille.code])
    assert client.post(url, {"period": "weekly", "active": "on"}).status_code == 302
    schedule = BriefingSchedule.objects.get()
    assert (schedule.user, schedule.perimeter, schedule.active) == (team.p.bob, team.p.lille, True)
    page = client.get(reverse("briefings-briefing-list", args=[team.p.lille.code])).content
    assert "Arrêter l'envoi hebdomadaire" in page.decode()
    assert client.post(url, {"period": "mensuel"}).status_code == 400
    client.post(url, {"period": "weekly"})
    schedule.refresh_from_db()
    assert not schedule.active
    client.force_login(team.p.charlie)
    assert client.post(url, {"period": "weekly", "active": "on"}).status_code == 404
