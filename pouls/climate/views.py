"""Manager views of employee listening: campaigns and their results (all scoped)."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pouls.climate import actions
from pouls.climate.forms import (
    AnswerForm,
    CampaignForm,
    DistributorForm,
    EmailInvitationsForm,
    PrintLinksForm,
)
from pouls.climate.instruments import campaign_instruments
from pouls.climate.models import Campaign
from pouls.climate.printing import printable_slips
from pouls.climate.queries import (
    campaign_overview,
    get_campaign_to_distribute,
    list_campaigns,
    list_distributed,
)
from pouls.lib.http import AuthedRequest
from pouls.lib.scoping import get_for_user_or_404, may_act_somewhere


def _link(request: AuthedRequest) -> Callable[[str], str]:
    return lambda token: request.build_absolute_uri(reverse("climate-answer", args=[token]))


@login_required
@require_GET
def campaign_list(request: AuthedRequest) -> HttpResponse:
    context = {
        "rows": list_campaigns(request.user),
        "distributed": list_distributed(request.user),
    }
    return render(request, "climate/campaigns.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def campaign_new(request: AuthedRequest) -> HttpResponse:
    if not may_act_somewhere(request.user, "change"):
        raise PermissionDenied
    form = CampaignForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        campaign = actions.do_create_campaign(
            request.user,
            perimeter=data["perimeter"],
            name=data["name"],
            instruments=form.instrument_texts(),
            targets=data["targets"],
            demographics=data["demographics"],
            min_scores=data["min_scores"],
            min_comments=data["min_comments"],
            distributor=data["distributor"],
        )
        return redirect("climate-campaign-detail", code=campaign.code)
    return render(request, "climate/campaign_new.html", {"form": form})


@login_required
@require_GET
def campaign_detail(request: AuthedRequest, code: str) -> HttpResponse:
    campaign = get_for_user_or_404(Campaign, request.user, code)
    overview = campaign_overview(request.user, campaign)
    context = {
        "campaign": campaign,
        "overview": overview,
        # Managers see participation; the same test decides whether actions are offered.
        "can_manage": overview.participation is not None,
        "distributor_form": DistributorForm(campaign=campaign),
    }
    return render(request, "climate/campaign_detail.html", context)


@login_required
@require_GET
def campaign_preview(request: AuthedRequest, code: str) -> HttpResponse:
    """The respondent's form of the campaign, inert: to check questions before launch."""
    campaign = get_for_user_or_404(Campaign, request.user, code)
    form = AnswerForm(
        instruments=campaign_instruments(campaign), demographics=list(campaign.demographics)
    )
    context = {"campaign": campaign, "form": form, "preview": True}
    return render(request, "climate/answer.html", context)


def _campaign_action(
    request: AuthedRequest, code: str, run: Callable[[Campaign], str]
) -> HttpResponse:
    campaign = get_for_user_or_404(Campaign, request.user, code, "change")
    try:
        messages.success(request, run(campaign))
    except actions.CampaignStateError as exc:
        messages.error(request, str(exc))
    return redirect("climate-campaign-detail", code=campaign.code)


@login_required
@require_POST
def campaign_launch(request: AuthedRequest, code: str) -> HttpResponse:
    def run(campaign: Campaign) -> str:
        actions.do_launch_campaign(campaign)
        return _("Campagne lancée : seuils et questionnaires sont désormais figés.")

    return _campaign_action(request, code, run)


@login_required
@require_POST
def campaign_invite(request: AuthedRequest, code: str) -> HttpResponse:
    def run(campaign: Campaign) -> str:
        sent = actions.do_invite_people(campaign, _link(request))
        return _("%(n)s invitation(s) envoyée(s) par e-mail.") % {"n": sent}

    return _campaign_action(request, code, run)


@login_required
@require_POST
def campaign_remind(request: AuthedRequest, code: str) -> HttpResponse:
    def run(campaign: Campaign) -> str:
        sent = actions.do_remind(campaign, _link(request))
        return _("%(n)s relance(s) envoyée(s), aux seules personnes qui n'ont pas répondu.") % {
            "n": sent
        }

    return _campaign_action(request, code, run)


@login_required
@require_POST
def campaign_close(request: AuthedRequest, code: str) -> HttpResponse:
    def run(campaign: Campaign) -> str:
        actions.do_close_campaign(campaign)
        return _("Campagne clôturée : plus aucune réponse n'est acceptée.")

    return _campaign_action(request, code, run)


@login_required
@require_POST
def campaign_distributor(request: AuthedRequest, code: str) -> HttpResponse:
    campaign = get_for_user_or_404(Campaign, request.user, code, "change")
    form = DistributorForm(request.POST, campaign=campaign)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(str(e) for e in errors))
        return redirect("climate-campaign-detail", code=campaign.code)

    def run(campaign: Campaign) -> str:
        actions.do_set_distributor(campaign, form.cleaned_data["distributor"])
        return _("Distributeur des liens enregistré.")

    return _campaign_action(request, code, run)


# The distributor's pages: a campaign is reached through ``for_distributor`` (the account
# chosen for it, who sees none of its results), never through a grant.


@login_required
@require_GET
def distribution(request: AuthedRequest, code: str) -> HttpResponse:
    campaign = get_campaign_to_distribute(request.user, code)
    context = {
        "campaign": campaign,
        "print_form": PrintLinksForm(campaign=campaign),
        "email_form": EmailInvitationsForm(campaign=campaign),
    }
    return render(request, "climate/distribution.html", context)


@login_required
@require_POST
def campaign_invite_emails(request: AuthedRequest, code: str) -> HttpResponse:
    campaign = get_campaign_to_distribute(request.user, code)
    form = EmailInvitationsForm(request.POST, campaign=campaign)
    if form.is_valid():
        data = form.cleaned_data
        sent = actions.do_invite_emails(
            request.user, campaign, data["perimeter"], data["emails"], _link(request)
        )
        messages.success(request, _("%(n)s invitation(s) envoyée(s) par e-mail.") % {"n": sent})
    for errors in form.errors.values():
        messages.error(request, " ".join(str(e) for e in errors))
    return redirect("climate-distribution", code=campaign.code)


@login_required
@require_POST
def campaign_print(request: AuthedRequest, code: str) -> HttpResponse:
    campaign = get_campaign_to_distribute(request.user, code)
    form = PrintLinksForm(request.POST, campaign=campaign)
    if not form.is_valid():
        messages.error(request, _("Choisissez une équipe de la campagne et un nombre de liens."))
        return redirect("climate-distribution", code=campaign.code)
    team, count = form.cleaned_data["perimeter"], form.cleaned_data["count"]
    links = actions.do_print_links(request.user, campaign, team, count, _link(request))
    context = {"campaign": campaign, "slips": printable_slips(links), "perimeter": team}
    return render(request, "climate/print_links.html", context)
