"""The OpenAPI schema holds for what the API answers: Schemathesis generates requests from it
(bounded) with the tokens of two personas, and every answer is no 5xx and matches the schema."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import response_schema_conformance

from pouls.api.tests.conftest import World

pytestmark = [pytest.mark.slow, pytest.mark.django_db]


@pytest.fixture
def keep_test_connection() -> Iterator[None]:
    """The WSGI app closes the database connection after each request, as a server must;
    in a test that would close the test's own transaction (Django's test client does the
    same disconnection)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.mark.usefixtures("keep_test_connection")
def test_the_api_keeps_to_its_schema(world: World) -> None:
    """Every operation of the schema, 10 generated requests each, as bob and as carol."""
    from hypothesis import given
    from schemathesis.checks import not_a_server_error

    api = schemathesis.openapi.from_wsgi("/api/v1/schema/", get_wsgi_application())
    operations = [result.ok() for result in api.get_all_operations()]  # type: ignore[union-attr]
    assert len(operations) >= 8
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=10,
            deadline=None,
            database=None,
            derandomize=True,  # the same requests on every run: CI never flakes on a draw
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        )
        def run(case: Any) -> None:
            for persona in ("bob", "carol"):
                case.call_and_validate(
                    headers={"Authorization": f"Bearer {world.tokens[persona]}"},
                    checks=[not_a_server_error, response_schema_conformance],
                )

        run()


def test_the_documentation_page_uses_no_cdn(client: Client) -> None:
    page = client.get(reverse("api-docs")).content.decode()
    assert "/static/drf_spectacular_sidecar/" in page
    assert "cdn." not in page and "unpkg" not in page
