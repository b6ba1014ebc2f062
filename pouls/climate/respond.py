"""The respondent's side: a one-time link, the welcome page with the confidentiality rules,
the form (French, works without JavaScript), a thank-you page.

No session, no cookie of ours and no log line holds the token (see ``logging.py``); the
answer is stored with its day only and nothing links it to the invitation.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from pouls.climate.actions import CampaignStateError, do_answer, find_invitation
from pouls.climate.forms import AnswerForm
from pouls.climate.instruments import campaign_instruments


# No CSRF cookie: the one-time token in the path is the only credential (no session, no
# ambient authority a forged request could borrow), and the respondent's device keeps no
# cookie of ours — shared kiosks and cookie-less browsers included.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, token: str) -> HttpResponse:
    invitation = find_invitation(token)
    if invitation is None:
        # 200 rather than 404: Django logs 4xx paths, and this path holds the token.
        return render(request, "climate/answer_closed.html")
    campaign = invitation.campaign
    form = AnswerForm(
        request.POST or None,
        instruments=campaign_instruments(campaign),
        demographics=list(campaign.demographics),
    )
    if request.method == "POST" and form.is_valid():
        answers, categories, comments = form.split()
        try:
            do_answer(invitation, answers, categories, comments)
        except CampaignStateError:
            return render(request, "climate/answer_closed.html")
        return redirect("climate-answer-done")
    return render(request, "climate/answer.html", {"campaign": campaign, "form": form})


@require_GET
def answer_done(request: HttpRequest) -> HttpResponse:
    return render(request, "climate/answer_done.html")
