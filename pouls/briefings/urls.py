from __future__ import annotations

from django.urls import path

from pouls.briefings import views

urlpatterns = [
    path("p/<uuid:code>/points-equipe/", views.briefing_list, name="briefings-briefing-list"),
    path(
        "p/<uuid:code>/points-equipe/nouveau/",
        views.briefing_create,
        name="briefings-briefing-create",
    ),
    path(
        "p/<uuid:code>/points-equipe/abonnement/",
        views.schedule_set,
        name="briefings-schedule-set",
    ),
    path("points-equipe/<uuid:code>/", views.briefing_detail, name="briefings-briefing-detail"),
    path(
        "points-equipe/<uuid:code>/presentation/",
        views.briefing_present,
        name="briefings-briefing-present",
    ),
    path("points-equipe/<uuid:code>/pdf/", views.briefing_pdf, name="briefings-briefing-pdf"),
    path(
        "points-equipe/<uuid:code>/markdown/",
        views.briefing_markdown,
        name="briefings-briefing-markdown",
    ),
    path(
        "points-equipe/<uuid:code>/presente/",
        views.briefing_mark_presented,
        name="briefings-briefing-mark-presented",
    ),
    path(
        "points-equipe/<uuid:code>/engagements/",
        views.commitment_create,
        name="briefings-commitment-create",
    ),
    path(
        "engagements/<uuid:code>/statut/",
        views.commitment_update,
        name="briefings-commitment-update",
    ),
    path("mon-pouls/", views.my_pulse, name="briefings-my-pulse"),
]
