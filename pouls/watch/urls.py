"""Watch pages (included by pouls.web.urls: the leak test covers them)."""

from __future__ import annotations

from django.urls import path

from pouls.watch import views

urlpatterns = [
    path("quoi-de-neuf/", views.feed, name="watch-feed"),
    path("quoi-de-neuf/abonnement/", views.digest_subscription, name="watch-digest-subscription"),
    path("signal/<uuid:code>/", views.signal_detail, name="watch-signal-detail"),
    path("p/<uuid:code>/signaux/", views.perimeter_signals, name="watch-perimeter-signals"),
]
