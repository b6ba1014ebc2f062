"""Analysis pages (included by pouls.web.urls: the leak test covers them)."""

from __future__ import annotations

from django.urls import path

from pouls.annotations import views

urlpatterns = [
    path("p/<uuid:code>/moteurs/", views.drivers, name="annotations-drivers"),
]
