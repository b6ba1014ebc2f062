"""Activity pages (included by pouls.web.urls: the leak test covers them)."""

from __future__ import annotations

from django.urls import path

from pouls.activity import views

urlpatterns = [
    path("p/<uuid:code>/activite/", views.activity, name="activity-results"),
]
