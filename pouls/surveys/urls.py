"""Survey pages for signed-in people (included by pouls.web.urls: the leak test covers them)."""

from __future__ import annotations

from django.urls import path

from pouls.surveys import views

urlpatterns = [
    path("enquetes/", views.survey_list, name="surveys-survey-list"),
    path("enquetes/nouvelle/", views.survey_new, name="surveys-survey-new"),
    path("enquetes/<uuid:code>/", views.survey_detail, name="surveys-survey-detail"),
    path("enquetes/<uuid:code>/gerer/", views.survey_manage, name="surveys-survey-manage"),
    path(
        "enquetes/lien/<uuid:code>/qr.png",
        views.link_qr,
        {"fmt": "png"},
        name="surveys-link-qr-png",
    ),
    path(
        "enquetes/lien/<uuid:code>/qr.svg",
        views.link_qr,
        {"fmt": "svg"},
        name="surveys-link-qr-svg",
    ),
    path(
        "enquetes/lien/<uuid:code>/invitations/",
        views.link_invitations,
        name="surveys-link-invitations",
    ),
]
