"""Pages of the surveys app for signed-in people: surveys, their links and QR codes."""

from __future__ import annotations

import csv
import io

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pouls.lib.http import AuthedRequest
from pouls.lib.scoping import allowed_perimeter_ids, get_for_user_or_404
from pouls.org.models import Perimeter
from pouls.surveys.actions import do_create_invitations, do_create_survey, do_manage_survey
from pouls.surveys.forms import InvitationsForm, ManageForm, SurveyForm
from pouls.surveys.models import Survey, SurveyLink
from pouls.surveys.queries import get_survey_for_user_or_404, list_links, list_surveys


@login_required
@require_GET
def survey_list(request: AuthedRequest) -> HttpResponse:
    can_create = Perimeter.objects.for_user(request.user, "admin").exists()
    context = {
        "surveys": list_surveys(request.user),
        "can_create": can_create,
        # Answers open in the verbatim explorer of the survey's perimeter, when it is visible.
        "visible_ids": allowed_perimeter_ids(request.user),
    }
    return render(request, "surveys/survey_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def survey_new(request: AuthedRequest) -> HttpResponse:
    form = SurveyForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        survey = do_create_survey(request.user, form.save(commit=False))
        return redirect("surveys-survey-detail", code=survey.code)
    return render(request, "surveys/survey_form.html", {"form": form})


@login_required
@require_GET
def survey_detail(request: AuthedRequest, code: str) -> HttpResponse:
    survey = get_survey_for_user_or_404(request.user, code)
    links = list(list_links(request.user, survey))
    for link in links:
        link.public_url = public_url(request, link)  # type: ignore[attr-defined]
    context = {
        "survey": survey,
        "links": links,
        "invitations_form": InvitationsForm(),
        "can_manage": Perimeter.objects.for_user(request.user, "admin")
        .filter(pk=survey.perimeter_id)
        .exists(),
    }
    return render(request, "surveys/survey_detail.html", context)


@login_required
@require_POST
def survey_manage(request: AuthedRequest, code: str) -> HttpResponse:
    survey = get_for_user_or_404(Survey, request.user, code, "admin")
    form = ManageForm(request.POST)
    if not form.is_valid():
        # Plain text: the message quotes what was posted.
        message = " ".join(str(error) for error in form.errors["action"])
        return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
    created = do_manage_survey(request.user, survey, form.cleaned_data["action"])
    if form.cleaned_data["action"] == "liens":
        messages.success(request, _("Liens créés : %(n)d.") % {"n": created})
    return redirect("surveys-survey-detail", code=survey.code)


def public_url(request: AuthedRequest, link: SurveyLink) -> str:
    """The absolute URL the QR code encodes (host checked by ALLOWED_HOSTS)."""
    return request.build_absolute_uri(reverse("surveys-answer-form", args=[link.token]))


@login_required
@require_GET
def link_qr(request: AuthedRequest, code: str, fmt: str) -> HttpResponse:
    link = get_for_user_or_404(SurveyLink, request.user, code)
    qr = segno.make(public_url(request, link), error="m")
    buffer = io.BytesIO()
    if fmt == "svg":
        qr.save(buffer, kind="svg", scale=8, border=4, title=link.survey.title)
        content_type = "image/svg+xml"
    else:
        qr.save(buffer, kind="png", scale=10, border=4)
        content_type = "image/png"
    response = HttpResponse(buffer.getvalue(), content_type=content_type)
    name = f"qr-{link.perimeter.ref}{'-' + str(link.person_id) if link.person_id else ''}"
    response["Content-Disposition"] = f'inline; filename="{name}.{fmt}"'
    return response


@login_required
@require_POST
def link_invitations(request: AuthedRequest, code: str) -> HttpResponse:
    """Create single-use invitations on a link and download their URLs as CSV."""
    link = get_for_user_or_404(SurveyLink, request.user, code, "admin")
    form = InvitationsForm(request.POST)
    if not form.is_valid():
        survey = link.survey
        links = list(list_links(request.user, survey))
        for item in links:
            item.public_url = public_url(request, item)  # type: ignore[attr-defined]
        context = {"survey": survey, "links": links, "invitations_form": form, "bad_link": link}
        return render(request, "surveys/survey_detail.html", context, status=400)
    invitations = do_create_invitations(request.user, link, form.cleaned_data["nombre"])
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["lien"])
    base = public_url(request, link)
    writer.writerows([f"{base}?i={invitation.token}"] for invitation in invitations)
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="invitations-{link.code}.csv"'
    return response
