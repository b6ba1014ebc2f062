from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from pouls.api import pages as api_pages
from pouls.ops.health import health
from pouls.org.login import ThrottledAuthenticationForm
from pouls.org.oidc import sso_view

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
        auth_views.LoginView.as_view(
            template_name="registration/login.html",
            authentication_form=ThrottledAuthenticationForm,
        ),
        name="login",
    ),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    # Single sign-on (404 unless POULS_OIDC_CLIENT_ID is set).
    path("sso/connexion/", sso_view("request"), name="oidc_authentication_init"),
    path("sso/retour/", sso_view("callback"), name="oidc_authentication_callback"),
    # Password reset and invitations (the set-password link): Django's own views, French
    # templates in templates/registration/.
    path(
        "mot-de-passe/oublie/",
        auth_views.PasswordResetView.as_view(
            subject_template_name="registration/password_reset_subject.txt"
        ),
        name="password_reset",
    ),
    path(
        "mot-de-passe/envoye/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "mot-de-passe/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "mot-de-passe/fait/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("admin/", admin.site.urls),
    # Public survey forms (customers have no account).
    path("", include("pouls.surveys.public_urls")),
    path("", include("pouls.climate.respond_urls")),
    path("", include("pouls.web.urls")),
]
