"""Briefing views: preparing, showing (page, team screen, PDF, Markdown), commitments and
the balance meter; French errors, charlie 404, bob (viewer) 403 on writes, query counts."""

from __future__ import annotations

import datetime as dt
import io
import sys
from typing import Any

import pypdfium2 as pdfium
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from pouls.briefings.actions import do_create_briefing
from pouls.briefings.models import Briefing, Commitment
from pouls.briefings.queries import SECTION_KEYS, perimeter_balance
from pouls.briefings.tests.conftest import Team
from pouls.testing import Personas, make_feedback, refresh_rollups

ALL = list(SECTION_KEYS)


def _create(client: Client, team: Team, **data: object) -> Any:
    url = reverse("briefings-briefing-create", args=[team.p.lille.code])
    response = client.post(url, {"period": "weekly", "sections": ALL, **data})
    return response


def test_an_analyst_prepares_and_presents_a_briefing(client: Client, team: Team) -> None:
    client.force_login(team.p.carol)
    response = _create(client, team, start=team.start.isoformat())
    assert response.status_code == 302
    briefing = Briefing.objects.get()
    assert briefing.created_by == team.p.carol and briefing.start == team.start
    page = client.get(response["Location"]).content.decode()
    for title in ("1. Les chiffres", "4. À rappeler", "8. Suivi des engagements"):
        assert title in page
    assert reverse("web-feedback-detail", args=[team.callback.code]) in page
    present = client.get(reverse("briefings-briefing-present", args=[briefing.code]))
    body = present.content.decode()
    assert 'class="present"' in body and body.count('class="bsec ') == 8
    markdown = client.get(reverse("briefings-briefing-markdown", args=[briefing.code]))
    assert markdown["Content-Type"].startswith("text/markdown")
    assert "## 6. Comportements de service observés" in markdown.content.decode()
    client.post(reverse("briefings-briefing-mark-presented", args=[briefing.code]))
    briefing.refresh_from_db()
    assert briefing.presented_by == team.p.carol and briefing.presented_at is not None


def test_the_pdf_renders_a_first_page_that_is_not_blank(client: Client, team: Team) -> None:
    briefing = do_create_briefing(team.p.carol, team.p.lille, "weekly", team.start)
    client.force_login(team.p.bob)  # a viewer may read and print
    response = client.get(reverse("briefings-briefing-pdf", args=[briefing.code]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    page = pdfium.PdfDocument(io.BytesIO(response.content))[0]
    image = page.render(scale=0.5).to_pil().convert("L")
    histogram = image.histogram()
    dark = sum(histogram[:128])  # text and rules
    assert dark > 0.01 * image.width * image.height
    text = page.get_textpage().get_text_range()
    assert "Point d'équipe" in text and "Les chiffres" in text


def test_without_weasyprint_the_pdf_answers_in_french(
    client: Client, team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    briefing = do_create_briefing(team.p.carol, team.p.lille, "weekly", team.start)
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # import fails as without Pango
    client.force_login(team.p.carol)
    response = client.get(reverse("briefings-briefing-pdf", args=[briefing.code]))
    assert response.status_code == 503
    assert "Le PDF ne peut pas être produit" in response.content.decode()


def test_bad_periods_get_french_messages(client: Client, team: Team) -> None:
    client.force_login(team.p.carol)
    wednesday = team.start + dt.timedelta(days=2)
    response = _create(client, team, start=wednesday.isoformat())
    assert response.status_code == 400
    assert "Un point hebdomadaire commence un lundi" in response.content.decode()
    future = timezone.localdate() + dt.timedelta(days=7 - timezone.localdate().weekday())
    response = _create(client, team, start=future.isoformat())
    assert "La période doit être terminée" in response.content.decode()
    url = reverse("briefings-briefing-create", args=[team.p.lille.code])
    response = client.post(url, {"period": "weekly"})
    assert "Choisissez au moins une section" in response.content.decode()
    assert not Briefing.objects.exists()


def test_charlie_gets_404_and_bob_403_on_writes(client: Client, team: Team) -> None:
    briefing = do_create_briefing(team.p.carol, team.p.lille, "weekly", team.start)
    client.force_login(team.p.charlie)
    for name in ("briefings-briefing-detail", "briefings-briefing-pdf"):
        assert client.get(reverse(name, args=[briefing.code])).status_code == 404
    assert _create(client, team).status_code == 404
    client.force_login(team.p.bob)
    assert client.get(reverse("briefings-briefing-detail", args=[briefing.code])).status_code == 200
    assert _create(client, team).status_code == 403
    for name in ("briefings-briefing-mark-presented", "briefings-commitment-create"):
        assert client.post(reverse(name, args=[briefing.code])).status_code == 403
    commitment = Commitment.objects.create(
        briefing=briefing, perimeter=team.p.lille, text="x", owner=team.seller, due=team.start
    )
    url = reverse("briefings-commitment-update", args=[commitment.code])
    assert client.post(url, {"status": "done"}).status_code == 403


def _commit(client: Client, briefing: Briefing, team: Team, text: str, days: int = 7) -> Any:
    due = timezone.localdate() + dt.timedelta(days=days)
    url = reverse("briefings-commitment-create", args=[briefing.code])
    response = client.post(url, {"text": text, "owner": team.seller.pk, "due": due.isoformat()})
    return response


def test_commitments_come_back_in_the_next_briefing(client: Client, team: Team) -> None:
    previous = do_create_briefing(
        team.p.carol, team.p.lille, "weekly", team.start - dt.timedelta(days=7)
    )
    client.force_login(team.p.carol)
    for text in ("Saluer chaque client en 10 s", "Rappeler les deux détracteurs", "Caisse 2"):
        assert _commit(client, previous, team, text).status_code == 302
    response = _commit(client, previous, team, "Un quatrième")
    assert response.status_code == 400 and "Trois engagements au plus" in response.content.decode()
    done = Commitment.objects.get(text="Caisse 2")
    url = reverse("briefings-commitment-update", args=[done.code])
    assert client.post(url, {"status": "done"}).status_code == 302
    assert client.post(url, {"status": "peut-être"}).status_code == 400
    briefing = do_create_briefing(team.p.carol, team.p.lille, "weekly", team.start)
    section = next(s for s in briefing.snapshot["sections"] if s["key"] == "engagements")
    statuses = {c["text"]: c["status_label"] for c in section["commitments"]}
    assert statuses == {
        "Saluer chaque client en 10 s": "En cours",
        "Rappeler les deux détracteurs": "En cours",
        "Caisse 2": "Tenu",
    }


def test_commitment_errors_are_french(client: Client, team: Team) -> None:
    briefing = do_create_briefing(team.p.carol, team.p.lille, "weekly", team.start)
    client.force_login(team.p.carol)
    body = _commit(client, briefing, team, "", days=-1).content.decode()
    assert "Écrivez l&#x27;engagement en une phrase." in body
    assert "L&#x27;échéance est déjà passée" in body
    url = reverse("briefings-commitment-create", args=[briefing.code])
    body = client.post(url, {"text": "x", "owner": "999999", "due": "demain"}).content.decode()
    assert "ne fait pas partie de l&#x27;équipe" in body and "Date illisible" in body
    assert not Commitment.objects.exists()


def test_the_balance_meter_counts_the_perimeters_briefings(client: Client, team: Team) -> None:
    figures_only = ["chiffres", "question", "engagements"]
    for presenter, sections in (
        (team.p.carol, figures_only),
        (team.p.carol, figures_only),
        (team.p.alice, ALL),  # another manager's briefing of the same store counts too
    ):
        client.force_login(presenter)
        response = _create(client, team, sections=sections)
        client.post(
            reverse("briefings-briefing-mark-presented", args=[response["Location"].split("/")[-2]])
        )
    do_create_briefing(team.p.alice, team.p.marseille, "weekly", team.start)  # elsewhere
    balance = perimeter_balance(team.p.carol, team.p.lille)
    full = Briefing.objects.filter(perimeter=team.p.lille, customer_points__gt=0).get()
    assert balance.briefings == 3
    assert balance.figures_points == 3 * full.figures_points
    assert balance.customer_points == full.customer_points
    share = round(100 * balance.figures_points / (balance.figures_points + full.customer_points))
    client.force_login(team.p.carol)
    page = client.get(reverse("briefings-briefing-list", args=[team.p.lille.code])).content
    text = page.decode().replace("&#x27;", "'")
    assert f"les points d'équipe de Site Lille ont porté à {share} % sur les chiffres" in text
    assert "(3 points d'équipe présentés)" in text
    assert perimeter_balance(team.p.alice, team.p.roubaix).figures_share is None


def test_one_briefing_is_said_in_the_singular(team: Team) -> None:
    from pouls.briefings.queries import Balance

    assert "(1 point d'équipe présenté)" in Balance("Site Lille", 1, 2, 1, 28).sentence
    assert "(2 points d'équipe présentés)" in Balance("Site Lille", 2, 2, 1, 28).sentence


def test_the_list_makes_the_same_queries_for_one_or_many_briefings(
    client: Client, personas: Personas
) -> None:
    client.force_login(personas.carol)
    url = reverse("briefings-briefing-list", args=[personas.lille.code])
    start = dt.date(2026, 11, 2)
    do_create_briefing(personas.carol, personas.lille, "weekly", start)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for weeks in (1, 2, 3):
        do_create_briefing(
            personas.carol, personas.lille, "weekly", start - dt.timedelta(weeks=weeks)
        )
    with CaptureQueriesContext(connection) as four:
        assert client.get(url).status_code == 200
    assert len(four) == len(one) <= 12


def test_the_page_shows_the_snapshot_not_later_data(client: Client, team: Team) -> None:
    briefing = do_create_briefing(team.p.carol, team.p.lille, "weekly", team.start)
    shown = next(s for s in briefing.snapshot["sections"] if s["key"] == "clients")["nps"]["n"]
    for day in range(3):  # late answers for the same week arrive after the briefing
        make_feedback(
            perimeter=team.p.lille,
            nps=0,
            text="",
            received_at=timezone.make_aware(
                dt.datetime.combine(team.start + dt.timedelta(days=day), dt.time(12))
            ),
        )
    refresh_rollups()
    client.force_login(team.p.bob)
    page = client.get(reverse("briefings-briefing-detail", args=[briefing.code])).content
    assert f"n = {shown} réponses" in page.decode()
    assert f"n = {shown + 3} réponses" not in page.decode()
    again = do_create_briefing(team.p.carol, team.p.lille, "weekly", team.start)
    now = next(s for s in again.snapshot["sections"] if s["key"] == "clients")["nps"]["n"]
    assert now == shown + 3
