"""One leak test over every web view: a view missing from REGISTRY fails the suite."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, reverse

from pouls.briefings.actions import do_create_briefing
from pouls.briefings.models import Briefing, Commitment
from pouls.callbacks.models import Callback
from pouls.climate.models import Campaign, ResultGroup
from pouls.climate.tests.builders import make_campaign
from pouls.feedback.models import Feedback, Import, QuarantinedRow
from pouls.org.models import Account, Grant, Perimeter
from pouls.surveys.models import Survey, SurveyLink
from pouls.testing import (
    Personas,
    make_callback,
    make_feedback,
    make_grant,
    make_person,
    make_survey,
    make_user,
    refresh_rollups,
)
from pouls.watch.models import ThemeSignal
from pouls.web.urls import urlpatterns

Target = (
    Account
    | Perimeter
    | Feedback
    | Import
    | Survey
    | SurveyLink
    | Callback
    | Briefing
    | Commitment
    | Campaign
    | ResultGroup
    | ThemeSignal
)


def _perimeter(p: Personas, own: bool) -> Target:
    return p.lille if own else p.marseille


def _feedback(p: Personas, own: bool) -> Target:
    return Feedback.objects.get(perimeter=p.lille if own else p.marseille)


def _import(p: Personas, own: bool) -> Target:
    return Import.objects.get(perimeter=p.lille if own else p.marseille)


def _survey(p: Personas, own: bool) -> Target:
    return Survey.objects.get(perimeter=p.lille if own else p.marseille)


def _link(p: Personas, own: bool) -> Target:
    return SurveyLink.objects.get(perimeter=p.lille if own else p.marseille)


def _callback(p: Personas, own: bool) -> Target:
    return Callback.objects.get(perimeter=p.lille if own else p.marseille)


def _briefing(p: Personas, own: bool) -> Target:
    perimeter = p.lille if own else p.marseille
    found = Briefing.objects.filter(perimeter=perimeter).first()
    return found or do_create_briefing(p.alice, perimeter, "weekly", dt.date(2026, 11, 9))


def _commitment(p: Personas, own: bool) -> Target:
    briefing = _briefing(p, own)
    assert isinstance(briefing, Briefing)
    owner = make_person(perimeter=briefing.perimeter, last_name=f"Porteur {briefing.pk}")
    return Commitment.objects.create(
        briefing=briefing, perimeter=briefing.perimeter, text="Rappeler", owner=owner, due=TODAY
    )


def _commitment_data(p: Personas) -> dict[str, str]:
    owner = make_person(perimeter=p.lille, last_name="Porteuse")
    return {"text": "Saluer chaque client", "owner": str(owner.pk), "due": TODAY.isoformat()}


TODAY = dt.date.today()


def _campaign(p: Personas, own: bool) -> Campaign:
    owner = p.lille if own else p.marseille
    found = Campaign.objects.filter(perimeter=owner).first()
    return found or make_campaign(owner=owner, name=f"Climat {owner.name}")


def _distributed(p: Personas, own: bool) -> Campaign:
    """The campaign whose printed links dora hands out (the other one has its own
    distributor): reached through the campaign's distributor, not a grant."""
    campaign = _campaign(p, own)
    if own and campaign.distributor_id != p.dora.pk:
        campaign.distributor = p.dora
        campaign.save(update_fields=["distributor"])
    return campaign


def _result_group(p: Personas, own: bool) -> Target:
    return ResultGroup.objects.get(
        campaign=_campaign(p, own), perimeter=p.lille if own else p.marseille
    )


def _account(p: Personas, own: bool) -> Target:
    if own:
        return Account.objects.get(user=p.bob)
    found = Account.objects.filter(perimeter=p.marseille).first()
    if found is None:
        marius = make_user("marius")
        make_grant(marius, p.marseille, "viewer")
        found = Account.objects.create(user=marius, perimeter=p.marseille)
    return found


def _bob_grant(p: Personas) -> dict[str, str]:
    return {"grant": str(Grant.objects.get(user=p.bob).pk)}


def _signal(p: Personas, own: bool) -> Target:
    return ThemeSignal.objects.get(perimeter=p.lille if own else p.marseille)


@dataclass(frozen=True)
class Spec:
    build: Callable[[Personas, bool], Target] | None  # None: a view without a code
    insider: str = "bob"  # a persona entitled to the "own" target
    method: str = "get"
    data: Callable[[Personas], dict[str, str]] | dict[str, str] | None = None  # POST body
    denied: str | None = None  # a persona who sees the target but whose role forbids: 403


# URL name -> how to reach it. Import views need the analyst role: carol is the insider.
REGISTRY: dict[str, Spec] = {
    "web-home-view": Spec(None),
    "watch-feed": Spec(None),
    "watch-digest-subscription": Spec(None, method="post"),
    "web-perimeter-dashboard": Spec(_perimeter),
    "web-perimeter-trend": Spec(_perimeter),
    "web-verbatim-list": Spec(_perimeter),
    "web-verbatim-export": Spec(_perimeter, "carol"),
    "web-feedback-detail": Spec(_feedback),
    "web-theme-correction": Spec(
        _feedback, "carol", "post", {"theme": "delivery", "present": "0"}, denied="dave"
    ),
    "feedback-field-report-new": Spec(None),
    # Admins only (alice); an analyst gets 403. Scope of the rows: see the test below.
    "rights-customer-rights": Spec(
        None, "alice", "post", {"identite": "client@example.org"}, denied="carol"
    ),
    "feedback-export-csv": Spec(_perimeter, "carol", denied="dave"),
    "feedback-export-xlsx": Spec(_perimeter, "carol"),
    "feedback-import-list": Spec(None, "carol"),
    "feedback-import-upload": Spec(None, "carol"),
    "feedback-import-detail": Spec(_import, "carol"),
    "feedback-import-mapping": Spec(_import, "carol"),
    "feedback-import-reprocess": Spec(_import, "carol", "post"),
    "feedback-quarantine-export": Spec(_import, "carol"),
    "feedback-quarantine-export-xlsx": Spec(_import, "carol"),
    "annotations-drivers": Spec(_perimeter),
    "activity-results": Spec(_perimeter),
    "surveys-survey-list": Spec(None),
    "surveys-survey-new": Spec(None, "alice"),
    "surveys-survey-detail": Spec(_survey),
    "surveys-survey-manage": Spec(_survey, "alice", "post", {"action": "liens"}),
    "surveys-link-qr-png": Spec(_link),
    "surveys-link-qr-svg": Spec(_link),
    "surveys-link-invitations": Spec(_link, "alice", "post", {"nombre": "2"}),
    "callbacks-callback-queue": Spec(_perimeter),
    "callbacks-callback-figures": Spec(_perimeter),
    "callbacks-callback-assign": Spec(_perimeter, "carol", "post", {"action": "prendre"}),
    "callbacks-callback-detail": Spec(_callback),
    "briefings-briefing-list": Spec(_perimeter),
    "briefings-briefing-create": Spec(
        _perimeter, "carol", "post", {"period": "weekly", "sections": "chiffres"}
    ),
    "briefings-briefing-detail": Spec(_briefing),
    "briefings-briefing-present": Spec(_briefing),
    "briefings-briefing-pdf": Spec(_briefing),
    "briefings-briefing-markdown": Spec(_briefing),
    "briefings-briefing-mark-presented": Spec(_briefing, "dave", "post", denied="bob"),
    "briefings-commitment-create": Spec(_briefing, "carol", "post", _commitment_data),
    "briefings-commitment-update": Spec(_commitment, "carol", "post", {"status": "done"}),
    "briefings-schedule-set": Spec(_perimeter, "bob", "post", {"period": "weekly"}),
    "briefings-my-pulse": Spec(None),
    "climate-campaign-list": Spec(None),
    "climate-campaign-new": Spec(None, "carol"),
    "climate-campaign-detail": Spec(_campaign),
    "climate-campaign-launch": Spec(_campaign, "carol", "post"),
    "climate-campaign-invite": Spec(_campaign, "carol", "post"),
    "climate-campaign-invite-emails": Spec(_distributed, "dora", "post"),
    "climate-campaign-preview": Spec(_campaign),
    "climate-campaign-distributor": Spec(_campaign, "carol", "post"),
    "climate-distribution": Spec(_distributed, "dora"),
    "climate-campaign-remind": Spec(_campaign, "carol", "post"),
    "climate-campaign-close": Spec(_campaign, "carol", "post"),
    "climate-campaign-print": Spec(_distributed, "dora", "post"),
    "climate-results": Spec(_result_group),
    "climate-results-comments": Spec(_result_group),
    "climate-results-customers": Spec(_result_group),
    "climate-results-export": Spec(_result_group, "carol"),
    "watch-signal-detail": Spec(_signal),
    "watch-perimeter-signals": Spec(_perimeter),
    "org-access-home": Spec(None, "alice", denied="bob"),
    "org-account-invite": Spec(None, "alice", denied="dave"),
    "org-account-detail": Spec(_account, "alice", denied="bob"),
    "org-account-grant": Spec(
        _account,
        "alice",
        "post",
        lambda p: {"perimeter": str(p.lille_team.pk), "role": "viewer"},
        denied="dave",
    ),
    "org-account-grant-remove": Spec(_account, "alice", "post", _bob_grant, denied="bob"),
    "org-account-link": Spec(_account, "alice", "post", {"person": ""}, denied="bob"),
    "org-account-active": Spec(_account, "alice", "post", {"active": "1"}, denied="dave"),
    "org-account-resend": Spec(_account, "alice", "post", denied="bob"),
    "org-perimeter-new": Spec(None, "alice", denied="carol"),
    "org-perimeter-edit": Spec(_perimeter, "alice", denied="carol"),
    "org-perimeter-close": Spec(_perimeter, "alice", "post", denied="dave"),
    "feedback-org-import": Spec(None, "alice", denied="bob"),
    "org-audit-list": Spec(None, "alice", denied="carol"),
    "org-audit-export": Spec(None, "alice", denied="bob"),
}
DETAIL_VIEWS = [name for name, spec in REGISTRY.items() if spec.build is not None]
PERIMETER_VIEWS = [name for name, spec in REGISTRY.items() if spec.build is _perimeter]
DENIED_VIEWS = [name for name, spec in REGISTRY.items() if spec.denied is not None]
EXPORTS = [
    "web-verbatim-export",
    "feedback-export-csv",
    "feedback-export-xlsx",
    "feedback-quarantine-export",
    "feedback-quarantine-export-xlsx",
]


@pytest.fixture
def world(personas: Personas) -> Personas:
    make_feedback(perimeter=personas.lille, nps=10, text="Lille : vendeuse très à l'écoute.")
    make_feedback(perimeter=personas.marseille, nps=2, text="Marseille : personne pour m'aider.")
    for perimeter, secret in (
        (personas.lille, "ligne-lille"),
        (personas.marseille, "ligne-marseille"),
    ):
        batch = Import.objects.create(
            perimeter=perimeter,
            file_name=f"{secret}.csv",
            file_sha256="0" * 64,
            read=1,
            quarantined=1,
        )
        QuarantinedRow.objects.create(
            batch=batch, perimeter=perimeter, row_number=2, raw={"Magasin": secret}, reasons=[]
        )
    for feedback in Feedback.objects.all():
        make_callback(feedback=feedback)
    make_survey(perimeter=personas.lille, title="Enquête Lille")
    make_survey(perimeter=personas.marseille, title="Enquête Marseille")
    week = dt.date(2026, 11, 9)
    for perimeter in (personas.lille, personas.marseille):
        ThemeSignal.objects.create(
            perimeter=perimeter,
            theme="checkout_payment",
            kind="surge",
            first_seen=week,
            last_seen=week,
            count=12,
            expected=3.0,
        )
    refresh_rollups()
    return personas


def _url(name: str, target: Target | None) -> str:
    return reverse(name, args=[target.code]) if target is not None else reverse(name)


def _call(client: Client, name: str, target: Target | None, p: Personas | None = None) -> int:
    spec = REGISTRY[name]
    url = _url(name, target)
    data = spec.data(p) if callable(spec.data) and p is not None else spec.data
    if spec.method == "post":
        return client.post(url, data if isinstance(data, dict) else {"mapping": ""}).status_code
    return client.get(url).status_code


def _names(patterns: Sequence[object]) -> set[str | None]:
    """URL names, including those of included modules."""
    names: set[str | None] = set()
    for p in patterns:
        if isinstance(p, URLResolver):
            names |= _names(p.url_patterns)
        elif isinstance(p, URLPattern):
            names.add(p.name)
    return names


def test_every_web_view_is_in_the_leak_registry() -> None:
    names = _names(urlpatterns)
    assert names == set(REGISTRY), "register new views in REGISTRY with their target builder"


@pytest.mark.parametrize("name", DETAIL_VIEWS)
def test_insiders_reach_their_rows_and_get_404_outside(
    client: Client, world: Personas, name: str
) -> None:
    spec = REGISTRY[name]
    assert spec.build is not None
    client.force_login(getattr(world, spec.insider))
    assert _call(client, name, spec.build(world, True), world) in {200, 302}
    for persona in (world.bob, world.carol):
        client.force_login(persona)
        assert _call(client, name, spec.build(world, False)) == 404


@pytest.mark.parametrize("name", DENIED_VIEWS)
def test_a_persona_whose_role_is_too_low_gets_403(
    client: Client, world: Personas, name: str
) -> None:
    spec = REGISTRY[name]
    assert spec.denied is not None
    client.force_login(getattr(world, spec.denied))
    target = spec.build(world, True) if spec.build else None
    assert _call(client, name, target, world) == 403


@pytest.mark.parametrize("name", PERIMETER_VIEWS)
def test_bob_gets_404_on_the_region_and_group(client: Client, world: Personas, name: str) -> None:
    client.force_login(world.bob)
    for perimeter in (world.nord, world.group, world.roubaix):
        assert _call(client, name, perimeter, world) == 404


@pytest.mark.parametrize("name", DETAIL_VIEWS)
def test_charlie_gets_404_everywhere(client: Client, world: Personas, name: str) -> None:
    spec = REGISTRY[name]
    assert spec.build is not None
    client.force_login(world.charlie)
    assert _call(client, name, spec.build(world, True), world) == 404


@pytest.mark.parametrize("name", list(REGISTRY))
def test_anonymous_is_sent_to_login(client: Client, world: Personas, name: str) -> None:
    spec = REGISTRY[name]
    url = _url(name, spec.build(world, True) if spec.build else None)
    response = client.post(url) if spec.method == "post" else client.get(url)
    assert response.status_code == 302 and "/connexion/" in response["Location"]


def test_a_viewer_cannot_open_imports_of_his_own_store(client: Client, world: Personas) -> None:
    client.force_login(world.bob)
    batch = Import.objects.get(perimeter=world.lille)
    assert client.get(reverse("feedback-import-detail", args=[batch.code])).status_code == 403
    assert "ligne-lille" not in client.get(reverse("feedback-import-list")).content.decode()


def test_bob_lists_only_his_perimeters(client: Client, world: Personas) -> None:
    client.force_login(world.bob)
    body = client.get(reverse("web-home-view")).content.decode()
    assert "Site Lille" in body and "Équipe Lille Vente" in body
    for other in ("Site Marseille", "Site Roubaix", "Région Nord", "Groupe"):
        assert other not in body


def test_charlie_lists_nothing(client: Client, world: Personas) -> None:
    client.force_login(world.charlie)
    body = client.get(reverse("web-home-view")).content.decode()
    assert "Site" not in body and "Aucun périmètre" in body
    assert "ligne-" not in client.get(reverse("feedback-import-list")).content.decode()


def test_bob_reads_only_his_verbatims(client: Client, world: Personas) -> None:
    client.force_login(world.bob)
    body = client.get(reverse("web-verbatim-list", args=[world.lille.code])).content.decode()
    assert "Lille : vendeuse" in body and "Marseille" not in body


def test_carol_lists_only_the_imports_of_her_region(client: Client, world: Personas) -> None:
    client.force_login(world.carol)
    body = client.get(reverse("feedback-import-list")).content.decode()
    assert "ligne-lille" in body and "ligne-marseille" not in body


def test_the_upload_form_offers_only_perimeters_in_scope(client: Client, world: Personas) -> None:
    client.force_login(world.carol)
    body = client.get(reverse("feedback-import-upload")).content.decode()
    assert "Site Roubaix" in body and "Site Marseille" not in body and "Groupe" not in body


def test_alice_dashboard_of_the_group_counts_both_stores(client: Client, world: Personas) -> None:
    client.force_login(world.alice)
    response = client.get(reverse("web-perimeter-dashboard", args=[world.group.code]))
    assert response.context["d"].nps.n == 2
    client.force_login(world.bob)
    response = client.get(reverse("web-perimeter-dashboard", args=[world.lille.code]))
    assert response.context["d"].nps.n == 1


@pytest.mark.parametrize("name", EXPORTS)
def test_exports_hold_only_rows_in_scope(client: Client, world: Personas, name: str) -> None:
    client.force_login(world.carol)
    target = REGISTRY[name].build
    assert target is not None
    response = client.get(_url(name, target(world, True)))
    body = response.content
    if name.endswith("xlsx"):
        import io

        from openpyxl import load_workbook

        sheet = load_workbook(io.BytesIO(body), read_only=True).worksheets[0]
        body = repr(list(sheet.iter_rows(values_only=True))).encode()
    text = body.decode("utf-8", errors="replace")
    assert "Marseille" not in text
    assert "Lille" in text or "ligne-lille" in text


def test_a_viewer_cannot_export(client: Client, world: Personas) -> None:
    client.force_login(world.bob)
    response = client.get(reverse("feedback-export-csv", args=[world.lille.code]))
    assert response.status_code == 403


def test_bob_lists_only_his_surveys_and_callbacks(client: Client, world: Personas) -> None:
    client.force_login(world.bob)
    body = client.get(reverse("surveys-survey-list")).content.decode()
    assert "Enquête Lille" in body and "Marseille" not in body
    queue = client.get(reverse("callbacks-callback-queue", args=[world.lille.code])).content
    assert b"Lille : vendeuse" in queue and b"Marseille" not in queue


# The survey form is public (customers have no account): its token is the capability.
SURVEY_PUBLIC = {"surveys-answer-form", "surveys-answer-thanks"}


def test_every_public_view_is_covered() -> None:
    from pouls.surveys.public_urls import urlpatterns as public

    assert _names(public) == SURVEY_PUBLIC, "cover new public views in the tests below"


@pytest.mark.parametrize("name", sorted(SURVEY_PUBLIC))
def test_public_views_show_nothing_of_the_perimeter(
    client: Client, world: Personas, name: str
) -> None:
    link = SurveyLink.objects.get(perimeter=world.lille)
    body = client.get(reverse(name, args=[link.token])).content.decode()
    assert "Site Lille" in body  # the store's name, and nothing else of it
    for secret in ("Lille : vendeuse", "Marseille", "ligne-lille", "Région Nord"):
        assert secret not in body
    assert client.get(reverse(name, args=["inconnu"])).status_code == 404
    Survey.objects.filter(pk=link.survey_id).update(is_open=False)
    assert client.get(reverse(name, args=[link.token])).status_code == 404


# Public pages outside pouls.web.urls (no login): the respondent's one-time link.
CLIMATE_PUBLIC = {"climate-answer", "climate-answer-done"}


def test_every_public_view_is_known_and_an_unknown_link_reveals_nothing(
    client: Client, world: Personas
) -> None:
    from pouls.climate.respond_urls import urlpatterns as public

    assert _names(public) == CLIMATE_PUBLIC, "review new public views here"
    _campaign(world, True)
    body = client.get(reverse("climate-answer", args=["inconnu"])).content.decode()
    assert "plus actif" in body and "Climat" not in body and "Lille" not in body
    assert client.get(reverse("climate-answer-done")).status_code == 200


def test_customer_rights_show_and_erase_only_rows_in_the_admin_scope(
    client: Client, world: Personas
) -> None:
    """An admin of the Nord region looking up a customer known in Lille and in Marseille sees
    and erases only the Lille rows; the identity never appears in a URL."""
    from pouls.lib import privacy

    ref = privacy.customer_ref("client@example.org")
    Feedback.objects.filter(text__startswith="Lille").update(customer_ref=ref)
    Feedback.objects.filter(text__startswith="Marseille").update(customer_ref=ref)
    nadia = make_user("nadia")
    make_grant(nadia, world.nord, "admin")
    client.force_login(nadia)
    url = reverse("rights-customer-rights")
    body = client.post(url, {"identite": "client@example.org"}).content.decode()
    assert "vendeuse très à l&#x27;écoute" in body or "vendeuse très à l'écoute" in body
    assert "personne pour m" not in body
    exported = client.post(url, {"identite": "client@example.org", "action": "json"})
    assert "Marseille" not in exported.content.decode()
    client.post(url, {"identite": "client@example.org", "action": "effacer", "confirmer": "on"})
    assert not Feedback.objects.filter(text__startswith="Lille").exists()
    assert Feedback.objects.filter(text__startswith="Marseille").exists()
