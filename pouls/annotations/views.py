"""Key drivers of the recommendation for a perimeter."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from pouls.annotations.drivers import get_drivers
from pouls.lib.forms import PeriodForm
from pouls.lib.http import AuthedRequest
from pouls.lib.scoping import get_for_user_or_404
from pouls.org.models import Perimeter
from pouls.org.queries import list_breadcrumb


@login_required
@require_GET
def drivers(request: AuthedRequest, code: str) -> HttpResponse:
    perimeter = get_for_user_or_404(Perimeter, request.user, code)
    form = PeriodForm(request.GET or {"periode": "365"})
    context = {
        "page": get_drivers(request.user, perimeter, form.since()),
        "form": form,
        "breadcrumb": list_breadcrumb(request.user, perimeter),
    }
    return render(request, "annotations/drivers.html", context)
