"""UI views: function views, each fetching through the perimeter scoping."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from pouls.annotations.corrections import (
    TextThemes,
    do_correct_theme,
    text_themes,
    theme_choices,
)
from pouls.callbacks.models import Callback
from pouls.feedback.models import Feedback
from pouls.lib.exports import FEEDBACK_HEADER, feedback_rows, to_csv
from pouls.lib.forms import PeriodForm
from pouls.lib.http import AuthedRequest
from pouls.lib.scoping import get_for_user_or_404, may_act
from pouls.org.models import Perimeter
from pouls.org.queries import list_breadcrumb, list_perimeters
from pouls.web.forms import ThemeCorrectionForm, VerbatimFilterForm
from pouls.web.queries import get_dashboard, get_trend, list_home_rows, list_verbatims


@login_required
@require_GET
def home(request: AuthedRequest) -> HttpResponse:
    window = PeriodForm(default="90").window()
    rows = list_home_rows(request.user, list_perimeters(request.user), window)
    return render(request, "web/home.html", {"rows": rows})


@login_required
@require_GET
def perimeter_dashboard(request: AuthedRequest, code: str) -> HttpResponse:
    perimeter = get_for_user_or_404(Perimeter, request.user, code)
    form = PeriodForm(request.GET or None, default="90")
    dashboard = get_dashboard(request.user, perimeter, form.window())
    return render(request, "web/dashboard.html", {"d": dashboard, "form": form})


@login_required
@require_GET
def perimeter_trend(request: AuthedRequest, code: str) -> JsonResponse:
    perimeter = get_for_user_or_404(Perimeter, request.user, code)
    window = PeriodForm(request.GET or None, default="90").window()
    return JsonResponse(get_trend(request.user, perimeter, window, timezone.localdate()))


@login_required
@require_GET
def verbatim_list(request: AuthedRequest, code: str) -> HttpResponse:
    """The verbatim explorer: filters, French full-text search, pages of 25, export."""
    perimeter = get_for_user_or_404(Perimeter, request.user, code)
    form, period, qs = _explore(request, perimeter)
    page = Paginator(qs.select_related("perimeter", "person", "annotation"), 25).get_page(
        request.GET.get("page")
    )
    themes = text_themes(request.user, [f.pk for f in page])
    query = request.GET.copy()
    query.pop("page", None)
    rows = [VerbatimRow(f, themes[f.pk], _can_correct(request.user, f)) for f in page]
    context = {
        "perimeter": perimeter,
        "breadcrumb": list_breadcrumb(request.user, perimeter),
        "form": form,
        "period": period,
        "window": period.window(),
        "page": page,
        "query": query.urlencode(),
        "rows": rows,
        "theme_labels": [label for _, label in theme_choices()],
        "can_correct_any": any(row.can_correct for row in rows),
        "can_export": may_act(request.user, "analyze", perimeter.pk),
    }
    return render(request, "web/verbatims.html", context)


@login_required
@require_GET
def verbatim_export(request: AuthedRequest, code: str) -> HttpResponse:
    """The explorer's filtered list as CSV (pseudonymised texts), for analysts and admins."""
    perimeter = get_for_user_or_404(Perimeter, request.user, code, "analyze")
    qs = _explore(request, perimeter)[2].select_related("perimeter")[:EXPORT_LIMIT]
    body = to_csv(FEEDBACK_HEADER, feedback_rows(qs.iterator(chunk_size=2000)))
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    name = f"pouls-verbatims-{perimeter.ref}-{timezone.localdate():%Y%m%d}"
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


# Same bound as the perimeter's full export (feedback.views): one file stays openable.
EXPORT_LIMIT = 200_000


@dataclass(frozen=True)
class VerbatimRow:
    feedback: Feedback
    themes: TextThemes
    can_correct: bool  # analyst or admin of the text's perimeter


def _can_correct(user: Any, feedback: Feedback) -> bool:
    return may_act(user, "analyze", feedback.perimeter_id)


def _explore(
    request: AuthedRequest, perimeter: Perimeter
) -> tuple[VerbatimFilterForm, PeriodForm, QuerySet[Feedback]]:
    form = VerbatimFilterForm(request.GET, user=request.user, perimeter=perimeter)
    period = PeriodForm(request.GET or None, default="all")
    data = form.cleaned_data if form.is_valid() else {}
    return form, period, list_verbatims(request.user, perimeter, data, period.window())


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
        "theme_labels": [label for _, label in theme_choices()],
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
