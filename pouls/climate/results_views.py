"""Results views of a campaign for one perimeter (a ``ResultGroup``), all scoped and all
through the publication gate."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from pouls.climate.models import ResultGroup
from pouls.climate.report import export_rows, get_comments, get_customer_link, get_results
from pouls.lib.audit import do_audit
from pouls.lib.exports import to_csv
from pouls.lib.http import AuthedRequest
from pouls.lib.scoping import Action, get_for_user_or_404
from pouls.org.queries import list_breadcrumb


def _group(request: AuthedRequest, code: str, action: Action = "view") -> ResultGroup:
    return get_for_user_or_404(ResultGroup, request.user, code, action)


@login_required
@require_GET
def results(request: AuthedRequest, code: str) -> HttpResponse:
    group = _group(request, code)
    do_audit(request.user, "climate.viewed", perimeter=group.perimeter_id, target=str(group.code))
    context = {
        "page": get_results(request.user, group),
        "breadcrumb": list_breadcrumb(request.user, group.perimeter),
    }
    return render(request, "climate/results.html", context)


@login_required
@require_GET
def comments(request: AuthedRequest, code: str) -> HttpResponse:
    group = _group(request, code)
    return render(request, "climate/comments.html", {"page": get_comments(request.user, group)})


@login_required
@require_GET
def customers(request: AuthedRequest, code: str) -> HttpResponse:
    group = _group(request, code)
    since = timezone.localdate() - dt.timedelta(days=180)
    context = {
        "group": group,
        "lines": get_customer_link(request.user, group, since),
        "since": since,
    }
    return render(request, "climate/customers.html", context)


@login_required
@require_GET
def export(request: AuthedRequest, code: str) -> HttpResponse:
    group = _group(request, code, "analyze")
    header, *rows = export_rows(request.user, group)
    response = HttpResponse(to_csv(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="climat-{group.code}.csv"'
    do_audit(
        request.user,
        "export.downloaded",
        perimeter=group.perimeter_id,
        target=str(group.code),
        detail={"kind": "climate"},
    )
    return response
