"""The demo's employee-listening campaign: region Nord, every instrument, planted profiles.

Planted (ground truth in ``CLIMATE_SCENARIOS``, described in docs/demo.md):
- Lille: caring climate, engaged team, ready for a tooling project;
- Rouen: instrumental climate and low engagement (seed 003: an enablement platform would
  expose the disengagement to customers);
- Amiens (the store whose team stopped filing reports): they know how, they lack the will
  (seed 000: show what reporting brings them, not tutorials);
- Reims: average, no clear profile.

Rows are written directly (trusted demo context, texts without personal data), with the same
separation as real answers: invitations carry a boolean, responses a day and no link.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import uuid

from pouls.climate.actions import do_launch_campaign
from pouls.climate.instruments import campaign_instruments, shipped_text
from pouls.climate.models import Campaign, Comment, Invitation, Response
from pouls.org.models import Perimeter, Person

INSTRUMENTS = (
    "ethical_climate_fr",
    "engagement_fr",
    "management_adherence_fr",
    "who5_fr",
    "reporting_diagnosis_fr",
    "enps_fr",
)
# Mean level (0-5) per dimension for each planted store; others get BASE.
BASE = 3.0
CLIMATE_SCENARIOS: dict[str, dict[str, float]] = {
    "Lille": {
        "caring": 4.5,
        "law_code": 2.6,
        "rules": 2.4,
        "instrumental": 1.2,
        "independence": 2.8,
        "vigour": 4.2,
        "dedication": 4.3,
        "absorption": 4.0,
        "skill": 3.9,
        "will": 3.8,
        "means": 3.6,
    },
    "Rouen": {
        "caring": 1.3,
        "law_code": 2.2,
        "rules": 2.6,
        "instrumental": 4.5,
        "independence": 2.4,
        "vigour": 1.6,
        "dedication": 1.5,
        "absorption": 1.8,
        "skill": 3.2,
        "will": 2.4,
        "means": 2.8,
    },
    "Amiens": {"skill": 4.3, "will": 1.2, "means": 3.4},
}
COMMENTS = [
    "Le reporting me prend du temps et je ne vois jamais ce qu'on en fait.",
    "Un retour de temps en temps sur ce qu'on saisit changerait tout.",
    "L'outil plante en magasin quand le wifi est faible.",
    "On saisit deux fois les mêmes informations, dans deux logiciels.",
    "Moins de champs obligatoires, plus de temps pour les clients.",
    "J'aimerais voir mes propres chiffres, pas seulement ceux du magasin.",
    "Le tableau de bord est utile quand on prend le temps de l'expliquer.",
    "Une tablette partagée au comptoir aiderait à saisir sur le moment.",
]


def build_climate_demo(end: dt.date, seed: int) -> int:
    """Create and fill the campaign; returns the number of responses."""
    rng = random.Random(seed)
    nord = Perimeter.objects.get(ref="DEMO-REG-01")
    campaign = Campaign.objects.create(
        perimeter=nord,
        name="Baromètre climat et reporting — Nord",
        instruments={name: shipped_text(name) for name in INSTRUMENTS},
        demographics=["seniority"],
    )
    stores = list(Perimeter.objects.filter(parent=nord, kind="store").order_by("path"))
    campaign.targets.set(stores)
    do_launch_campaign(campaign)
    Campaign.objects.filter(pk=campaign.pk).update(launched_on=end - dt.timedelta(days=21))
    instruments = campaign_instruments(campaign)
    invitations, responses, comments = [], [], []
    people = Person.objects.filter(perimeter__path__startswith=nord.path, is_active=True)
    for person in people.select_related("perimeter").order_by("pk"):
        city = _city(person.perimeter, stores)
        invitations.append(
            Invitation(
                campaign=campaign,
                perimeter=person.perimeter,
                person=person,
                channel="print",
                # Demo stores have 5 to 7 people: one store under the threshold would also
                # hide another (the region minus three stores gives the fourth): all answer.
                answered=True,
                token_hash=hashlib.sha256(uuid.uuid4().bytes).hexdigest(),
            )
        )
        levels = CLIMATE_SCENARIOS.get(city, {})
        answers = {}
        for instrument in instruments:
            high, low = instrument.scale.max, instrument.scale.min
            factor = 2 if high == 10 else 1
            mood = rng.gauss(0, 0.3)  # the same person answers a scale consistently
            for item in instrument.items:
                mu = levels.get(item.dimension, levels.get("vigour", BASE))
                value = round((mu + mood + rng.gauss(0, 0.5)) * factor)
                value = max(low, min(high, value))
                answers[item.id] = high + low - value if item.reversed else value
        responses.append(
            Response(
                campaign=campaign,
                perimeter=person.perimeter,
                day=end - dt.timedelta(days=rng.randint(0, 20)),
                answers=answers,
                categories={"seniority": rng.choice(["moins de 2 ans", "2 ans et plus"])},
            )
        )
        if rng.random() < 0.7:
            comments.append(
                Comment(
                    campaign=campaign,
                    perimeter=person.perimeter,
                    question="reporting_diagnosis_fr",
                    text=rng.choice(COMMENTS),
                )
            )
    Invitation.objects.bulk_create(invitations)
    # Written as the batch writer does: scores and comments each in their own shuffled
    # order, so the k-th comment is not the k-th score row (docs/climate.md).
    rng.shuffle(responses)
    rng.shuffle(comments)
    Response.objects.bulk_create(responses)
    Comment.objects.bulk_create(comments)
    return len(responses)


def _city(perimeter: Perimeter, stores: list[Perimeter]) -> str:
    store = next(s for s in stores if perimeter.path.startswith(s.path))
    return store.name.removeprefix("Magasin ")
