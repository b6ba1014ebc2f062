"""Fixtures of the whole suite: the personas, and a real browser (Debian's Chromium driven by
Playwright) with a live server for the browser tests.

The browser is skipped when /usr/bin/chromium is absent, unless POULS_REQUIRE_BROWSER=1 (CI sets
it), in which case a missing browser fails the run instead of hiding it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pouls.testing import Personas, make_personas


@pytest.fixture
def personas(db: None) -> Personas:
    return make_personas()


CHROMIUM = Path("/usr/bin/chromium")


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


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Browser tests start Chromium and a live server: they count as slow too."""
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.slow)
