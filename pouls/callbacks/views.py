"""Callback pages: a store's queue, one callback with its log form, the figures."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pouls.callbacks.actions import (
    can_log,
    do_assign_callbacks,
    do_create_followup,
    do_log_call,
)
from pouls.callbacks.forms import AssignForm, CallLogForm, PeriodForm, QueueFilterForm
from pouls.callbacks.models import Callback
from pouls.callbacks.queries import (
    get_contact,
    get_figures,
    list_callbacks,
    list_logs,
    time_left,
)
from pouls.lib.audit import do_audit
from pouls.lib.http import AuthedRequest
from pouls.lib.scoping import allowed_perimeter_ids, get_for_user_or_404
from pouls.org.models import Perimeter
from pouls.org.queries import list_breadcrumb, list_subtree_ids


@login_required
@require_GET
def callback_queue(request: AuthedRequest, code: str) -> HttpResponse:
    """The queue one works: filters, order, pages of 25, SLA as time left, bulk assignment."""
    perimeter = get_for_user_or_404(Perimeter, request.user, code)
    form = QueueFilterForm(request.GET, user=request.user, perimeter=perimeter)
    data = form.cleaned_data if form.is_valid() else {}
    ids = list_subtree_ids(request.user, data.get("perimetre") or perimeter)
    now = timezone.now()
    page = Paginator(list_callbacks(request.user, ids, data, now), 25).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "perimeter": perimeter,
        "breadcrumb": list_breadcrumb(request.user, perimeter),
        "form": form,
        "page": page,
        "rows": [(c, time_left(c.due_at, now)) for c in page],
        "query": query.urlencode(),
        "can_assign": bool(allowed_perimeter_ids(request.user, "run") & set(ids))
        or request.user.is_superuser,
        "assign": AssignForm(None, user=request.user, perimeter=perimeter),
        "now": now,
    }
    return render(request, "callbacks/queue.html", context)


@login_required
@require_POST
def callback_assign(request: AuthedRequest, code: str) -> HttpResponse:
    """Bulk « prise en charge » of the ticked callbacks, then back to the same queue view."""
    perimeter = get_for_user_or_404(Perimeter, request.user, code)
    form = AssignForm(request.POST, user=request.user, perimeter=perimeter)
    if not form.is_valid():
        errors = " ".join(str(e) for errors in form.errors.values() for e in errors)
        messages.error(request, errors)
    else:
        data = form.cleaned_data
        done = do_assign_callbacks(request.user, list(data["rappels"]), data["personne"])
        messages.success(
            request,
            ngettext(
                "%(n)d rappel attribué à %(person)s.", "%(n)d rappels attribués à %(person)s.", done
            )
            % {"n": done, "person": data["personne"]},
        )
    back = reverse("callbacks-callback-queue", args=[perimeter.code])
    query = request.POST.get("query", "")
    return redirect(f"{back}?{query}" if query else back)


@login_required
@require_http_methods(["GET", "POST"])
def callback_detail(request: AuthedRequest, code: str) -> HttpResponse:
    callback = get_for_user_or_404(Callback, request.user, code)
    form = CallLogForm(request.POST or None)
    if request.method == "POST":
        if not can_log(request.user, callback):
            return HttpResponse(_("Vous ne pouvez pas enregistrer d’appel ici."), status=403)
        if form.is_valid():
            return _log(request, callback, form)
    contact = get_contact(request.user, callback)
    if contact is not None:
        # The code of the callback only: the trail never holds the customer's details.
        do_audit(
            request.user, "contact.read", perimeter=callback.perimeter_id, target=str(callback.code)
        )
    context = {
        "callback": callback,
        "feedback": callback.feedback,
        "breadcrumb": list_breadcrumb(request.user, callback.perimeter),
        "logs": list_logs(request.user, callback),
        "contact": contact,
        "can_log": can_log(request.user, callback),
        "form": form,
        "now": timezone.now(),
    }
    return render(request, "callbacks/detail.html", context, status=400 if form.is_bound else 200)


def _log(request: AuthedRequest, callback: Callback, form: CallLogForm) -> HttpResponse:
    data = form.cleaned_data
    do_log_call(request.user, callback, outcome=data["issue"], note=data["note"])
    messages.success(request, _("Appel enregistré."))
    if data["suivi"]:
        invitation = do_create_followup(request.user, callback)
        if invitation is None:
            messages.warning(
                request, _("Aucune enquête ouverte pour ce magasin : pas de lien de suivi.")
            )
        else:
            url = request.build_absolute_uri(
                reverse("surveys-answer-form", args=[invitation.link.token])
            )
            messages.info(
                request,
                _("Lien de suivi à envoyer au client : %(url)s")
                % {"url": f"{url}?i={invitation.token}"},
            )
    return redirect("callbacks-callback-detail", code=callback.code)


@login_required
@require_GET
def callback_figures(request: AuthedRequest, code: str) -> HttpResponse:
    perimeter = get_for_user_or_404(Perimeter, request.user, code)
    form = PeriodForm(request.GET or None)
    since = timezone.now() - dt.timedelta(days=form.days())
    context = {
        "perimeter": perimeter,
        "breadcrumb": list_breadcrumb(request.user, perimeter),
        "form": form,
        "f": get_figures(request.user, list_subtree_ids(request.user, perimeter), since),
    }
    return render(request, "callbacks/figures.html", context)
