"""The public answer form (no account): French, mobile-first, works without JavaScript.

Spam defences, in order: a rate limit per address then per link (429 page), a honeypot
field, a signed nonce per displayed form (a form posted twice is stored once), and
single-use invitations when the survey uses them.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from pouls.surveys import throttle
from pouls.surveys.actions import AlreadyAnswered, Answer, do_answer_survey
from pouls.surveys.forms import AnswerForm, new_nonce
from pouls.surveys.models import Invitation, SurveyLink
from pouls.surveys.queries import get_invitation, get_public_link

logger = logging.getLogger(__name__)


@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, token: str) -> HttpResponse:
    link = get_public_link(token)
    invitation_token = request.POST.get("invitation") or request.GET.get("i") or ""
    invitation = get_invitation(link, invitation_token)
    if request.method == "POST" and not throttle.allow_post(
        request,
        link.token,
        per_ip=settings.POULS_SURVEY_POSTS_PER_IP,
        per_link=settings.POULS_SURVEY_POSTS_PER_LINK,
    ):
        logger.info("survey post throttled: link=%s", link.code)
        return _refuse(request, 429, _("Trop de réponses envoyées"), _THROTTLED)
    refusal = _check_invitation(request, link, invitation_token, invitation)
    if refusal is not None:
        return refusal
    initial = {"jeton": new_nonce(), "invitation": invitation_token}
    form = AnswerForm(request.POST or None, initial=initial, survey=link.survey)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data.get("site_web"):
            # A robot filled the hidden field: thank it and store nothing (logged).
            logger.info("survey honeypot filled: link=%s", link.code)
            return redirect("surveys-answer-thanks", token=link.token)
        return _store(request, link, form, invitation)
    if "jeton" in form.errors:
        # An expired form: a fresh nonce lets the customer send the same answers again.
        data = request.POST.copy()
        data["jeton"] = new_nonce()
        form.data = data
    return render(
        request,
        "surveys/answer.html",
        {"link": link, "survey": link.survey, "form": form},
        status=400 if form.is_bound else 200,
    )


_THROTTLED = (
    "Nous avons reçu trop de réponses depuis votre connexion ou pour ce questionnaire en peu "
    "de temps. Merci de réessayer dans une heure."
)


def _check_invitation(
    request: HttpRequest, link: SurveyLink, token: str, invitation: Invitation | None
) -> HttpResponse | None:
    if token and invitation is None:
        return _refuse(
            request, 404, _("Invitation inconnue"), _("Ce lien d’invitation n’est pas valide.")
        )
    if invitation is None and link.survey.use_invitations:
        return _refuse(
            request,
            403,
            _("Questionnaire sur invitation"),
            _("Ce questionnaire s’ouvre avec le lien personnel reçu dans votre invitation."),
        )
    if invitation is not None and invitation.used_at is not None:
        return _refuse(
            request, 410, _("Déjà répondu"), _("Vous avez déjà répondu à ce questionnaire. Merci !")
        )
    return None


def _store(
    request: HttpRequest, link: SurveyLink, form: AnswerForm, invitation: Invitation | None
) -> HttpResponse:
    data = form.cleaned_data
    answer = Answer(
        nps=data["note"],
        why=data.get("pourquoi") or "",
        csat=data.get("satisfaction"),
        ces=data.get("effort"),
        consent=bool(data.get("rappel")),
        contact=data.get("contact") or "",
        nonce=data["jeton"],
    )
    try:
        do_answer_survey(link, answer, invitation=invitation)
    except AlreadyAnswered:
        return _refuse(
            request, 410, _("Déjà répondu"), _("Vous avez déjà répondu à ce questionnaire. Merci !")
        )
    return redirect("surveys-answer-thanks", token=link.token)


def _refuse(request: HttpRequest, status: int, title: str, message: str) -> HttpResponse:
    response = render(
        request, "surveys/refused.html", {"title": title, "message": message}, status=status
    )
    if status == 429:
        response["Retry-After"] = str(throttle.WINDOW_SECONDS)
    return response


@require_GET
def thanks(request: HttpRequest, token: str) -> HttpResponse:
    link = get_public_link(token)
    return render(request, "surveys/thanks.html", {"link": link})
