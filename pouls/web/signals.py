"""Weak-signal pages: one signal (trend, spread, evidence) and a perimeter's signals with
Yoon's emergence maps of its complaint themes."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from pouls.annotations.services import theme_labels
from pouls.lib.http import AuthedRequest
from pouls.lib.scoping import get_for_user_or_404
from pouls.org.models import Perimeter
from pouls.org.queries import list_breadcrumb
from pouls.watch.evidence import (
    get_emergence_map,
    get_signal_page,
    list_candidates,
    list_perimeter_signals,
)
from pouls.watch.models import ThemeSignal

LISTED_WEEKS = 26
CANDIDATE_WEEKS = 4


@login_required
@require_GET
def signal_detail(request: AuthedRequest, code: str) -> HttpResponse:
    signal = get_for_user_or_404(ThemeSignal, request.user, code)
    page = get_signal_page(request.user, signal)
    context = {
        "page": page,
        "chart": page.chart(),
        "breadcrumb": list_breadcrumb(request.user, signal.perimeter),
    }
    return render(request, "web/signal_detail.html", context)


@login_required
@require_GET
def perimeter_signals(request: AuthedRequest, code: str) -> HttpResponse:
    perimeter = get_for_user_or_404(Perimeter, request.user, code)
    today = timezone.localdate()
    since = today - dt.timedelta(weeks=LISTED_WEEKS)
    emergence = get_emergence_map(request.user, perimeter, today)
    labels = theme_labels()
    context = {
        "perimeter": perimeter,
        "signals": [
            (s, labels.get(s.theme, s.theme))
            for s in list_perimeter_signals(request.user, perimeter, since)
        ],
        "candidates": list_candidates(
            request.user, perimeter, today - dt.timedelta(weeks=CANDIDATE_WEEKS)
        ),
        "map": emergence,
        "chart": emergence.chart(),
        "breadcrumb": list_breadcrumb(request.user, perimeter),
    }
    return render(request, "web/perimeter_signals.html", context)
