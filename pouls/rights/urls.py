"""Customers' rights page (included by pouls.web.urls: the leak test covers it)."""

from __future__ import annotations

from django.urls import path

from pouls.rights import views

urlpatterns = [
    path("clients/droits/", views.customer_rights, name="rights-customer-rights"),
]
