from __future__ import annotations

from django.urls import path

from pouls.web import insights

urlpatterns = [
    path("p/<uuid:code>/moteurs/", insights.drivers, name="web-insights-drivers"),
    path("p/<uuid:code>/activite/", insights.activity, name="web-insights-activity"),
]
