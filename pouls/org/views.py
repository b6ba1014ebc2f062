"""« Personnes et accès »: an admin manages, within their perimeters, the logins (invite,
re-send, deactivate), their grants, their link to a seller record, the perimeter tree and
reads the audit trail. Every fetch goes through the scoping with the ``admin`` action."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pouls.lib.exports import to_csv
from pouls.lib.http import AuthedRequest
from pouls.lib.scoping import get_for_user_or_404, may_act_somewhere
from pouls.org import actions
from pouls.org.audit import filter_events
from pouls.org.forms import (
    AuditFilterForm,
    GrantForm,
    GrantRemoveForm,
    InviteForm,
    LinkForm,
    NewPerimeterForm,
    PerimeterForm,
)
from pouls.org.models import Account, Perimeter
from pouls.org.queries import (
    get_linked_person,
    list_access_tree,
    list_account_grants,
    list_accounts,
    list_visible_tree,
)


def _require_some_admin(request: AuthedRequest) -> None:
    if not may_act_somewhere(request.user, "admin"):
        raise PermissionDenied


def _errors(form: Any) -> str:
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


@login_required
@require_GET
def access_home(request: AuthedRequest) -> HttpResponse:
    _require_some_admin(request)
    context = {"rows": list_access_tree(request.user), "accounts": list_accounts(request.user)}
    return render(request, "org/access.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def account_invite(request: AuthedRequest) -> HttpResponse:
    _require_some_admin(request)
    form = InviteForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            account = actions.do_invite_user(
                request.user, absolute=request.build_absolute_uri, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error("email", exc)
        else:
            messages.success(
                request, _("Invitation envoyée à %(email)s.") % {"email": account.user.email}
            )
            return redirect("org-account-detail", code=account.code)
    status = 400 if form.is_bound else 200
    return render(request, "org/invite.html", {"form": form}, status=status)


def _account_page(
    request: AuthedRequest, account: Account, status: int = 200, **forms: Any
) -> HttpResponse:
    context = {
        "account": account,
        "grants": list_account_grants(request.user, account),
        "visible": list_visible_tree(request.user, account),
        "person": get_linked_person(request.user, account),
        "grant_form": forms.get("grant_form") or GrantForm(user=request.user),
        "link_form": forms.get("link_form")
        or LinkForm(
            user=request.user,
            account_user_id=account.user_id,
            initial={"person": get_linked_person(request.user, account)},
        ),
    }
    return render(request, "org/account.html", context, status=status)


def _get_account(request: AuthedRequest, code: str) -> Account:
    return get_for_user_or_404(Account, request.user, code, "admin")


@login_required
@require_GET
def account_detail(request: AuthedRequest, code: str) -> HttpResponse:
    return _account_page(request, _get_account(request, code))


@login_required
@require_POST
def account_grant(request: AuthedRequest, code: str) -> HttpResponse:
    account = _get_account(request, code)
    form = GrantForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            actions.do_set_grant(request.user, account, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Droit enregistré."))
            return redirect("org-account-detail", code=account.code)
    return _account_page(request, account, 400, grant_form=form)


@login_required
@require_POST
def account_grant_remove(request: AuthedRequest, code: str) -> HttpResponse:
    account = _get_account(request, code)
    form = GrantRemoveForm(request.POST, user=request.user, account_user_id=account.user_id)
    if not form.is_valid():
        return HttpResponse(_errors(form), status=400, content_type="text/plain; charset=utf-8")
    try:
        actions.do_remove_grant(request.user, form.cleaned_data["grant"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Droit retiré."))
    return redirect("org-account-detail", code=account.code)


@login_required
@require_POST
def account_link(request: AuthedRequest, code: str) -> HttpResponse:
    account = _get_account(request, code)
    form = LinkForm(request.POST, user=request.user, account_user_id=account.user_id)
    if form.is_valid():
        try:
            actions.do_link_person(request.user, account, form.cleaned_data["person"])
        except ValidationError as exc:
            form.add_error("person", exc)
        else:
            messages.success(request, _("Fiche reliée enregistrée."))
            return redirect("org-account-detail", code=account.code)
    return _account_page(request, account, 400, link_form=form)


@login_required
@require_POST
def account_active(request: AuthedRequest, code: str) -> HttpResponse:
    account = _get_account(request, code)
    active = request.POST.get("active") == "1"
    try:
        actions.do_set_active(request.user, account, active)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Compte réactivé.") if active else _("Compte désactivé."))
    return redirect("org-account-detail", code=account.code)


@login_required
@require_POST
def account_resend(request: AuthedRequest, code: str) -> HttpResponse:
    account = _get_account(request, code)
    actions.do_resend_invitation(request.user, account, request.build_absolute_uri)
    messages.success(request, _("Invitation renvoyée à %(email)s.") % {"email": account.user.email})
    return redirect("org-account-detail", code=account.code)


@login_required
@require_http_methods(["GET", "POST"])
def perimeter_new(request: AuthedRequest) -> HttpResponse:
    _require_some_admin(request)
    form = NewPerimeterForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        perimeter = actions.do_create_perimeter(request.user, **form.cleaned_data)
        messages.success(request, _("Périmètre « %(name)s » créé.") % {"name": perimeter.name})
        return redirect("org-access-home")
    status = 400 if form.is_bound else 200
    return render(request, "org/perimeter_form.html", {"form": form, "new": True}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def perimeter_edit(request: AuthedRequest, code: str) -> HttpResponse:
    perimeter = get_for_user_or_404(Perimeter, request.user, code, "admin")
    initial = {"name": perimeter.name, "parent": perimeter.parent}
    form = PerimeterForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_change_perimeter(request.user, perimeter, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error("parent", exc)
        else:
            messages.success(request, _("Périmètre enregistré."))
            return redirect("org-access-home")
    context = {"form": form, "perimeter": perimeter, "new": False}
    status = 400 if form.is_bound else 200
    return render(request, "org/perimeter_form.html", context, status=status)


@login_required
@require_POST
def perimeter_close(request: AuthedRequest, code: str) -> HttpResponse:
    perimeter = get_for_user_or_404(Perimeter, request.user, code, "admin")
    try:
        actions.do_close_perimeter(request.user, perimeter)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Périmètre « %(name)s » fermé.") % {"name": perimeter.name})
    return redirect("org-access-home")


@login_required
@require_GET
def audit_list(request: AuthedRequest) -> HttpResponse:
    _require_some_admin(request)
    form = AuditFilterForm(request.GET or None)
    events = filter_events(request.user, form.cleaned_data if form.is_valid() else {})
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    return render(request, "org/audit.html", context)


@login_required
@require_GET
def audit_export(request: AuthedRequest) -> HttpResponse:
    _require_some_admin(request)
    form = AuditFilterForm(request.GET or None)
    events = filter_events(request.user, form.cleaned_data if form.is_valid() else {})
    header = ["date", "qui", "action", "périmètre", "cible", "détail"]
    rows = (
        [
            e.at.isoformat(),
            e.actor_name,
            e.get_action_display(),
            e.perimeter.name if e.perimeter else "",
            e.target,
            json.dumps(e.detail, ensure_ascii=False),
        ]
        for e in events.iterator(chunk_size=2000)
    )
    actions.do_audit_export(request.user)
    response = HttpResponse(to_csv(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="journal-audit.csv"'
    return response
