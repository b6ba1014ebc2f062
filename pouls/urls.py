from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from pouls.ops.health import health

urlpatterns = [
    path("health/", health, name="ops-health"),
    path(
        "connexion/",
        auth_views.LoginView.as_view(template_name="registration/login.html"),
        name="login",
    ),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    # Public survey forms (customers have no account).
    path("", include("pouls.surveys.public_urls")),
    path("", include("pouls.climate.respond_urls")),
    path("", include("pouls.web.urls")),
]
