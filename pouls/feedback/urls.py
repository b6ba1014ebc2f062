"""Pages of what comes in: imports, quarantine, exports, field reports (included by
pouls.web.urls: the leak test covers them)."""

from __future__ import annotations

from django.urls import path

from pouls.feedback import views

urlpatterns = [
    path("acces/import/", views.org_import, name="feedback-org-import"),
    path(
        "p/<uuid:code>/export.csv",
        views.feedback_export,
        {"fmt": "csv"},
        name="feedback-export-csv",
    ),
    path(
        "p/<uuid:code>/export.xlsx",
        views.feedback_export,
        {"fmt": "xlsx"},
        name="feedback-export-xlsx",
    ),
    path("remontee/", views.field_report_new, name="feedback-field-report-new"),
    path("imports/", views.import_list, name="feedback-import-list"),
    path("imports/nouveau/", views.import_upload, name="feedback-import-upload"),
    path("imports/<uuid:code>/colonnes/", views.import_mapping, name="feedback-import-mapping"),
    path("imports/<uuid:code>/", views.import_detail, name="feedback-import-detail"),
    path(
        "imports/<uuid:code>/retraiter/", views.import_reprocess, name="feedback-import-reprocess"
    ),
    path(
        "imports/<uuid:code>/quarantaine.csv",
        views.quarantine_export,
        name="feedback-quarantine-export",
    ),
    path(
        "imports/<uuid:code>/quarantaine.xlsx",
        views.quarantine_export,
        {"fmt": "xlsx"},
        name="feedback-quarantine-export-xlsx",
    ),
]
