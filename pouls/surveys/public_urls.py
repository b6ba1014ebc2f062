"""Public URLs of the survey form (no login: the token in the URL is the capability)."""

from __future__ import annotations

from django.urls import path

from pouls.surveys import public

urlpatterns = [
    path("r/<str:token>/", public.answer, name="surveys-answer-form"),
    path("r/<str:token>/merci/", public.thanks, name="surveys-answer-thanks"),
]
