"""The shell's pages (home, dashboard, verbatims) and the inclusion of every app's pages."""

from __future__ import annotations

from django.urls import include, path

from pouls.web import views

urlpatterns = [
    path("", views.home, name="web-home-view"),
    path("p/<uuid:code>/", views.perimeter_dashboard, name="web-perimeter-dashboard"),
    path("p/<uuid:code>/tendance.json", views.perimeter_trend, name="web-perimeter-trend"),
    path("p/<uuid:code>/verbatims/", views.verbatim_list, name="web-verbatim-list"),
    path("p/<uuid:code>/verbatims/export.csv", views.verbatim_export, name="web-verbatim-export"),
    path("verbatim/<uuid:code>/", views.feedback_detail, name="web-feedback-detail"),
    path("verbatim/<uuid:code>/themes/", views.theme_correction, name="web-theme-correction"),
    path("", include("pouls.watch.urls")),
    path("", include("pouls.feedback.urls")),
    path("", include("pouls.rights.urls")),
    path("", include("pouls.annotations.urls")),
    path("", include("pouls.activity.urls")),
    path("", include("pouls.surveys.urls")),
    path("", include("pouls.callbacks.urls")),
    path("", include("pouls.briefings.urls")),
    path("", include("pouls.climate.urls")),
    path("", include("pouls.org.urls")),
]
