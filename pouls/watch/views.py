"""Watch pages: « Quoi de neuf ? » (the reader's daily feed, digest subscription), one weak
signal (trend, spread, evidence) and a perimeter's signals with Yoon's emergence maps."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

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
from pouls.watch.models import DigestSubscription, ThemeSignal
from pouls.watch.queries import whats_new

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
    return render(request, "watch/signal_detail.html", context)


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
    return render(request, "watch/perimeter_signals.html", context)


@login_required
@require_GET
def feed(request: AuthedRequest) -> HttpResponse:
    subscription = DigestSubscription.objects.filter(user=request.user).first()
    context = {
        "feed": whats_new(request.user),
        "subscribed": bool(subscription and subscription.daily),
    }
    return render(request, "watch/feed.html", context)


@login_required
@require_POST
def digest_subscription(request: AuthedRequest) -> HttpResponseRedirect:
    daily = request.POST.get("daily") == "1"
    DigestSubscription.objects.update_or_create(user=request.user, defaults={"daily": daily})
    messages.success(
        request,
        _("Vous recevrez « Quoi de neuf ? » chaque matin.")
        if daily
        else _("Vous ne recevrez plus « Quoi de neuf ? » par e-mail."),
    )
    return HttpResponseRedirect(reverse("watch-feed"))
