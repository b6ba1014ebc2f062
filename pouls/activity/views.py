"""Activity → results of a perimeter (or of one seller in it)."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from pouls.activity.results import chart_payload, get_activity
from pouls.lib.http import AuthedRequest
from pouls.lib.scoping import get_for_user_or_404
from pouls.org.models import Perimeter, Person
from pouls.org.queries import list_breadcrumb, list_subtree_ids


class SellerForm(forms.Form):
    vendeur = forms.UUIDField(label=gettext_lazy("Vendeur"), required=False)


def _seller(request: AuthedRequest, perimeter: Perimeter, form: SellerForm) -> Person | None:
    """The seller asked for, if valid and visible inside this perimeter."""
    if not form.is_valid() or not form.cleaned_data["vendeur"]:
        return None
    return (
        Person.objects.for_user(request.user)
        .filter(
            code=form.cleaned_data["vendeur"],
            perimeter_id__in=list_subtree_ids(request.user, perimeter),
        )
        .first()
    )


@login_required
@require_GET
def activity(request: AuthedRequest, code: str) -> HttpResponse:
    perimeter = get_for_user_or_404(Perimeter, request.user, code)
    form = SellerForm(request.GET)
    person = _seller(request, perimeter, form)
    notice = None
    if request.GET.get("vendeur") and person is None:
        notice = _("Vendeur inconnu dans ce périmètre : la page montre le périmètre entier.")
    page = get_activity(request.user, perimeter, timezone.localdate(), person)
    context = {
        "page": page,
        "notice": notice,
        "chart": chart_payload(page.series),
        "breadcrumb": list_breadcrumb(request.user, perimeter),
    }
    return render(request, "activity/results.html", context)
