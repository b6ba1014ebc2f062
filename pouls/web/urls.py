from __future__ import annotations

from django.urls import include, path

from pouls.web import feed, imports, views

urlpatterns = [
    path("", views.home, name="web-home-view"),
    path("quoi-de-neuf/", feed.feed, name="web-feed"),
    path("quoi-de-neuf/abonnement/", feed.digest_subscription, name="web-digest-subscription"),
    path("p/<uuid:code>/", views.perimeter_dashboard, name="web-perimeter-dashboard"),
    path("p/<uuid:code>/tendance.json", views.perimeter_trend, name="web-perimeter-trend"),
    path("p/<uuid:code>/verbatims/", views.verbatim_list, name="web-verbatim-list"),
    path("verbatim/<uuid:code>/", views.feedback_detail, name="web-feedback-detail"),
    path("verbatim/<uuid:code>/themes/", views.theme_correction, name="web-theme-correction"),
    path("", include("pouls.web.insights_urls")),
    path("", include("pouls.surveys.urls")),
    path("", include("pouls.callbacks.urls")),
    path("", include("pouls.briefings.urls")),
    path("", include("pouls.climate.urls")),
    path("", include("pouls.web.signals_urls")),
    path(
        "p/<uuid:code>/export.csv",
        imports.feedback_export,
        {"fmt": "csv"},
        name="web-feedback-export-csv",
    ),
    path(
        "p/<uuid:code>/export.xlsx",
        imports.feedback_export,
        {"fmt": "xlsx"},
        name="web-feedback-export-xlsx",
    ),
    path("remontee/", imports.field_report_new, name="web-field-report-new"),
    path("imports/", imports.import_list, name="web-import-list"),
    path("imports/nouveau/", imports.import_upload, name="web-import-upload"),
    path("imports/<uuid:code>/colonnes/", imports.import_mapping, name="web-import-mapping"),
    path("imports/<uuid:code>/", imports.import_detail, name="web-import-detail"),
    path("imports/<uuid:code>/retraiter/", imports.import_reprocess, name="web-import-reprocess"),
    path(
        "imports/<uuid:code>/quarantaine.csv",
        imports.quarantine_export,
        name="web-quarantine-export",
    ),
    path(
        "imports/<uuid:code>/quarantaine.xlsx",
        imports.quarantine_export,
        {"fmt": "xlsx"},
        name="web-quarantine-export-xlsx",
    ),
]
