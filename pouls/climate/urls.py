from __future__ import annotations

from django.urls import path

from pouls.climate import results_views, views

urlpatterns = [
    path("climat/", views.campaign_list, name="climate-campaign-list"),
    path("climat/nouvelle/", views.campaign_new, name="climate-campaign-new"),
    path("climat/<uuid:code>/", views.campaign_detail, name="climate-campaign-detail"),
    path("climat/<uuid:code>/apercu/", views.campaign_preview, name="climate-campaign-preview"),
    path("climat/<uuid:code>/lancer/", views.campaign_launch, name="climate-campaign-launch"),
    path("climat/<uuid:code>/inviter/", views.campaign_invite, name="climate-campaign-invite"),
    path(
        "climat/distribuer/<uuid:code>/inviter-adresses/",
        views.campaign_invite_emails,
        name="climate-campaign-invite-emails",
    ),
    path("climat/<uuid:code>/relancer/", views.campaign_remind, name="climate-campaign-remind"),
    path("climat/<uuid:code>/cloturer/", views.campaign_close, name="climate-campaign-close"),
    path(
        "climat/<uuid:code>/distributeur/",
        views.campaign_distributor,
        name="climate-campaign-distributor",
    ),
    path("climat/distribuer/<uuid:code>/", views.distribution, name="climate-distribution"),
    path(
        "climat/distribuer/<uuid:code>/liens/", views.campaign_print, name="climate-campaign-print"
    ),
    path("climat/resultats/<uuid:code>/", results_views.results, name="climate-results"),
    path(
        "climat/resultats/<uuid:code>/commentaires/",
        results_views.comments,
        name="climate-results-comments",
    ),
    path(
        "climat/resultats/<uuid:code>/clients/",
        results_views.customers,
        name="climate-results-customers",
    ),
    path(
        "climat/resultats/<uuid:code>/export.csv",
        results_views.export,
        name="climate-results-export",
    ),
]
