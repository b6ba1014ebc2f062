"""`pouls demo --no-serve` itself (not a copy of its steps) leaves the planted scenarios on the
pages at first start: the weak signals of the payment incident are in the feed."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from pouls.cli import main
from pouls.demo.build import SCENARIOS
from pouls.watch.models import ThemeSignal

pytestmark = [pytest.mark.slow, pytest.mark.django_db]


def test_the_demo_command_leaves_the_payment_incident_in_the_feed(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("POULS_DEMO", "1")
    result = CliRunner().invoke(main, ["demo", "--no-serve"])
    assert result.exit_code == 0, result.output
    surges = ThemeSignal.objects.filter(theme="checkout_payment", kind="surge")
    stores = {s.perimeter.name.removeprefix("Magasin ") for s in surges.select_related("perimeter")}
    assert stores == set(SCENARIOS.payment_stores)
    client.force_login(get_user_model().objects.get(username="alice"))
    feed = client.get(reverse("watch-feed")).content.decode()
    for store in SCENARIOS.payment_stores:
        assert f"Magasin {store}" in feed
    for signal in surges:
        assert reverse("watch-signal-detail", args=[signal.code]) in feed
