"""« Droits des clients »: the admins' page for a customer's access and erasure requests."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from pouls.lib.audit import do_audit
from pouls.lib.exports import to_csv
from pouls.lib.http import AuthedRequest
from pouls.rights.forms import CustomerRightsForm


@login_required
@require_http_methods(["GET", "POST"])
def customer_rights(request: AuthedRequest) -> HttpResponse:
    """GDPR art. 15 and 17 for admins: find what Pouls holds about a customer in the admin's
    perimeters, export it or erase it. The identity travels by POST only (never in a URL,
    so never in an access log) and nothing of it is logged or audited."""
    from django.core.exceptions import PermissionDenied

    from pouls.lib.scoping import may_act_somewhere
    from pouls.rights import customers as rights

    if not may_act_somewhere(request.user, "admin"):
        raise PermissionDenied
    form = CustomerRightsForm(request.POST if request.method == "POST" else None)
    found = None
    if form.is_valid():
        identity = form.cleaned_data["identite"]
        action = form.cleaned_data["action"] or "chercher"
        if action == "effacer":
            if not form.cleaned_data["confirmer"]:
                form.add_error("confirmer", _("Cochez la case pour confirmer l’effacement."))
            else:
                erased = rights.do_erase_customer(request.user, identity)
                messages.success(
                    request,
                    _(
                        "Effacé : %(feedback)d retour(s), %(contacts)d coordonnée(s), "
                        "%(callbacks)d rappel(s), %(quarantine)d ligne(s) en quarantaine, "
                        "%(invitations)d invitation(s)."
                    )
                    % {
                        "feedback": erased.feedback,
                        "contacts": erased.contacts,
                        "callbacks": erased.callbacks,
                        "quarantine": erased.quarantine,
                        "invitations": erased.invitations,
                    },
                )
                return redirect("rights-customer-rights")
        found = rights.find_customer_data(request.user, identity)
        if action in ("json", "csv"):
            do_audit(
                request.user,
                "export.downloaded",
                target="client",
                detail={"kind": "customer", "format": action, "rows": found.total},
            )
            if action == "json":
                response = HttpResponse(
                    rights.export_json(found), content_type="application/json; charset=utf-8"
                )
            else:
                header, *lines = rights.export_csv_rows(found)
                response = HttpResponse(
                    to_csv(header, lines), content_type="text/csv; charset=utf-8"
                )
            response["Content-Disposition"] = f'attachment; filename="donnees-client.{action}"'
            return response
    return render(
        request,
        "rights/customer_rights.html",
        {"form": form, "found": found, "rows": rights.export_rows(found) if found else None},
    )
