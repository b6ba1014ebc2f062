"""Personas and make_* builders for tests: fixed defaults, keyword-only overrides, no randomness.

The tree is Groupe > Région Nord > {Site Lille > Équipe Lille Vente, Site Roubaix} and
Groupe > Région Sud > Site Marseille. alice is admin on Groupe, bob viewer on Site Lille, dave
manager of Site Lille (runs its rituals), carol analyst on Région Nord, charlie has no grant.
``make_seller`` adds sam, a seller of Équipe Lille Vente whose login is linked to his record.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import User
from django.utils import timezone

from pouls.activity.models import ActivityFact, SalesFact
from pouls.callbacks.models import Callback
from pouls.feedback.models import Feedback
from pouls.org.models import Account, Grant, Perimeter, Person
from pouls.surveys.models import Survey

PASSWORD = "pouls-test-mdp"
FIXED_NOW = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)


def make_perimeter(
    *,
    name: str = "Site Lille",
    kind: str = "store",
    parent: Perimeter | None = None,
    ref: str | None = None,
) -> Perimeter:
    return Perimeter.objects.create(
        name=name, kind=kind, parent=parent, ref=ref or name.upper().replace(" ", "-")
    )


def make_user(username: str = "user", *, is_superuser: bool = False) -> User:
    user = User.objects.create_user(username, f"{username}@example.test", PASSWORD)
    if is_superuser:
        user.is_superuser = user.is_staff = True
        user.save(update_fields=["is_superuser", "is_staff"])
    return user


def make_grant(user: User, perimeter: Perimeter, role: str = "viewer") -> Grant:
    return Grant.objects.create(user=user, perimeter=perimeter, role=role)


def make_person(
    *,
    perimeter: Perimeter,
    first_name: str = "Camille",
    last_name: str = "Durand",
    kind: str = "seller",
    user: User | None = None,
) -> Person:
    return Person.objects.create(
        perimeter=perimeter, first_name=first_name, last_name=last_name, kind=kind, user=user
    )


def make_feedback(
    *,
    perimeter: Perimeter,
    nps: int | None = 9,
    text: str = "Accueil très agréable.",
    received_at: dt.datetime | None = None,
    source_kind: str = "survey",
    channel: str = "store",
    person: Person | None = None,
    csat: int | None = None,
) -> Feedback:
    return Feedback.objects.create(
        perimeter=perimeter,
        nps=nps,
        text=text,
        source_kind=source_kind,
        channel=channel,
        received_at=received_at or timezone.now() - dt.timedelta(days=1),
        person=person,
        csat=csat,
    )


def make_sales(
    *,
    perimeter: Perimeter,
    date: dt.date,
    revenue: str = "1000.00",
    revenue_target: str | None = "1200.00",
    orders: int = 10,
    person: Person | None = None,
) -> SalesFact:
    return SalesFact.objects.create(
        perimeter=perimeter,
        person=person,
        date=date,
        revenue=Decimal(revenue),
        revenue_target=Decimal(revenue_target) if revenue_target else None,
        orders=orders,
    )


def make_activity(
    *,
    perimeter: Perimeter,
    date: dt.date,
    visits: int = 5,
    visits_target: int | None = 6,
    reports_filed: int = 3,
    person: Person | None = None,
) -> ActivityFact:
    return ActivityFact.objects.create(
        perimeter=perimeter,
        person=person,
        date=date,
        visits=visits,
        visits_target=visits_target,
        reports_filed=reports_filed,
    )


@dataclass
class Personas:
    group: Perimeter
    nord: Perimeter
    lille: Perimeter
    lille_team: Perimeter
    roubaix: Perimeter
    sud: Perimeter
    marseille: Perimeter
    alice: User
    bob: User
    carol: User
    charlie: User
    # A colleague with no grant: hands out a climate campaign's printed links.
    dora: User
    dave: User


def make_personas() -> Personas:
    group = make_perimeter(name="Groupe", kind="group")
    nord = make_perimeter(name="Région Nord", kind="region", parent=group)
    lille = make_perimeter(name="Site Lille", kind="store", parent=nord)
    lille_team = make_perimeter(name="Équipe Lille Vente", kind="team", parent=lille)
    roubaix = make_perimeter(name="Site Roubaix", kind="store", parent=nord)
    sud = make_perimeter(name="Région Sud", kind="region", parent=group)
    marseille = make_perimeter(name="Site Marseille", kind="store", parent=sud)
    alice, bob, carol, charlie = (make_user(n) for n in ("alice", "bob", "carol", "charlie"))
    make_grant(alice, group, "admin")
    make_grant(bob, lille, "viewer")
    make_grant(carol, nord, "analyst")
    dora = make_user("dora")
    dave = make_user("dave")
    make_grant(dave, lille, "manager")
    for user, home in ((alice, group), (bob, lille), (carol, nord), (dave, lille)):
        Account.objects.create(user=user, perimeter=home)
    return Personas(
        group,
        nord,
        lille,
        lille_team,
        roubaix,
        sud,
        marseille,
        alice,
        bob,
        carol,
        charlie,
        dora,
        dave,
    )


def make_seller(p: Personas, username: str = "sam") -> tuple[User, Person]:
    """A seller of Équipe Lille Vente with a login linked to the record and a viewer grant on
    the team (what « Mon pouls » needs)."""
    user = make_user(username)
    make_grant(user, p.lille_team, "viewer")
    Account.objects.create(user=user, perimeter=p.lille_team)
    person = make_person(perimeter=p.lille_team, first_name="Samir", last_name="Vendeur", user=user)
    return user, person


def refresh_rollups() -> None:
    """Bring the rollups up to date, as the worker does after each import (dashboards read
    only rollups)."""
    from pouls.rollups.fill import refresh

    refresh()


def make_survey(
    *,
    perimeter: Perimeter,
    title: str = "Votre visite",
    ask_csat: bool = False,
    ask_ces: bool = False,
    use_invitations: bool = False,
) -> Survey:
    """A survey with its links (one per store and seller under ``perimeter``)."""
    from pouls.surveys.actions import do_create_links

    survey = Survey.objects.create(
        perimeter=perimeter,
        title=title,
        question="Recommanderiez-vous ce magasin à un proche ?",
        ask_csat=ask_csat,
        ask_ces=ask_ces,
        use_invitations=use_invitations,
    )
    do_create_links(survey)
    return survey


def make_callback(*, feedback: Feedback, created_at: dt.datetime | None = None) -> Callback:
    created = created_at or timezone.now()
    return Callback.objects.create(
        feedback=feedback,
        perimeter=feedback.perimeter,
        assignee=feedback.person,
        reason=Callback.Reason.DETRACTOR,
        created_at=created,
        due_at=created + dt.timedelta(hours=48),
    )


def text_cells() -> list[tuple[str, str, str]]:
    """Every non-empty cell of every table of the database, as text (table, column, value):
    what a copy of the database file would show to whoever reads it."""
    from django.db import connection

    cells: list[tuple[str, str, str]] = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT * FROM {quoted}")  # noqa: S608 - names from introspection
            columns = [c[0] for c in cursor.description]
            for row in cursor.fetchall():
                for column, value in zip(columns, row, strict=True):
                    if value is None or value == "":
                        continue
                    text = (
                        bytes(value).decode("utf-8", "replace")
                        if isinstance(value, bytes | memoryview)
                        else str(value)
                    )
                    cells.append((table, column, text))
    return cells
