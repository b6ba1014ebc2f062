"""UI views: function views, each fetching through the perimeter scoping."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from pouls.annotations.corrections import TextThemes, do_correct_theme, text_themes
from pouls.callbacks.models import Callback
from pouls.feedback.models import Feedback
from pouls.feedback.queries import scoped_feedback
from pouls.lib.forms import PeriodForm
from pouls.lib.http import AuthedRequest
from pouls.lib.scoping import get_for_user_or_404, may_act
from pouls.org.models import Perimeter
from pouls.org.queries import list_breadcrumb, list_perimeters, list_subtree_ids
from pouls.rollups.queries import weekly_trend
from pouls.web.forms import ThemeCorrectionForm, VerbatimFilterForm
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
    themes = text_themes(request.user, [f.pk for f in page])
    context = {
        "perimeter": perimeter,
        "breadcrumb": list_breadcrumb(request.user, perimeter),
        "form": form,
        "page": page,
        "rows": [VerbatimRow(f, themes[f.pk], _can_correct(request.user, f)) for f in page],
        "can_export": may_act(request.user, "analyze", perimeter.pk),
    }
    return render(request, "web/verbatims.html", context)


@dataclass(frozen=True)
class VerbatimRow:
    feedback: Feedback
    themes: TextThemes
    can_correct: bool  # analyst or admin of the text's perimeter


def _can_correct(user: Any, feedback: Feedback) -> bool:
    return may_act(user, "analyze", feedback.perimeter_id)


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
        # Read through the scoping like everything else shown, not by following the relation.
        "callback": Callback.objects.for_user(request.user).filter(feedback=feedback).first(),
        "themes": text_themes(request.user, [feedback.pk])[feedback.pk],
        "can_correct": _can_correct(request.user, feedback),
    }
    return render(request, "web/feedback_detail.html", context)


@login_required
@require_POST
def theme_correction(request: AuthedRequest, code: str) -> HttpResponse:
    """An analyst's ✓ / ✗ on a theme of a text, or a theme added; back to the page."""
    feedback = get_for_user_or_404(Feedback, request.user, code, "analyze")
    form = ThemeCorrectionForm(request.POST)
    if not form.is_valid():
        message = " ".join(str(e) for errors in form.errors.values() for e in errors)
        return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
    do_correct_theme(
        request.user, feedback, form.cleaned_data["theme"], form.cleaned_data["present"]
    )
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(back)
    return redirect("web-feedback-detail", code=feedback.code)
