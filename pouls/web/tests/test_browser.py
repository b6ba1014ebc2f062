"""A real browser (Debian's Chromium driven by Playwright): bob logs in and stays in his store.

Skipped when /usr/bin/chromium is absent, unless POULS_REQUIRE_BROWSER=1 (CI sets it), in which
case a missing browser fails the run instead of hiding it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from pouls.testing import PASSWORD, Personas, make_feedback

CHROMIUM = Path("/usr/bin/chromium")

pytestmark = pytest.mark.browser


@pytest.fixture
def browser() -> Iterator[Any]:
    """Debian's Chromium, headless (the other apps' browser tests import this fixture)."""
    if not CHROMIUM.exists():
        if os.environ.get("POULS_REQUIRE_BROWSER") == "1":
            pytest.fail("POULS_REQUIRE_BROWSER=1 but /usr/bin/chromium is missing")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    # Playwright's sync API runs an event loop in this thread; Django's ORM in the same
    # thread (the live server's test data) then needs this flag.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser: Any) -> Any:
    return browser.new_page()


@pytest.fixture
def live_url(transactional_db: None) -> Iterator[str]:
    """A live server for this test only: pytest-django's session-wide one outlives the test
    database and leaves a PostgreSQL session open at teardown (pytest-django #429)."""
    from django.test.testcases import LiveServerThread

    # Whitenoise already serves static files; the handler wrapper is the identity (the stubs
    # type it as a handler class, which it need not be).
    thread = LiveServerThread("127.0.0.1", static_handler=lambda app: app)  # type: ignore[arg-type]
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    try:
        yield f"http://127.0.0.1:{thread.port}"
    finally:
        thread.terminate()


def test_bob_logs_in_sees_his_store_and_gets_404_elsewhere(
    page: Any, live_url: str, personas: Personas
) -> None:
    make_feedback(perimeter=personas.lille, nps=10, text="Conseils précieux, merci !")
    make_feedback(perimeter=personas.marseille, nps=1, text="Jamais personne en caisse.")
    page.goto(live_url + reverse("login"))
    page.fill("#id_username", "bob")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(live_url + reverse("web-home-view"))
    assert page.locator("text=Site Lille").count() == 1
    assert page.locator("text=Site Marseille").count() == 0

    page.click("text=Site Lille")
    page.wait_for_selector("#nps")
    assert "Conseils précieux" in page.content()
    page.wait_for_selector("#trend .main-svg")  # Plotly drew the chart from the package's JS

    foreign = reverse("web-perimeter-dashboard", args=[personas.marseille.code])
    response = page.goto(live_url + foreign)
    assert response is not None and response.status == 404
    assert "Jamais personne" not in page.content()
