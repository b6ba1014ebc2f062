"""``/api/v1/``: the resources, the OpenAPI 3 schema and its documentation page (assets from
the installed drf-spectacular-sidecar package, no CDN)."""

from __future__ import annotations

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView
from rest_framework.permissions import AllowAny
from rest_framework.routers import DefaultRouter

from pouls.api import views

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("perimeters", views.PerimeterViewSet, basename="api-perimeter")
router.register("feedback", views.FeedbackViewSet, basename="api-feedback")
router.register("signals", views.SignalViewSet, basename="api-signal")
router.register("callbacks", views.CallbackViewSet, basename="api-callback")
router.register("people", views.PersonViewSet, basename="api-person")
router.register("survey-links", views.SurveyLinkViewSet, basename="api-survey-link")
router.register("sales", views.SalesViewSet, basename="api-sale")
router.register("climate/results", views.ClimateResultViewSet, basename="api-climate-result")

urlpatterns = [
    path("", include(router.urls)),
    # The schema and its documentation describe the API, never data: readable without login.
    path("schema/", SpectacularAPIView.as_view(permission_classes=[AllowAny]), name="api-schema"),
    path(
        "docs/",
        SpectacularRedocView.as_view(url_name="api-schema", permission_classes=[AllowAny]),
        name="api-docs",
    ),
]
