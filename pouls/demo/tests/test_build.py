"""The demo company is built deterministically and its planted scenarios are really there."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator

import pytest
from django.db.models import QuerySet, Sum

from pouls.activity.models import ActivityFact, SalesFact
from pouls.demo.build import SCENARIOS, do_build_demo
from pouls.feedback.models import Feedback
from pouls.org.models import Perimeter, Person
from pouls_analysis import nps_from_scores

END = dt.date(2026, 11, 15)
PAYMENT_WORDS = ("paiement", "payer", "carte", "terminal", "tpe", "espèces", "cb")

pytestmark = pytest.mark.slow  # builds the demo company


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: object) -> Iterator[dict[str, int]]:
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        counts = do_build_demo(seed=7, end=END, scale=0.35)
    yield counts
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        _wipe()


def _wipe() -> None:
    from django.contrib.auth.models import User

    from pouls.climate.models import Campaign

    for model in (Campaign, Feedback, SalesFact, ActivityFact, Person):
        model.objects.all().delete()
    User.objects.all().delete()  # with their accounts, which protect their perimeter
    for perimeter in Perimeter.objects.order_by("-depth"):
        perimeter.delete()


def _texts(store: str, since: dt.date, until: dt.date) -> list[str]:
    perimeter = Perimeter.objects.get(name=f"Magasin {store}")
    return list(
        Feedback.objects.filter(
            perimeter__path__startswith=perimeter.path,
            source_kind="survey",
            received_at__date__gte=since,
            received_at__date__lt=until,
        )
        .exclude(text="")
        .values_list("text", flat=True)
    )


def _scores(qs: QuerySet[Feedback]) -> list[int]:
    return [s for s in qs.values_list("nps", flat=True) if s is not None]


def _payment_share(texts: list[str]) -> float:
    hits = sum(any(w in t.lower() for w in PAYMENT_WORDS) for t in texts)
    return hits / max(1, len(texts))


@pytest.mark.django_db
def test_the_company_has_the_promised_shape(demo: dict[str, int]) -> None:
    assert Perimeter.objects.filter(kind="region").count() >= 3
    assert Perimeter.objects.filter(kind="store").count() >= 15
    assert Perimeter.objects.filter(kind="department").exists()
    assert Person.objects.filter(kind="seller").count() >= 80
    first = Feedback.objects.order_by("received_at").first()
    assert first is not None and (END - first.received_at.date()).days >= 360


@pytest.mark.django_db
def test_the_payment_incident_starts_in_two_stores(demo: dict[str, int]) -> None:
    start = END - dt.timedelta(weeks=SCENARIOS.payment_weeks_before_end)
    before = start - dt.timedelta(weeks=10)
    for store in SCENARIOS.payment_stores:
        assert (
            _payment_share(_texts(store, start, END))
            > 2.5 * _payment_share(_texts(store, before, start)) + 0.05
        )
    assert _payment_share(_texts("Lyon", start, END)) < 0.15


@pytest.mark.django_db
def test_grenoble_sells_more_while_its_nps_falls(demo: dict[str, int]) -> None:
    store = Perimeter.objects.get(name=f"Magasin {SCENARIOS.falling_nps_store}")
    feedback = Feedback.objects.filter(perimeter__path__startswith=store.path, nps__isnull=False)
    sales = SalesFact.objects.filter(perimeter__path__startswith=store.path)
    last, early = END - dt.timedelta(days=45), END - dt.timedelta(days=240)
    recent_nps = nps_from_scores(_scores(feedback.filter(received_at__date__gte=last)))
    old_nps = nps_from_scores(
        _scores(
            feedback.filter(
                received_at__date__gte=early, received_at__date__lt=early + dt.timedelta(days=60)
            )
        )
    )
    assert recent_nps.high is not None and old_nps.low is not None
    assert recent_nps.high < old_nps.low  # a credible fall, not noise
    recent_revenue = sales.filter(date__gte=last).aggregate(s=Sum("revenue"))["s"]
    old_revenue = sales.filter(date__gte=early, date__lt=early + dt.timedelta(days=45)).aggregate(
        s=Sum("revenue")
    )["s"]
    assert recent_revenue > old_revenue


@pytest.mark.django_db
def test_one_team_stops_filing_reports(demo: dict[str, int]) -> None:
    team = Perimeter.objects.get(name=f"{SCENARIOS.silent_team_store} — Vente")
    cut = END - dt.timedelta(weeks=SCENARIOS.silent_team_weeks)
    facts = ActivityFact.objects.filter(perimeter=team)
    assert facts.filter(date__gte=cut).aggregate(s=Sum("reports_filed"))["s"] == 0
    assert facts.filter(date__lt=cut).aggregate(s=Sum("reports_filed"))["s"] > 100
    assert not Feedback.objects.filter(
        perimeter=team, source_kind="field_report", received_at__date__gte=cut
    ).exists()


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_company(demo: dict[str, int]) -> None:
    before = _digest()
    _wipe()  # rolled back at the end of the test
    do_build_demo(seed=7, end=END, scale=0.35)
    assert _digest() == before


def _digest() -> str:
    rows = Feedback.objects.values_list("perimeter__ref", "received_at", "nps", "text")
    # Sorted on every field: rows may tie on date and text (answers without a comment).
    key = sorted(rows, key=lambda r: (r[1], r[0], -1 if r[2] is None else r[2], r[3]))
    return hashlib.sha256(repr(key).encode()).hexdigest()


@pytest.mark.django_db
def test_the_climate_campaign_plants_its_profiles(demo: dict[str, int]) -> None:
    from django.contrib.auth.models import User

    from pouls.climate.models import Campaign
    from pouls.climate.publication import published_for_user
    from pouls.climate.queries import group_result

    campaign = Campaign.objects.get()
    published = published_for_user(User.objects.get(username="carol"), campaign)
    results = {
        published.groups[gid].label.removeprefix("Magasin "): group_result(published, gid)
        for gid in published.scores
    }
    assert demo["climate_responses"] >= 20 and "Région Nord" in results
    assert "exposerait ce désengagement" in results["Rouen"].verdict
    assert results["Amiens"].diagnosis is not None and results["Amiens"].diagnosis.weakest == "will"
    assert results["Lille"].dominant_label == "Bienveillance"
    assert {"Lille", "Rouen", "Amiens", "Reims"} <= set(results)  # every store is shown


@pytest.mark.django_db
def test_texts_are_pseudonymised_and_recent_consents_left_a_contact(demo: dict[str, int]) -> None:
    from pouls.feedback.models import CallbackContact

    # Customers quote their seller's first name: stored masked, as an import would.
    assert Feedback.objects.filter(text__contains="[NOM]").exists()
    first_names = set(Person.objects.values_list("first_name", flat=True))
    quoted = [
        t
        for t in Feedback.objects.exclude(text="").values_list("text", flat=True)
        if any(f"par {name}" in t for name in first_names)
    ]
    masked = Feedback.objects.filter(text__contains="par [NOM]").count()
    assert masked > 5 * len(quoted)
    contacts = CallbackContact.objects.select_related("feedback")
    assert contacts.exists()
    since = dt.datetime.combine(END - dt.timedelta(days=13), dt.time.min, tzinfo=dt.UTC)
    for contact in contacts:
        assert contact.feedback.callback_consent
        assert contact.feedback.received_at >= since - dt.timedelta(hours=2)


@pytest.mark.django_db
def test_the_demo_has_a_store_manager_and_a_seller_login(demo: dict[str, int]) -> None:
    from django.contrib.auth.models import User

    from pouls.briefings.mypulse import applicable_rule
    from pouls.demo.build import SELLER_LOGIN, demo_logins
    from pouls.lib.scoping import may_act

    bob = User.objects.get(username="bob")
    lille = Perimeter.objects.get(name="Magasin Lille")
    assert may_act(bob, "run", lille.pk) and not may_act(bob, "analyze", lille.pk)
    seller = Person.objects.get(user__username=SELLER_LOGIN)
    assert seller.kind == "seller" and seller.perimeter.parent == lille
    assert Feedback.objects.filter(person=seller).count() > 20
    assert applicable_rule(seller) is not None
    logins = "\n".join(demo_logins())
    assert str(seller) in logins and "bob" in logins and "point d'équipe" in logins
