"""Build the demo company: a fictional French retail chain with a year of data.

Deterministic from ``seed`` and ``end`` (the last day of data). The planted scenarios are
described, with their ground truth, in docs/demo.md; ``SCENARIOS`` below is that ground truth
in code, and tests check the built data against it.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import random
import zoneinfo
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.models import Permission, User
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from pouls.activity.models import ActivityFact, SalesFact
from pouls.briefings.models import CommissionRule
from pouls.demo import verbatims as grammar
from pouls.demo.climate import build_climate_demo
from pouls.feedback.importers.store import CONTACT_RETENTION
from pouls.feedback.models import CallbackContact, Feedback
from pouls.lib.privacy import pseudonymise
from pouls.org.models import Account, Grant, Perimeter, Person

logger = logging.getLogger(__name__)

DEMO_PASSWORD = "pouls-demo"
GROUP_REF = "DEMO-GROUPE"
PARIS = zoneinfo.ZoneInfo("Europe/Paris")
DAYS = 365

REGIONS: dict[str, list[str]] = {
    "Nord": ["Lille", "Amiens", "Rouen", "Reims"],
    "Île-de-France": ["Paris Bercy", "Créteil", "Versailles", "Saint-Denis"],
    "Ouest": ["Nantes", "Rennes", "Brest", "Angers", "Tours"],
    "Sud": ["Lyon", "Grenoble", "Marseille", "Montpellier", "Toulouse"],
}
DEPARTMENTS = ["Service client", "Logistique", "SAV central", "Informatique"]
FIRST_NAMES = (
    "Camille Léa Manon Chloé Inès Sarah Julie Emma Lucie Clara Zoé Jade Anaïs Laura Pauline "
    "Marion Élodie Nadia Amina Sophie Thomas Lucas Hugo Nathan Louis Théo Maxime Kevin Julien "
    "Antoine Romain Mehdi Karim Yanis Nicolas Alexandre Baptiste Quentin Florian Samuel"
).split()
LAST_NAMES = (
    "Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Simon Laurent "
    "Lefebvre Michel Garcia David Bertrand Roux Vincent Fournier Morel Girard André Mercier "
    "Dupont Lambert Bonnet François Martinez Legrand Garnier Faure Rousseau Blanc Guerin Muller "
    "Henry Roussel Nicolas Perrin Morin Mathieu Clement Gauthier Dumont Lopez Fontaine Chevalier"
).split()


@dataclass(frozen=True, slots=True)
class Scenarios:
    """Ground truth of what the demo plants (relative to the last day of data)."""

    payment_stores: tuple[str, ...] = ("Rennes", "Nantes")
    payment_weeks_before_end: int = 5
    falling_nps_store: str = "Grenoble"
    falling_nps_months: int = 4
    silent_team_store: str = "Amiens"
    silent_team_weeks: int = 8
    education_team_store: str = "Montpellier"


SCENARIOS = Scenarios()


@dataclass
class _Rows:
    feedback: list[Feedback] = field(default_factory=list)
    sales: list[SalesFact] = field(default_factory=list)
    activity: list[ActivityFact] = field(default_factory=list)


@dataclass
class _Store:
    perimeter: Perimeter
    sales_team: Perimeter
    service_team: Perimeter
    sellers: list[Person]
    base_nps: float


def demo_exists() -> bool:
    return Perimeter.objects.filter(ref=GROUP_REF).exists()


@transaction.atomic
def do_build_demo(
    *, seed: int = 42, end: dt.date | None = None, scale: float = 1.0
) -> dict[str, int]:
    """Build the whole demo; ``scale`` < 1 makes a smaller one (tests)."""
    rng = random.Random(seed)
    end = end or dt.date.today() - dt.timedelta(days=1)  # whole days only, none in the future
    stores, departments = _build_org(rng)
    _build_users(stores)
    rows = _Rows()
    for store in stores:
        _store_year(rng, store, end, rows, scale)
    _department_reports(rng, departments, stores, end, rows, scale)
    _pseudonymise(rows.feedback)
    Feedback.objects.bulk_create(rows.feedback, batch_size=2000)
    CallbackContact.objects.bulk_create(_callback_contacts(rows.feedback, end), batch_size=2000)
    SalesFact.objects.bulk_create(rows.sales, batch_size=2000)
    ActivityFact.objects.bulk_create(rows.activity, batch_size=2000)
    _link_seller(stores)
    # Its own random stream, so that adding it changed nothing above.
    climate_responses = build_climate_demo(end, seed + 1)
    counts = {
        "perimeters": Perimeter.objects.count(),
        "people": Person.objects.count(),
        "feedback": len(rows.feedback),
        "sales_days": len(rows.sales),
        "activity_days": len(rows.activity),
        "climate_responses": climate_responses,
    }
    logger.debug("demo built: %s", counts)
    return counts


def _pseudonymise(feedback: list[Feedback]) -> None:
    """The demo's texts pass the same door as imported ones: the sellers' first names that
    customers quote become [NOM] before anything is stored."""
    with_text = [f for f in feedback if f.text]
    for f, masked in zip(with_text, pseudonymise([f.text for f in with_text]), strict=True):
        f.text = masked


def _callback_contacts(feedback: list[Feedback], end: dt.date) -> list[CallbackContact]:
    """Customers of the last two weeks who agreed to be called back left a (fictitious)
    contact, kept apart as an import keeps it, so the callback queue has someone to call."""
    since = _day_start(end - dt.timedelta(days=13))
    expires = timezone.now() + CONTACT_RETENTION
    return [
        CallbackContact(
            feedback=f,
            perimeter_id=f.perimeter_id,
            contact=f"client.{k:04d}@exemple.invalid",
            expires_at=expires,
        )
        for k, f in enumerate(x for x in feedback if x.callback_consent and x.received_at >= since)
    ]


def _build_org(rng: random.Random) -> tuple[list[_Store], list[Perimeter]]:
    group = Perimeter.objects.create(name="Lumen Maison & High-Tech", kind="group", ref=GROUP_REF)
    departments = [
        Perimeter.objects.create(
            name=name, kind="department", parent=group, ref=f"DEMO-DEP-{i:02d}"
        )
        for i, name in enumerate(DEPARTMENTS, 1)
    ]
    stores: list[_Store] = []
    used_names: set[tuple[str, str]] = set()
    for r, (region_name, cities) in enumerate(REGIONS.items(), 1):
        region = Perimeter.objects.create(
            name=f"Région {region_name}", kind="region", parent=group, ref=f"DEMO-REG-{r:02d}"
        )
        for city in cities:
            ref = f"DEMO-MAG-{len(stores) + 1:02d}"
            store = Perimeter.objects.create(
                name=f"Magasin {city}", kind="store", parent=region, ref=ref
            )
            sales_team = Perimeter.objects.create(
                name=f"{city} — Vente", kind="team", parent=store, ref=f"{ref}-VTE"
            )
            service_team = Perimeter.objects.create(
                name=f"{city} — Service", kind="team", parent=store, ref=f"{ref}-SRV"
            )
            sellers = [
                _person(rng, used_names, sales_team if i < 4 else service_team, "seller")
                for i in range(rng.randint(5, 6))
            ]
            _person(rng, used_names, store, "manager")
            stores.append(_Store(store, sales_team, service_team, sellers, rng.uniform(18, 52)))
    return stores, departments


def _person(
    rng: random.Random, used: set[tuple[str, str]], perimeter: Perimeter, kind: str
) -> Person:
    while True:
        name = (rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES))
        if name not in used:
            used.add(name)
            break
    return Person.objects.create(
        perimeter=perimeter, first_name=name[0], last_name=name[1], kind=kind
    )


def _build_users(stores: list[_Store]) -> None:
    group = Perimeter.objects.get(ref=GROUP_REF)
    lille = next(s.perimeter for s in stores if s.perimeter.name == "Magasin Lille")
    nord = lille.parent
    assert nord is not None
    alice = User.objects.create_user(
        "alice", "alice@demo.invalid", DEMO_PASSWORD, first_name="Alice", last_name="Directrice"
    )
    # alice administers the group, also through Django's admin (scoped to her grant).
    alice.is_staff = True
    alice.save(update_fields=["is_staff"])
    alice.user_permissions.set(Permission.objects.filter(content_type__app_label="org"))
    bob = User.objects.create_user(
        "bob", "bob@demo.invalid", DEMO_PASSWORD, first_name="Bob", last_name="Manager Lille"
    )
    carol = User.objects.create_user(
        "carol", "carol@demo.invalid", DEMO_PASSWORD, first_name="Carol", last_name="Analyste Nord"
    )
    User.objects.create_user(
        "charlie",
        "charlie@demo.invalid",
        DEMO_PASSWORD,
        first_name="Charlie",
        last_name="Sans accès",
    )
    Grant.objects.create(user=alice, perimeter=group, role="admin")
    # bob manages Magasin Lille: he prepares and presents its briefing, calls customers back.
    Grant.objects.create(user=bob, perimeter=lille, role="manager")
    Grant.objects.create(user=carol, perimeter=nord, role="analyst")
    Person.objects.filter(perimeter=lille, kind="manager").update(user=bob)
    for user, home in ((alice, group), (bob, lille), (carol, nord)):
        Account.objects.create(user=user, perimeter=home)


SELLER_LOGIN = "vendeur"


def demo_logins() -> list[str]:
    """The demo's logins and what each shows, in French (printed by `pouls demo`)."""
    seller = Person.objects.filter(user__username=SELLER_LOGIN).select_related("perimeter").first()
    lines = [
        "alice   — administratrice du groupe : personnes et accès, périmètres, journal d'audit",
        "carol   — analyste de la Région Nord (imports, corrections, exports, climat)",
        "bob     — manager du Magasin Lille : prépare et présente le point d'équipe, rappelle "
        "les clients",
    ]
    if seller is not None:
        lines.append(
            f"{SELLER_LOGIN} — {seller}, vendeur·se de « {seller.perimeter} » : « Mon pouls » "
            "(ses clients, ses rappels, ses commissions)"
        )
    lines.append("charlie — aucun accès (voit une page vide)")
    return lines


def _link_seller(stores: list[_Store]) -> Person:
    """The seller login: the Lille sales seller with the most customer answers, so that
    « Mon pouls » shows their customers, callbacks and commissions; a reader's grant on their
    team, and the group's commission rule."""
    store = next(s for s in stores if s.perimeter.name == "Magasin Lille")
    counts = dict(
        Feedback.objects.filter(person__in=store.sellers, perimeter=store.sales_team)
        .values("person_id")
        .annotate(n=Count("pk"))
        .values_list("person_id", "n")
    )
    person = max(
        (p for p in store.sellers if p.perimeter == store.sales_team),
        key=lambda p: (counts.get(p.pk, 0), -p.pk),
    )
    user = User.objects.create_user(
        SELLER_LOGIN,
        f"{SELLER_LOGIN}@demo.invalid",
        DEMO_PASSWORD,
        first_name=person.first_name,
        last_name=person.last_name,
    )
    person.user = user
    person.save(update_fields=["user"])
    Grant.objects.create(user=user, perimeter=store.sales_team, role="viewer")
    Account.objects.create(user=user, perimeter=store.sales_team)
    group = Perimeter.objects.get(ref=GROUP_REF)
    CommissionRule.objects.create(
        perimeter=group,
        label="Variable vendeurs 2026",
        formula="0.02 * ca + si(taux_comptes_rendus >= 0.9, 150, 0)",
    )
    return person


def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=PARIS)


def _score(rng: random.Random, nps_target: float) -> int:
    """Draw a 0-10 score whose expected NPS is about ``nps_target`` (-100..100)."""
    t = max(-0.9, min(0.9, nps_target / 100))
    promoters = 0.45 + t / 2 * 0.9
    detractors = promoters - t
    u = rng.random()
    if u < promoters:
        return rng.choice((9, 10, 10))
    if u < promoters + detractors:
        return rng.choice((0, 1, 2, 3, 4, 5, 5, 6, 6, 6))
    return rng.choice((7, 8, 8))


def _store_year(rng: random.Random, store: _Store, end: dt.date, rows: _Rows, scale: float) -> None:
    s = SCENARIOS
    city = store.perimeter.name.removeprefix("Magasin ")
    payment_from = end - dt.timedelta(weeks=s.payment_weeks_before_end)
    falling_from = end - dt.timedelta(days=30 * s.falling_nps_months)
    silent_from = end - dt.timedelta(weeks=s.silent_team_weeks)
    for offset in range(DAYS - 1, -1, -1):
        day = end - dt.timedelta(days=offset)
        if day.weekday() == 6:  # closed on Sundays
            continue
        season = 1 + 0.25 * math.cos((day.timetuple().tm_yday - 350) / 365 * 2 * math.pi)
        nps_target = store.base_nps
        trend = 1.0
        if city == s.falling_nps_store and day >= falling_from:
            progress = (day - falling_from).days / (end - falling_from).days
            nps_target -= 55 * progress
            trend += 0.30 * progress
        payment = city in s.payment_stores and day >= payment_from
        answers = _poisson(rng, 5.2 * scale * season)
        for _ in range(answers):
            seller = rng.choice(store.sellers)
            team = seller.perimeter
            forced = "paiement" if payment and rng.random() < 0.35 else None
            target = nps_target - (45 if forced else 0)
            education = (
                city == s.education_team_store and team == store.service_team and rng.random() < 0.3
            )
            score = _score(rng, target - (40 if education else 0))
            verbatim = grammar.make_customer_verbatim(
                rng,
                nps=score,
                forced_theme=forced,
                behaviour="education" if education else None,
                seller_first_name=seller.first_name if rng.random() < 0.15 else None,
            )
            rows.feedback.append(
                Feedback(
                    perimeter=team,
                    person=seller,
                    source_kind="survey",
                    channel=rng.choice(("store", "store", "store", "web", "email")),
                    received_at=_day_start(day)
                    + dt.timedelta(minutes=rng.randint(9 * 60, 20 * 60)),
                    customer_ref=f"demo-{rng.getrandbits(64):016x}",
                    nps=score,
                    csat=max(1, min(5, round(score / 2.2 + rng.uniform(-0.6, 0.6)))),
                    text=verbatim.text if verbatim else "",
                    callback_consent=rng.random() < 0.4,
                )
            )
        if rng.random() < 0.12 * scale:
            _email_or_review(rng, store, day, nps_target, rows)
        for seller in store.sellers:
            silent = (
                city == s.silent_team_store
                and seller.perimeter == store.sales_team
                and day >= silent_from
            )
            _seller_day(rng, seller, day, season * trend, silent, rows, scale)


def _email_or_review(
    rng: random.Random, store: _Store, day: dt.date, nps_target: float, rows: _Rows
) -> None:
    kind = rng.choice(("email", "letter", "review", "review"))
    score = _score(rng, nps_target - 30)  # people write mostly to complain
    verbatim = (
        grammar.make_email(rng, nps_like=score)
        if kind != "review"
        else (grammar.make_customer_verbatim(rng, nps=score))
    )
    if verbatim is None:
        return
    rows.feedback.append(
        Feedback(
            perimeter=store.perimeter,
            source_kind=kind,
            channel={"email": "email", "letter": "mail", "review": "social"}[kind],
            received_at=_day_start(day) + dt.timedelta(minutes=rng.randint(0, 23 * 60)),
            customer_ref=f"demo-{rng.getrandbits(64):016x}",
            csat=max(1, min(5, round(score / 2.2))) if kind == "review" else None,
            text=verbatim.text,
        )
    )


def _seller_day(
    rng: random.Random,
    seller: Person,
    day: dt.date,
    demand: float,
    silent: bool,
    rows: _Rows,
    scale: float,
) -> None:
    team = seller.perimeter
    visits = _poisson(rng, 9 * demand)
    quotes = _poisson(rng, 2.2 * demand)
    orders = sum(rng.random() < 0.55 for _ in range(quotes)) + _poisson(rng, 1.5 * demand)
    revenue = sum(rng.lognormvariate(5.6, 0.6) for _ in range(orders))
    reports = 0 if silent else _poisson(rng, 1.6)
    rows.sales.append(
        SalesFact(
            perimeter=team,
            person=seller,
            date=day,
            revenue=Decimal(f"{revenue:.2f}"),
            revenue_target=Decimal("1300.00"),
            orders=orders,
            orders_target=4,
        )
    )
    rows.activity.append(
        ActivityFact(
            perimeter=team,
            person=seller,
            date=day,
            visits=visits,
            calls=_poisson(rng, 6),
            quotes=quotes,
            reports_filed=reports,
            visits_target=9,
            calls_target=6,
            quotes_target=2,
            reports_target=2,
        )
    )
    # About one filed report in four carries a free text the manager can read.
    for _ in range(reports):
        if rng.random() < 0.25 * scale:
            report = grammar.make_field_report(rng, issue=None)
            rows.feedback.append(
                Feedback(
                    perimeter=team,
                    person=seller,
                    source_kind="field_report",
                    channel="store",
                    received_at=_day_start(day)
                    + dt.timedelta(hours=18, minutes=rng.randint(0, 90)),
                    text=report.text,
                )
            )


def _department_reports(
    rng: random.Random,
    departments: list[Perimeter],
    stores: list[_Store],
    end: dt.date,
    rows: _Rows,
    scale: float,
) -> None:
    """Internal dysfunctions reported to the back-office teams that own them."""
    for offset in range(DAYS):
        day = end - dt.timedelta(days=offset)
        for department in departments:
            for _ in range(_poisson(rng, 0.6 * scale)):
                report = grammar.make_field_report(rng, issue=department.name)
                rows.feedback.append(
                    Feedback(
                        perimeter=department,
                        person=rng.choice(rng.choice(stores).sellers),
                        source_kind="field_report",
                        channel="other",
                        received_at=_day_start(day) + dt.timedelta(hours=rng.randint(8, 19)),
                        text=report.text,
                    )
                )


def _poisson(rng: random.Random, lam: float) -> int:
    """Knuth's Poisson draw (small lambdas only), from the seeded generator."""
    if lam <= 0:
        return 0
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1
