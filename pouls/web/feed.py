"""« Quoi de neuf ? »: the reader's daily feed, and the digest subscription."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from pouls.lib.http import AuthedRequest
from pouls.watch.models import DigestSubscription
from pouls.watch.queries import whats_new


@login_required
@require_GET
def feed(request: AuthedRequest) -> HttpResponse:
    subscription = DigestSubscription.objects.filter(user=request.user).first()
    context = {
        "feed": whats_new(request.user),
        "subscribed": bool(subscription and subscription.daily),
    }
    return render(request, "web/feed.html", context)


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
    return HttpResponseRedirect(reverse("web-feed"))
