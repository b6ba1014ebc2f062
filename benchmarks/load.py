"""Load and faults: `pouls serve` (2 web processes) and 2 `pouls worker` on the demo company,
a mixed read load by several personas at 20, 50 and 100 concurrent clients while an import of
N rows and its analysis run, then a worker killed with SIGKILL during an import and restarted.

    python benchmarks/load.py --database sqlite|postgres [--rows 100000] [--seconds 20]
        [--clients 20,50,100] [--keep DIR]

Everything runs on 127.0.0.1 in a fresh data folder (and a fresh PostgreSQL database named
pouls_load_<random>, dropped at the end, for --database postgres: POULS_LOAD_PG_URL points at
the server, default postgres://postgres@127.0.0.1:5432/postgres). The clients are threads in
two client processes on the same machine (they compete with the server for the CPU: the
figures are a floor). Prints requests/s, p50/p95/p99 per page kind, errors by kind (5xx,
"database is locked" in the server log, timeouts), the time from the start of the import to
the last text analysed, and after the fault the counts that must hold (read = accepted +
quarantined + duplicates; no feedback stored twice; rollups equal to a full rebuild).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._machine import describe  # noqa: E402
from benchmarks.imports import generate  # noqa: E402

PASSWORD = "pouls-demo"
PERSONAS = ("alice", "carol", "bob")

CODES = """
import json
from pouls.org.models import Perimeter
g = Perimeter.objects.get(depth=0)
stores = list(
    Perimeter.objects.filter(kind="store").order_by("path").values_list("code", "name")
)
print(json.dumps({"group": str(g.code), "stores": [str(c) for c, _ in stores],
    "names": [n for _, n in stores]}))
"""

STATE = """
import json
from pouls.feedback.models import Feedback, Import
from pouls.annotations.services import pending_ids
from pouls.rollups.models import MetricValue
rows = [dict(status=i.status, read=i.read, accepted=i.accepted, quarantined=i.quarantined,
             duplicates=i.duplicates) for i in Import.objects.order_by("pk")]
dupes = (Feedback.objects.exclude(source_id="")
    .values("perimeter_id", "source_id").distinct().count())
with_id = Feedback.objects.exclude(source_id="").count()
print(json.dumps({"imports": rows, "pending": len(pending_ids(1)),
    "feedback": Feedback.objects.count(), "stored_twice": with_id - dupes,
    "rollups": MetricValue.objects.count()}))
"""

ENQUEUE_ANALYSIS = """
from pouls.annotations.tasks import analyse_pending_feedback
analyse_pending_feedback.enqueue()
"""

REBUILD_CHECK = """
import json
from pouls.rollups.models import MetricValue
KEY = ("perimeter_id", "period", "start", "dimension", "value", "feedback", "nps_n",
       "promoters", "detractors", "sentiment_n", "negative_mentions", "positive_mentions")
before = sorted(MetricValue.objects.values_list(*KEY))
from pouls.rollups.fill import rebuild_all
rebuild_all()
after = sorted(MetricValue.objects.values_list(*KEY))
print(json.dumps({"rollups_equal_rebuild": before == after, "rows": len(after)}))
"""


def pouls(env: dict[str, str], *args: str, check: bool = True) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "pouls.cli", *args], env=env, capture_output=True, text=True
    )
    if check and done.returncode != 0:
        raise SystemExit(f"pouls {' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return done.stdout


def shell(env: dict[str, str], code: str) -> dict:
    return json.loads(pouls(env, "manage", "shell", "-c", code).strip().splitlines()[-1])


def login(base: str, username: str) -> urllib.request.OpenerDirector:
    import http.cookiejar

    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    page = opener.open(f"{base}/connexion/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    data = urllib.parse.urlencode(
        {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token[1]}
    )
    opener.open(
        urllib.request.Request(f"{base}/connexion/", data=data.encode(), headers={"Referer": base})
    ).read()
    return opener


def client_process(
    base: str, urls: list[tuple[str, str]], threads: int, seconds: float, out: multiprocessing.Queue
) -> None:
    import threading

    results: list[tuple[str, str, float]] = []
    lock = threading.Lock()
    stop = time.monotonic() + seconds
    openers = {u: login(base, u) for u in PERSONAS}

    def run(k: int) -> None:
        opener = openers[PERSONAS[k % len(PERSONAS)]]
        i = k
        while time.monotonic() < stop:
            kind, url = urls[i % len(urls)]
            i += 1
            started = time.perf_counter()
            try:
                with opener.open(url, timeout=30) as response:
                    response.read()
                    outcome = f"{response.status // 100}xx"
            except urllib.error.HTTPError as exc:
                outcome = "404" if exc.code == 404 else f"{exc.code // 100}xx"
            except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
                outcome = "timeout" if "timed out" in str(exc) else type(exc).__name__
            with lock:
                results.append((kind, outcome, time.perf_counter() - started))

    pool = [threading.Thread(target=run, args=(k,)) for k in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    out.put(results)


def read_load(base: str, urls: list[tuple[str, str]], clients: int, seconds: float) -> dict:
    queue: multiprocessing.Queue = multiprocessing.Queue()
    procs = [
        multiprocessing.Process(
            target=client_process,
            args=(base, urls, clients // 2 + (k < clients % 2), seconds, queue),
        )
        for k in range(2)
    ]
    started = time.perf_counter()
    for p in procs:
        p.start()
    results = [r for _ in procs for r in queue.get()]
    for p in procs:
        p.join()
    wall = time.perf_counter() - started
    by_kind: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    for kind, outcome, seconds_taken in results:
        by_kind[kind].append(seconds_taken)
        if outcome not in {"2xx", "3xx"}:
            errors[outcome] += 1
    latency = {}
    for kind, values in sorted(by_kind.items()):
        q = statistics.quantiles(values, n=100) if len(values) > 1 else values * 99
        latency[kind] = {
            "n": len(values),
            "p50_ms": round(q[49] * 1000),
            "p95_ms": round(q[94] * 1000),
            "p99_ms": round(q[98] * 1000),
        }
    return {
        "clients": clients,
        "requests_per_s": round(len(results) / wall, 1),
        "latency": latency,
        "errors": dict(errors),
    }


def start(env: dict[str, str], log: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "pouls.cli", *args],
        env=env,
        stdout=log.open("a"),
        stderr=subprocess.STDOUT,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seconds", type=float, default=20.0, help="per load level")
    parser.add_argument("--clients", default="20,50,100")
    parser.add_argument("--keep", help="work in this folder and keep it")
    args = parser.parse_args()
    print(f"machine: {describe()}")
    work = Path(args.keep or tempfile.mkdtemp(prefix="pouls-load-"))
    work.mkdir(parents=True, exist_ok=True)
    env = {
        k: v for k, v in os.environ.items() if not k.startswith("POULS_") and k != "PYTEST_VERSION"
    }
    env.update(
        POULS_DATA_DIR=str(work / "data"),
        POULS_SECRET_KEY="load-benchmark",
        POULS_LOG_LEVEL="WARNING",
    )
    admin_url, db_name = (
        os.environ.get("POULS_LOAD_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres"),
        None,
    )
    if args.database == "postgres":
        db_name = f"pouls_load_{uuid.uuid4().hex[:8]}"
        subprocess.run(["psql", admin_url, "-qc", f"CREATE DATABASE {db_name}"], check=True)
        env["POULS_DATABASE_URL"] = admin_url.rsplit("/", 1)[0] + f"/{db_name}"
    log = work / "server.log"
    procs: list[subprocess.Popen] = []
    try:
        t0 = time.perf_counter()
        pouls({**env, "POULS_DEMO": "1"}, "demo", "--no-serve")
        print(f"demo built and analysed in {time.perf_counter() - t0:.0f} s")
        codes = shell(env, CODES)
        port = 8700 + os.getpid() % 200
        base = f"http://127.0.0.1:{port}"
        procs.append(start(env, log, "serve", "--bind", f"127.0.0.1:{port}", "--workers", "2"))
        workers = [start(env, log, "worker", "--interval", "0.5") for _ in range(2)]
        procs += workers
        for _ in range(600):
            try:
                urllib.request.urlopen(f"{base}/health/", timeout=5).read()
                break
            except Exception:
                time.sleep(0.5)
        store = codes["stores"][0]
        urls = [
            ("dashboard", f"{base}/p/{codes['group']}/"),
            ("dashboard", f"{base}/p/{store}/"),
            ("verbatims", f"{base}/p/{store}/verbatims/"),
            ("feed", f"{base}/quoi-de-neuf/"),
            ("briefings", f"{base}/p/{store}/points-equipe/"),
            ("export", f"{base}/p/{store}/export.csv"),
            ("health", f"{base}/health/"),
        ]
        csv_path = work / "import.csv"
        generate(csv_path, args.rows)
        # The generator's store names become the demo's (cycled), so every valid row lands.
        names = codes["names"]
        text = csv_path.read_text(encoding="utf-8")
        text = re.sub(r"Magasin (\d\d)", lambda m: names[int(m[1]) % len(names)], text)
        csv_path.write_text(text, encoding="utf-8")
        mapping = work / "mapping.yaml"
        mapping.write_text("columns:\n  source_id: ID\n  customer: Email\n", encoding="utf-8")
        import_started = time.perf_counter()
        importer = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "pouls.cli",
                "import",
                "feedback",
                str(csv_path),
                "--mapping",
                str(mapping),
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=(work / "import.log").open("w"),
        )
        for clients in (int(c) for c in args.clients.split(",")):
            print(json.dumps(read_load(base, urls, clients, args.seconds)))
        importer.wait()
        pouls(env, "manage", "shell", "-c", ENQUEUE_ANALYSIS)
        while shell(env, STATE)["pending"]:
            time.sleep(2)
        print(
            f"import of {args.rows} rows to last text analysed: "
            f"{time.perf_counter() - import_started:.0f} s"
        )
        # Fault: a worker killed with SIGKILL while an analysis pass and its rollups run.
        pouls(
            env, "import", "feedback", str(csv_path), "--mapping", str(mapping)
        )  # all duplicates: the pass re-runs the chain
        workers[0].send_signal(signal.SIGKILL)
        procs.append(start(env, log, "worker", "--interval", "0.5"))
        time.sleep(5)
        while shell(env, STATE)["pending"]:
            time.sleep(2)
        state = shell(env, STATE)
        identity = all(
            i["read"] == i["accepted"] + i["quarantined"] + i["duplicates"]
            for i in state["imports"]
        )
        print(
            json.dumps(
                {
                    "after_fault": {
                        "identity_holds": identity,
                        "stored_twice": state["stored_twice"],
                        "imports": state["imports"][-2:],
                    }
                }
            )
        )
        text = log.read_text(errors="replace")
        print(
            json.dumps(
                {
                    "server_log": {
                        "database_is_locked": text.count("database is locked"),
                        "tracebacks": text.count("Traceback"),
                    }
                }
            )
        )
        print(json.dumps(shell(env, REBUILD_CHECK)))
    finally:
        for p in procs:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        for p in procs:
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                p.kill()
        if db_name:
            subprocess.run(
                ["psql", admin_url, "-qc", f"DROP DATABASE IF EXISTS {db_name} WITH (FORCE)"],
                check=False,
            )


if __name__ == "__main__":
    main()
