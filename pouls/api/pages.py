"""« Mes jetons d'API »: each person creates and revokes their own tokens (a token acts with
its owner's perimeters and roles, so it needs no scoping of its own beyond its owner)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from pouls.api.models import ApiToken
from pouls.api.tokens import do_create_token, do_revoke_token
from pouls.lib.http import AuthedRequest


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
