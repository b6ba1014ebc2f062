"""Briefing pages: list and preparation, the briefing (page, team screen, PDF, Markdown),
commitments, and « Mon pouls ». Every fetch goes through the perimeter scoping."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from pouls.briefings import actions
from pouls.briefings.forms import (
    BriefingForm,
    CommitmentForm,
    CommitmentStatusForm,
    ScheduleForm,
)
from pouls.briefings.models import Briefing, BriefingSchedule, Commitment
from pouls.briefings.mypulse import get_my_pulse
from pouls.briefings.queries import list_briefings, list_commitments, perimeter_balance
from pouls.briefings.render import PdfUnavailable, render_markdown, render_pdf
from pouls.lib.http import AuthedRequest
from pouls.lib.scoping import get_for_user_or_404, may_act
from pouls.org.models import Perimeter


def _can_change(user: Any, perimeter: Perimeter) -> bool:
    """Whether the user runs this perimeter's briefings (managers, analysts, admins)."""
    return may_act(user, "run", perimeter.pk)


def _list_page(
    request: AuthedRequest, perimeter: Perimeter, form: BriefingForm, status: int = 200
) -> HttpResponse:
    context = {
        "perimeter": perimeter,
        "form": form,
        "briefings": list_briefings(request.user, perimeter),
        "balance": perimeter_balance(request.user, perimeter),
        "can_change": _can_change(request.user, perimeter),
        "subscribed": set(
            BriefingSchedule.objects.for_user(request.user)
            .filter(user=request.user, perimeter=perimeter, active=True)
            .values_list("period", flat=True)
        ),
        "periods": [("daily", _("quotidien")), ("weekly", _("hebdomadaire"))],
    }
    return render(request, "briefings/briefing_list.html", context, status=status)


@login_required
@require_GET
def briefing_list(request: AuthedRequest, code: str) -> HttpResponse:
    perimeter = get_for_user_or_404(Perimeter, request.user, code)
    return _list_page(request, perimeter, BriefingForm(user=request.user, perimeter=perimeter))


@login_required
@require_POST
def briefing_create(request: AuthedRequest, code: str) -> HttpResponse:
    perimeter = get_for_user_or_404(Perimeter, request.user, code, "run")
    form = BriefingForm(request.POST, user=request.user, perimeter=perimeter)
    if not form.is_valid():
        return _list_page(request, perimeter, form, status=400)
    briefing = actions.do_create_briefing(
        request.user,
        perimeter,
        form.cleaned_data["period"],
        form.cleaned_data["start"],
        form.hidden_sections(),
        author=request.user,
    )
    return redirect("briefings-briefing-detail", code=briefing.code)


def _detail_page(
    request: AuthedRequest, briefing: Briefing, form: CommitmentForm, status: int = 200
) -> HttpResponse:
    context = {
        "briefing": briefing,
        "snapshot": briefing.snapshot,
        "links": True,
        "commitments": list_commitments(request.user, briefing),
        "form": form,
        "statuses": Commitment.Status.choices,
        "can_change": _can_change(request.user, briefing.perimeter),
    }
    return render(request, "briefings/briefing_detail.html", context, status=status)


def _get_briefing(request: AuthedRequest, code: str, action: Any = "view") -> Briefing:
    briefing = get_for_user_or_404(Briefing, request.user, code, action)
    return briefing


@login_required
@require_GET
def briefing_detail(request: AuthedRequest, code: str) -> HttpResponse:
    briefing = _get_briefing(request, code)
    form = CommitmentForm(user=request.user, briefing=briefing)
    return _detail_page(request, briefing, form)


@login_required
@require_GET
def briefing_present(request: AuthedRequest, code: str) -> HttpResponse:
    briefing = _get_briefing(request, code)
    context = {"briefing": briefing, "snapshot": briefing.snapshot}
    return render(request, "briefings/briefing_present.html", context)


@login_required
@require_GET
def briefing_pdf(request: AuthedRequest, code: str) -> HttpResponse:
    briefing = _get_briefing(request, code)
    try:
        pdf = render_pdf(briefing.snapshot)
    except PdfUnavailable:
        message = _(
            "Le PDF ne peut pas être produit sur ce serveur : la bibliothèque WeasyPrint ou "
            "ses dépendances système (Pango) manquent. Demandez à l'administrateur de les "
            "installer ; en attendant, imprimez la page du point d'équipe depuis le navigateur."
        )
        return HttpResponse(message, status=503, content_type="text/plain; charset=utf-8")
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"point-equipe-{briefing.start:%Y-%m-%d}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@login_required
@require_GET
def briefing_markdown(request: AuthedRequest, code: str) -> HttpResponse:
    briefing = _get_briefing(request, code)
    return HttpResponse(
        render_markdown(briefing.snapshot), content_type="text/markdown; charset=utf-8"
    )


@login_required
@require_POST
def briefing_mark_presented(request: AuthedRequest, code: str) -> HttpResponse:
    briefing = _get_briefing(request, code, "run")
    actions.do_mark_presented(request.user, briefing)
    return redirect("briefings-briefing-detail", code=briefing.code)


@login_required
@require_POST
def commitment_create(request: AuthedRequest, code: str) -> HttpResponse:
    briefing = _get_briefing(request, code, "run")
    form = CommitmentForm(request.POST, user=request.user, briefing=briefing)
    if form.is_valid():
        try:
            actions.do_add_commitment(request.user, briefing, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("briefings-briefing-detail", code=briefing.code)
    return _detail_page(request, briefing, form, status=400)


@login_required
@require_POST
def commitment_update(request: AuthedRequest, code: str) -> HttpResponse:
    commitment = get_for_user_or_404(Commitment, request.user, code, "run")
    form = CommitmentStatusForm(request.POST)
    if not form.is_valid():
        return HttpResponse(
            " ".join(str(e) for e in form.errors["status"]),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    actions.do_update_commitment(request.user, commitment, form.cleaned_data["status"])
    return redirect("briefings-briefing-detail", code=commitment.briefing.code)


@login_required
@require_POST
def schedule_set(request: AuthedRequest, code: str) -> HttpResponse:
    perimeter = get_for_user_or_404(Perimeter, request.user, code)
    form = ScheduleForm(request.POST)
    if not form.is_valid():
        message = " ".join(str(e) for e in form.errors.get("period", []))
        return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
    active = form.cleaned_data["active"]
    actions.do_set_schedule(request.user, perimeter, form.cleaned_data["period"], active)
    if active and not request.user.email:
        messages.warning(request, _("Votre compte n'a pas d'adresse e-mail : rien ne sera envoyé."))
    else:
        messages.success(
            request,
            _("Vous recevrez ce point d'équipe par e-mail.")
            if active
            else _("Vous ne recevrez plus ce point d'équipe par e-mail."),
        )
    return redirect("briefings-briefing-list", code=perimeter.code)


@login_required
@require_GET
def my_pulse(request: AuthedRequest) -> HttpResponse:
    return render(request, "briefings/my_pulse.html", {"p": get_my_pulse(request.user)})
