"""A demo-like store team for briefing tests, built with pouls.testing's builders and analysed
by the real analysis pipeline (so verbatims, behaviours and themes come from real rows)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import timezone

from pouls.annotations.services import annotate
from pouls.briefings.queries import default_start
from pouls.feedback.models import CallbackContact, Feedback
from pouls.org.models import Person
from pouls.testing import (
    Personas,
    make_activity,
    make_callback,
    make_feedback,
    make_person,
    make_sales,
    refresh_rollups,
)
from pouls.watch.models import ThemeSignal

PRAISES = [
    "Accueil chaleureux, conseillère compétente et patiente, merci beaucoup pour tout !",
    "Vendeur très à l'écoute, il a pris le temps de comparer trois modèles avec moi.",
    "Livraison rapide et installation soignée, je recommande ce magasin sans hésiter.",
]
PAINS = [
    "Livraison en retard de trois semaines et aucune excuse, je suis vraiment très déçu.",
    "Attente interminable en caisse, une seule caisse ouverte un samedi, c'est inadmissible.",
]
NEUTRALITY = [
    "Le vendeur m'a dit que ce n'est pas son rayon et il est reparti sans rien proposer.",
    "J'ai demandé de l'aide pour un lave-linge, réponse : ce n'est pas mon rayon, voyez ailleurs.",
]
SURPRISE = "Très satisfait dans l'ensemble mais le parking était fermé et la caisse en panne."
MARSEILLE_SECRET = "Marseille : le conseiller a été remarquable, un grand merci à toute l'équipe."


@dataclass
class Team:
    p: Personas
    start: dt.date
    seller: Person
    other_seller: Person
    callback: Feedback


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), timezone.get_current_timezone())


@pytest.fixture
def team(personas: Personas) -> Team:
    """Site Lille over last week: a seller and a colleague, 40 rated answers with texts,
    sales and activity against target, a customer who consented to a callback, a weak signal;
    Marseille gets a feedback that must never show up for Lille's readers."""
    start = default_start("weekly")
    lille = personas.lille_team
    seller = make_person(perimeter=lille, first_name="Inès", last_name="Martin")
    other = make_person(perimeter=lille, first_name="Hugo", last_name="Petit")
    texts = PRAISES + PAINS + NEUTRALITY + [SURPRISE]
    scores = [10, 9, 10, 2, 3, 4, 5, 9]
    rows = [
        make_feedback(perimeter=lille, nps=s, text=t, received_at=_at(start, 10 + i), person=seller)
        for i, (t, s) in enumerate(zip(texts, scores, strict=True))
    ]
    for i in range(32):  # rated answers without text: 18 promoters, 8 passives, 6 detractors
        nps = 9 if i < 18 else 7 if i < 26 else 3
        day = start + dt.timedelta(days=i % 7)
        rows.append(make_feedback(perimeter=lille, nps=nps, text="", received_at=_at(day, 15)))
    callback = rows[3]  # the late delivery, 2/10
    Feedback.objects.filter(pk=callback.pk).update(callback_consent=True)
    CallbackContact.objects.create(
        feedback=callback,
        perimeter=lille,
        contact="client@example.test",
        expires_at=timezone.now() + dt.timedelta(days=30),
    )
    make_callback(feedback=callback)
    marseille = make_feedback(
        perimeter=personas.marseille, nps=10, text=MARSEILLE_SECRET, received_at=_at(start, 11)
    )
    for day in (start + dt.timedelta(days=k) for k in range(7)):
        make_sales(perimeter=lille, date=day, person=seller, revenue="1500.00")
        make_activity(perimeter=lille, date=day, person=seller, reports_filed=3)
        make_sales(perimeter=personas.marseille, date=day, revenue="99999.00")
    ThemeSignal.objects.create(
        perimeter=personas.lille,
        theme="delivery",
        kind=ThemeSignal.Kind.SURGE,
        first_seen=start - dt.timedelta(days=7),
        last_seen=start,
        count=6,
        expected=1.5,
        q_value=0.01,
    )
    ThemeSignal.objects.create(
        perimeter=personas.marseille,
        theme="checkout_payment",
        kind=ThemeSignal.Kind.SURGE,
        first_seen=start,
        last_seen=start,
        count=9,
        expected=1.0,
        q_value=0.001,
    )
    annotate([f.pk for f in rows if f.text] + [marseille.pk])
    refresh_rollups()
    return Team(personas, start, seller, other, callback)
