from __future__ import annotations

from django.urls import path

from pouls.climate import respond

# Public pages (no login): the respondent's one-time link. "merci/" comes first: it is not
# a token.
urlpatterns = [
    path("q/merci/", respond.answer_done, name="climate-answer-done"),
    path("q/<str:token>/", respond.answer, name="climate-answer"),
]
