"""The curl examples of docs/api.md, run as written against a live server."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.utils import timezone

from pouls.api.tokens import do_create_token
from pouls.feedback.models import Feedback
from pouls.testing import make_feedback, make_personas, refresh_rollups

DOC = Path(__file__).resolve().parents[3] / "docs" / "api.md"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not (shutil.which("curl") and shutil.which("jq")), reason="curl and jq"),
]


def _examples() -> list[str]:
    return re.findall(r"```sh\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)


def test_the_documented_examples_work(live_url: str, tmp_path: Path) -> None:
    personas = make_personas()
    _, token = do_create_token(personas.alice, name="doc", read_only=False)
    env = {**os.environ, "POULS_URL": live_url, "TOKEN": token}
    push, pull = _examples()
    first = subprocess.run(["sh", "-c", push], env=env, capture_output=True, text=True, check=True)
    assert json.loads(first.stdout)["accepted"] == 1
    again = subprocess.run(["sh", "-c", push], env=env, capture_output=True, text=True, check=True)
    assert json.loads(again.stdout)["duplicates"] == 1
    assert Feedback.objects.count() == 1
    # Earlier answers, rolled up as the worker would after the import.
    for days in (9, 16, 23):
        make_feedback(
            perimeter=personas.lille, nps=9, received_at=timezone.now() - dt.timedelta(days=days)
        )
    refresh_rollups()
    subprocess.run(["sh", "-c", pull], env=env, cwd=tmp_path, check=True)
    lines = (tmp_path / "nps-par-semaine.csv").read_text().splitlines()
    assert lines and all(re.fullmatch(r'"\d{4}-\d\d-\d\d",[-0-9.]*,\d+', line) for line in lines)
