"""On a phone (390 × 844), no page of the leak registry scrolls sideways.

Every GET page of ``test_leaks.REGISTRY`` is opened in Chromium as the persona the registry
says may see it; the page fails when ``document.documentElement.scrollWidth`` exceeds the
window's width. Wide tables must scroll inside their card or become stacked cards, charts
must resize. One browser and one data set for all pages (the browser starts once)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from pouls.testing import Personas
from pouls.web.tests.test_leaks import REGISTRY, _url, world  # noqa: F401 (fixture)

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
FILE = re.compile(r"(\.[a-z]+|/pdf|/markdown)/?$")
# What sticks out, for the failure message: the widest elements past the right edge.
OVERFLOW_JS = """() => {
  const width = window.innerWidth;
  const wide = [];
  for (const el of document.body.querySelectorAll('*')) {
    const right = el.getBoundingClientRect().right;
    if (right > width + 1) {
      wide.push([Math.round(right), el.tagName.toLowerCase() +
        (el.id ? '#' + el.id : '') + (el.className && el.className.baseVal === undefined
          ? '.' + String(el.className).trim().split(/\\s+/).join('.') : '')]);
    }
  }
  wide.sort((a, b) => b[0] - a[0]);
  return {scroll: document.documentElement.scrollWidth, inner: width, wide: wide.slice(0, 3)};
}"""


def _login(page: Any, live_url: str, user: Any) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_url}]
    )


def phone_overflows(page: Any, live_url: str, personas: Personas) -> dict[str, str]:
    """URL name -> what overflows, for every HTML page of the registry seen on a phone."""
    page.set_viewport_size(PHONE)
    found: dict[str, str] = {}
    for name, spec in REGISTRY.items():
        if spec.method != "get":
            continue
        target = spec.build(personas, True) if spec.build else None
        url = _url(name, target)
        if FILE.search(url):
            continue  # a download or data (CSV, XLSX, PDF, Markdown, QR code, JSON)
        _login(page, live_url, getattr(personas, spec.insider))
        response = page.goto(live_url + url, wait_until="load")
        assert response is not None and response.status == 200, name
        if not response.headers.get("content-type", "").startswith("text/html"):
            continue
        page.wait_for_timeout(150)  # charts draw after load
        seen = page.evaluate(OVERFLOW_JS)
        if seen["scroll"] > seen["inner"]:
            found[name] = f"{seen['scroll']} px > {seen['inner']} px: {seen['wide']}"
    return found


def test_no_page_scrolls_sideways_on_a_phone(
    page: Any,
    live_url: str,
    world: Personas,  # noqa: F811
) -> None:
    found = phone_overflows(page, live_url, world)
    assert not found, "pages wider than a 390 px phone:\n" + "\n".join(
        f"  {name}: {what}" for name, what in sorted(found.items())
    )
