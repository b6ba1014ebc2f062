"""Single sign-on against a minimal OpenID Connect provider started by the test on 127.0.0.1
(authorization code flow, RS256 id_token, JWKS, userinfo): the login works, a claim maps to a
grant, a user without the claim sees nothing, a token for another client is refused."""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlparse

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from django.test import Client
from django.urls import reverse

from pouls.org.models import Grant
from pouls.testing import Personas


@dataclass
class Provider:
    """What the provider will say about the next user who logs in, and its keys."""

    base: str = ""
    client_id: str = "pouls-test"
    audience: str = "pouls-test"
    claims: dict[str, Any] = field(default_factory=dict)
    codes: dict[str, str] = field(default_factory=dict)  # code -> nonce
    key: Any = field(default_factory=lambda: rsa.generate_private_key(65537, 2048))


def _handler(provider: Provider) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:  # keep the test output quiet
            pass

        def _json(self, body: dict[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            url = urlparse(self.path)
            query = {k: v[0] for k, v in parse_qs(url.query).items()}
            if url.path == "/authorize":
                code = uuid.uuid4().hex
                provider.codes[code] = query["nonce"]
                target = (
                    f"{query['redirect_uri']}?{urlencode({'code': code, 'state': query['state']})}"
                )
                self.send_response(302)
                self.send_header("Location", target)
                self.end_headers()
            elif url.path == "/jwks":
                jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(provider.key.public_key()))
                self._json({"keys": [{**jwk, "kid": "k1", "alg": "RS256", "use": "sig"}]})
            elif url.path == "/userinfo":
                assert self.headers["Authorization"].startswith("Bearer at-")
                self._json(provider.claims)
            else:
                self.send_error(404)

        def do_POST(self) -> None:
            length = int(self.headers["Content-Length"])
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            assert self.path == "/token" and form["client_id"] == provider.client_id
            nonce = provider.codes.pop(form["code"])  # a code serves once
            now = int(time.time())
            token = jwt.encode(
                {
                    "iss": provider.base,
                    "sub": provider.claims["sub"],
                    "aud": provider.audience,
                    "iat": now,
                    "exp": now + 300,
                    "nonce": nonce,
                },
                provider.key,
                algorithm="RS256",
                headers={"kid": "k1"},
            )
            self._json(
                {"id_token": token, "access_token": f"at-{form['code']}", "token_type": "Bearer"}
            )

    return Handler


@pytest.fixture
def provider(settings: Any) -> Iterator[Provider]:
    state = Provider()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    state.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.OIDC_RP_CLIENT_ID = state.client_id
    settings.OIDC_RP_CLIENT_SECRET = "secret"
    settings.POULS_OIDC_ISSUER = state.base
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{state.base}/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{state.base}/token"
    settings.OIDC_OP_USER_ENDPOINT = f"{state.base}/userinfo"
    settings.OIDC_OP_JWKS_ENDPOINT = f"{state.base}/jwks"
    settings.POULS_OIDC_GRANTS_CLAIM = "pouls_grants"
    settings.AUTHENTICATION_BACKENDS = [
        "django.contrib.auth.backends.ModelBackend",
        "pouls.org.oidc.PoulsOIDCBackend",
    ]
    try:
        yield state
    finally:
        server.shutdown()


def _sso_login(client: Client, provider: Provider) -> Any:
    """Follow the code flow as a browser would; Pouls's answer to the provider's redirect."""
    import urllib.request

    start = client.get(reverse("oidc_authentication_init"))
    assert start.status_code == 302 and start["Location"].startswith(provider.base)

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: Any) -> None:
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        opener.open(start["Location"])
    except urllib.error.HTTPError as exc:  # the 302 back to Pouls
        back = urlparse(exc.headers["Location"])
    return client.get(f"{back.path}?{back.query}")


def test_the_login_page_offers_sso_only_when_configured(client: Client, db: None) -> None:
    assert "compte de l’entreprise" not in client.get(reverse("login")).content.decode()
    assert client.get(reverse("oidc_authentication_init")).status_code == 404


def test_an_sso_login_with_the_claim_gets_its_grant(
    client: Client, personas: Personas, provider: Provider
) -> None:
    assert "compte de l’entreprise" in client.get(reverse("login")).content.decode()
    provider.claims = {
        "sub": "u-1",
        "email": "Zoe.Nord@Example.test",
        "given_name": "Zoé",
        "family_name": "Nord",
        "pouls_grants": [f"{personas.lille.ref}:manager", "INCONNU:admin", "x:superpower"],
    }
    assert _sso_login(client, provider)["Location"] == reverse("web-home-view")
    home = client.get(reverse("web-home-view")).content.decode()
    assert "Site Lille" in home and "Site Marseille" not in home
    grant = Grant.objects.get(user__username="zoe.nord@example.test")
    assert (grant.perimeter, grant.role) == (personas.lille, "manager")
    # At the next login the claim moved her: the grants follow.
    provider.claims["pouls_grants"] = [f"{personas.marseille.ref}:viewer"]
    client.logout()
    _sso_login(client, provider)
    grants = Grant.objects.filter(user__username="zoe.nord@example.test")
    assert [(g.perimeter, g.role) for g in grants] == [(personas.marseille, "viewer")]


def test_an_sso_user_without_the_claim_sees_nothing(
    client: Client, personas: Personas, provider: Provider
) -> None:
    provider.claims = {"sub": "u-2", "email": "sans.droit@example.test"}
    _sso_login(client, provider)
    home = client.get(reverse("web-home-view"))
    assert home.status_code == 200 and "Aucun périmètre" in home.content.decode()
    assert not Grant.objects.filter(user__username="sans.droit@example.test").exists()


def test_a_token_for_another_client_is_refused(
    client: Client, personas: Personas, provider: Provider
) -> None:
    provider.audience = "another-app"
    provider.claims = {"sub": "u-3", "email": "x@example.test", "pouls_grants": ["GROUPE:admin"]}
    assert _sso_login(client, provider).status_code == 400  # SuspiciousOperation
    assert not Grant.objects.filter(user__username="x@example.test").exists()
    assert client.get(reverse("web-home-view")).status_code == 302  # not logged in
