"""« Personnes et accès » pages (included by pouls/web/urls.py)."""

from __future__ import annotations

from django.urls import path

from pouls.org import views

urlpatterns = [
    path("acces/", views.access_home, name="org-access-home"),
    path("acces/inviter/", views.account_invite, name="org-account-invite"),
    path("acces/comptes/<uuid:code>/", views.account_detail, name="org-account-detail"),
    path("acces/comptes/<uuid:code>/droit/", views.account_grant, name="org-account-grant"),
    path(
        "acces/comptes/<uuid:code>/droit/retirer/",
        views.account_grant_remove,
        name="org-account-grant-remove",
    ),
    path("acces/comptes/<uuid:code>/fiche/", views.account_link, name="org-account-link"),
    path("acces/comptes/<uuid:code>/actif/", views.account_active, name="org-account-active"),
    path("acces/comptes/<uuid:code>/renvoyer/", views.account_resend, name="org-account-resend"),
    path("acces/perimetres/nouveau/", views.perimeter_new, name="org-perimeter-new"),
    path("acces/perimetres/<uuid:code>/", views.perimeter_edit, name="org-perimeter-edit"),
    path("acces/perimetres/<uuid:code>/fermer/", views.perimeter_close, name="org-perimeter-close"),
    path("acces/journal/", views.audit_list, name="org-audit-list"),
    path("acces/journal.csv", views.audit_export, name="org-audit-export"),
]
