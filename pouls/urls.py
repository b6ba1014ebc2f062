from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from pouls.api import pages as api_pages
from pouls.ops.health import health

urlpatterns = [
    path("health/", health, name="ops-health"),
    path("api/v1/", include("pouls.api.urls")),
    path("compte/jetons/", api_pages.token_list, name="api-token-list"),
    path("compte/jetons/<uuid:code>/revoquer/", api_pages.token_revoke, name="api-token-revoke"),
    path("compte/webhooks/", api_pages.webhook_list, name="api-webhook-list"),
    path("compte/webhooks/<uuid:code>/", api_pages.webhook_detail, name="api-webhook-detail"),
    path(
        "compte/webhooks/<uuid:code>/desactiver/",
        api_pages.webhook_disable,
        name="api-webhook-disable",
    ),
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
