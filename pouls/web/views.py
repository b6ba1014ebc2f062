"""UI views: function views, each fetching through the perimeter scoping."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from pouls.feedback.models import Feedback
from pouls.feedback.queries import scoped_feedback
from pouls.lib.http import AuthedRequest
from pouls.lib.scoping import allowed_perimeter_ids, get_for_user_or_404
from pouls.org.models import Perimeter
from pouls.org.queries import list_breadcrumb, list_perimeters, list_subtree_ids
from pouls.rollups.queries import weekly_trend
from pouls.web.forms import PeriodForm, VerbatimFilterForm
from pouls.web.queries import get_dashboard, list_home_rows, trend_payload


@login_required
@require_GET
def home(request: AuthedRequest) -> HttpResponse:
    form = PeriodForm({"periode": "90"})
    rows = list_home_rows(request.user, list_perimeters(request.user), form.since())
    return render(request, "web/home.html", {"rows": rows})


@login_required
@require_GET
def perimeter_dashboard(request: AuthedRequest, code: str) -> HttpResponse:
    perimeter = get_for_user_or_404(Perimeter, request.user, code)
    form = PeriodForm(request.GET or {"periode": "90"})
    dashboard = get_dashboard(request.user, perimeter, form.since())
    return render(request, "web/dashboard.html", {"d": dashboard, "form": form})


@login_required
@require_GET
def perimeter_trend(request: AuthedRequest, code: str) -> JsonResponse:
    perimeter = get_for_user_or_404(Perimeter, request.user, code)
    return JsonResponse(trend_payload(weekly_trend(request.user, perimeter.pk)))


@login_required
@require_GET
def verbatim_list(request: AuthedRequest, code: str) -> HttpResponse:
    perimeter = get_for_user_or_404(Perimeter, request.user, code)
    form = VerbatimFilterForm(request.GET)
    qs = scoped_feedback(request.user, list_subtree_ids(request.user, perimeter)).exclude(text="")
    if form.is_valid():
        qs = _filter_verbatims(qs, form.cleaned_data)
    page = Paginator(qs.select_related("perimeter").order_by("-received_at"), 25).get_page(
        request.GET.get("page")
    )
    context = {
        "perimeter": perimeter,
        "breadcrumb": list_breadcrumb(request.user, perimeter),
        "form": form,
        "page": page,
        "can_export": perimeter.pk in allowed_perimeter_ids(request.user, "analyze")
        or request.user.is_superuser,
    }
    return render(request, "web/verbatims.html", context)


def _filter_verbatims(qs: QuerySet[Feedback], data: dict[str, str]) -> QuerySet[Feedback]:
    ranges = {"detractor": (0, 6), "passive": (7, 8), "promoter": (9, 10)}
    if data.get("categorie") in ranges:
        low, high = ranges[data["categorie"]]
        qs = qs.filter(nps__gte=low, nps__lte=high)
    if data.get("q"):
        qs = qs.filter(text__icontains=data["q"])
    return qs


@login_required
@require_GET
def feedback_detail(request: AuthedRequest, code: str) -> HttpResponse:
    feedback = get_for_user_or_404(Feedback, request.user, code)
    context = {
        "feedback": feedback,
        "breadcrumb": list_breadcrumb(request.user, feedback.perimeter),
    }
    return render(request, "web/feedback_detail.html", context)
