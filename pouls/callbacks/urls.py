"""Callback pages (included by pouls.web.urls: the leak test covers them)."""

from __future__ import annotations

from django.urls import path

from pouls.callbacks import views

urlpatterns = [
    path("p/<uuid:code>/rappels/", views.callback_queue, name="callbacks-callback-queue"),
    path(
        "p/<uuid:code>/rappels/attribuer/",
        views.callback_assign,
        name="callbacks-callback-assign",
    ),
    path(
        "p/<uuid:code>/rappels/chiffres/",
        views.callback_figures,
        name="callbacks-callback-figures",
    ),
    path("rappel/<uuid:code>/", views.callback_detail, name="callbacks-callback-detail"),
]
