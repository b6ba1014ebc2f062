from __future__ import annotations

from django.urls import path

from pouls.web import signals

urlpatterns = [
    path("signal/<uuid:code>/", signals.signal_detail, name="web-signal-detail"),
    path("p/<uuid:code>/signaux/", signals.perimeter_signals, name="web-perimeter-signals"),
]
