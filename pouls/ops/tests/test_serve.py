"""Production serving end to end: `pouls serve` (gunicorn, 2 processes) and two `pouls worker`
on a fresh database of the suite's backend (a new PostgreSQL database in CI's second run)
serve /health/ and a logged-in dashboard, hold a short load of 20 clients with no 5xx, run a
queued analysis, and serve Plotly compressed under a hashed name."""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection

from pouls.testing import PASSWORD

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

LOAD_CLIENTS = 20
LOAD_SECONDS = 30.0

SETUP = """
import json
from pouls.testing import make_personas, make_feedback, refresh_rollups
p = make_personas()
for score in (0, 3, 8, 9, 10, 10):
    make_feedback(perimeter=p.lille, nps=score, text="Caisse lente mais vendeur aimable.")
refresh_rollups()
print(json.dumps({"group": str(p.group.code), "store": str(p.lille.code)}))
"""

ENQUEUE = """
from pouls.annotations.tasks import analyse_pending_feedback
analyse_pending_feedback.enqueue()
"""

ANNOTATED = """
from pouls.annotations.models import Annotation
print(Annotation.objects.count())
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def env(tmp_path: Path) -> Iterator[dict[str, str]]:
    env = {k: v for k, v in os.environ.items() if k not in {"PYTEST_VERSION", "POULS_DATABASE_URL"}}
    env.update(POULS_DATA_DIR=str(tmp_path / "data"), POULS_SECRET_KEY="serve-test-secret")
    env.pop("POULS_DEMO", None)
    name = None
    if connection.vendor == "postgresql":
        name = f"pouls_serve_{uuid.uuid4().hex[:8]}"
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE DATABASE {name}")
        s = connection.settings_dict
        env["POULS_DATABASE_URL"] = (
            f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name}"
        )
    yield env
    if name:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _pouls(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "pouls.cli", *args], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def _wait_healthy(base: str, timeout: float = 180.0) -> dict[str, object]:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(f"{base}/health/", timeout=30) as response:
                return dict(json.load(response))
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def _login(base: str, username: str) -> urllib.request.OpenerDirector:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/connexion/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token is not None
    form = {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token[1]}
    data = urllib.parse.urlencode(form).encode()
    request = urllib.request.Request(f"{base}/connexion/", data=data, headers={"Referer": base})
    opener.open(request).read()
    return opener


def _load(opener: urllib.request.OpenerDirector, urls: list[str]) -> Counter[str]:
    outcomes: Counter[str] = Counter()
    lock = threading.Lock()
    stop = time.monotonic() + LOAD_SECONDS

    def client(k: int) -> None:
        i = k
        while time.monotonic() < stop:
            url = urls[i % len(urls)]
            i += 1
            try:
                with opener.open(url, timeout=30) as response:
                    response.read()
                    kind = f"{response.status // 100}xx"
            except urllib.error.HTTPError as exc:
                kind = f"{exc.code // 100}xx"
            except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
                kind = type(exc).__name__
            with lock:
                outcomes[kind] += 1

    threads = [threading.Thread(target=client, args=(k,)) for k in range(LOAD_CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


def test_serve_and_two_workers_hold_a_short_load(env: dict[str, str], tmp_path: Path) -> None:
    _pouls(env, "manage", "migrate", "--verbosity", "0")
    codes = json.loads(_pouls(env, "manage", "shell", "-c", SETUP).strip().splitlines()[-1])
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "pouls.cli", "serve", "--bind", f"127.0.0.1:{port}"],
            env=env,
            stdout=(tmp_path / "serve.log").open("w"),
            stderr=subprocess.STDOUT,
        )
    ]
    procs += [
        subprocess.Popen(
            [sys.executable, "-m", "pouls.cli", "worker", "--interval", "0.5"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(2)
    ]
    try:
        health = _wait_healthy(base)
        assert health["status"] == "ok" and health["pending_migrations"] == 0
        opener = _login(base, "alice")
        dashboard = opener.open(f"{base}/p/{codes['group']}/").read().decode()
        assert "Groupe" in dashboard
        script = re.search(r'src="(/static/plotly/plotly\.min\.[0-9a-f]{12}\.js)"', dashboard)
        assert script is not None, "Plotly is served under a hashed name"
        request = urllib.request.Request(base + script[1], headers={"Accept-Encoding": "br"})
        with urllib.request.urlopen(request) as response:
            body = response.read()
            assert response.headers["Content-Encoding"] == "br"
            assert "max-age=315360000" in response.headers["Cache-Control"]
        assert len(body) < 1.6e6

        _pouls(env, "manage", "shell", "-c", ENQUEUE)
        deadline = time.monotonic() + 120
        while int(_pouls(env, "manage", "shell", "-c", ANNOTATED).split()[-1]) < 6:
            assert time.monotonic() < deadline, "the workers did not run the analysis"
            time.sleep(1)

        urls = [
            f"{base}/p/{codes['group']}/",
            f"{base}/p/{codes['store']}/",
            f"{base}/p/{codes['store']}/verbatims/",
            f"{base}/quoi-de-neuf/",
            f"{base}/health/",
        ]
        outcomes = _load(opener, urls)
        assert sum(outcomes.values()) > LOAD_CLIENTS
        assert set(outcomes) == {"2xx"}, outcomes
    finally:
        for proc in procs:
            proc.send_signal(signal.SIGTERM)
        for proc in procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
