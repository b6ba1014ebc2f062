"""« Mes jetons d'API »: each person creates and revokes their own tokens (a token acts with
its owner's perimeters and roles, so it needs no scoping of its own beyond its owner).
« Webhooks »: an admin registers, disables and watches the endpoints of their perimeters."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pouls.api.models import ApiToken, WebhookEndpoint
from pouls.api.tokens import do_create_token, do_revoke_token
from pouls.api.webhooks import check_url, do_create_endpoint, do_disable_endpoint
from pouls.lib.http import AuthedRequest
from pouls.lib.scoping import get_for_user_or_404
from pouls.org.models import Perimeter


class TokenForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Nom (à quoi sert-il ?)"), max_length=100)
    read_only = forms.BooleanField(
        label=gettext_lazy("Lecture seule (ne peut rien écrire)"), required=False, initial=True
    )
    days = forms.IntegerField(
        label=gettext_lazy("Valable (jours)"), min_value=1, max_value=730, initial=365
    )


@login_required
@require_http_methods(["GET", "POST"])
def token_list(request: AuthedRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        _token, created = do_create_token(
            request.user,
            name=form.cleaned_data["name"],
            read_only=form.cleaned_data["read_only"],
            lifetime=dt.timedelta(days=form.cleaned_data["days"]),
        )
        form = TokenForm()
    tokens = ApiToken.objects.filter(user=request.user).order_by("-created_at")
    context = {"tokens": tokens, "form": form, "created": created}
    return render(request, "api/tokens.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def token_revoke(request: AuthedRequest, code: str) -> HttpResponse:
    # Only the owner's own tokens: anyone else's is a 404 (its existence is not revealed).
    token = get_object_or_404(ApiToken, user=request.user, code=code)
    do_revoke_token(token)
    messages.success(request, _("Jeton « %(name)s » révoqué.") % {"name": token.name})
    return redirect("api-token-list")


class WebhookForm(forms.Form):
    perimeter = forms.ModelChoiceField(
        label=gettext_lazy("Périmètre"), queryset=Perimeter.objects.none()
    )
    url = forms.URLField(
        label=gettext_lazy("Adresse (https://…)"), max_length=500, assume_scheme="https"
    )
    events = forms.MultipleChoiceField(
        label=gettext_lazy("Événements"),
        choices=WebhookEndpoint.Event.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, user: object, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["perimeter"]
        assert isinstance(field, forms.ModelChoiceField)
        # Only the perimeters where this person is an administrator.
        field.queryset = Perimeter.objects.for_user(user, "admin")

    def clean_url(self) -> str:
        return check_url(self.cleaned_data["url"])


@login_required
@require_http_methods(["GET", "POST"])
def webhook_list(request: AuthedRequest) -> HttpResponse:
    """« Webhooks »: the endpoints of the perimeters where the person is admin."""
    form = WebhookForm(request.user, request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        _endpoint, created = do_create_endpoint(
            request.user,
            form.cleaned_data["perimeter"],
            url=form.cleaned_data["url"],
            events=form.cleaned_data["events"],
        )
        form = WebhookForm(request.user)
    endpoints = (
        WebhookEndpoint.objects.for_user(request.user, "admin")
        .select_related("perimeter")
        .order_by("perimeter__path", "-created_at")
    )
    context = {"endpoints": endpoints, "form": form, "created": created}
    return render(request, "api/webhooks.html", context, status=400 if form.errors else 200)


@login_required
@require_GET
def webhook_detail(request: AuthedRequest, code: str) -> HttpResponse:
    """The delivery log of one endpoint (status, attempts, error code; no payload secret)."""
    endpoint = get_for_user_or_404(WebhookEndpoint, request.user, code, "admin")
    deliveries = endpoint.deliveries.order_by("-created_at", "-pk")[:100]
    return render(
        request, "api/webhook_detail.html", {"endpoint": endpoint, "deliveries": deliveries}
    )


@login_required
@require_POST
def webhook_disable(request: AuthedRequest, code: str) -> HttpResponse:
    endpoint = get_for_user_or_404(WebhookEndpoint, request.user, code, "admin")
    do_disable_endpoint(request.user, endpoint)
    messages.success(request, _("Webhook désactivé : plus aucun envoi vers cette adresse."))
    return redirect("api-webhook-list")
