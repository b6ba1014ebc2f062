"""Discovery on small and large samples: purity, coverage and stability, beside HDBSCAN.

Two labelled corpora, each text with one known subject:

* ``demo``: customer answers written by the project's own French grammar
  (``pouls.demo.verbatims``), one theme each (themes the shipped taxonomy would name are
  hidden: discovery sees only the texts); 2,000 distinct texts.
* ``semeval``: real French restaurant sentences (SemEval-2016 train split, read from
  ../shared/data, skipped when absent) with exactly one gold category (FOOD#QUALITY,
  SERVICE#GENERAL...); about 1,000 distinct sentences.

For each size n (20, 50, 100, 1,000) and each of ``--repeats`` shuffles, the first n texts are
grouped. Purity: share of grouped texts whose subject is their group's majority subject.
Coverage: share of texts put in a group (the rest is « divers »). Largest: the largest group's
share of the n texts. Agreement: adjusted Rand index, on the first n texts, between the groups
found on n texts and those found on 2n texts of the same shuffle (« divers » is one group;
« n/a » when both runs put every text in one group, where the index says nothing). The same
vectors (``ThemeDiscoverer.transform``) go to HDBSCAN with BERTopic's default
``min_cluster_size=10`` (sklearn.cluster.HDBSCAN; no UMAP).

Usage: python -m benchmarks.discovery [--repeats 5] [--corpus demo semeval]
"""

from __future__ import annotations

import argparse
import json
import random
import time
from collections import Counter
from collections.abc import Callable, Sequence

import numpy as np
import numpy.typing as npt
from sklearn.metrics import adjusted_rand_score

from benchmarks._machine import describe
from benchmarks.behaviours_sample import DATA

SIZES = (20, 50, 100, 1000)

Labels = npt.NDArray[np.int64]


def demo_corpus(n: int = 2000, seed: int = 7) -> tuple[list[str], list[str]]:
    """Distinct single-theme answers of the demo grammar, themes drawn uniformly."""
    from pouls.demo.verbatims import THEMES, make_customer_verbatim

    rng = random.Random(seed)
    texts: list[str] = []
    subjects: list[str] = []
    seen: set[str] = set()
    while len(texts) < n:
        theme = THEMES[len(texts) % len(THEMES)]
        made = make_customer_verbatim(rng, nps=rng.randint(0, 10), forced_theme=theme)
        if made is None or made.themes != (theme,) or made.text in seen:
            continue
        seen.add(made.text)
        texts.append(made.text)
        subjects.append(theme)
    return texts, subjects


def semeval_corpus() -> tuple[list[str], list[str]] | None:
    path = DATA / "semeval16_fr_restaurants" / "train_sentences.jsonl"
    if not path.exists():
        return None
    texts: list[str] = []
    subjects: list[str] = []
    seen: set[str] = set()
    for line in path.open(encoding="utf-8"):
        row = json.loads(line)
        categories = {o["category"] for o in row["opinions"]}
        text = row["text"].strip()
        if row["out_of_scope"] or len(categories) != 1 or text in seen or len(text) < 15:
            continue
        seen.add(text)
        texts.append(text)
        subjects.append(categories.pop())
    return texts, subjects


def pouls_groups(texts: Sequence[str]) -> tuple[Labels, list[tuple[int, tuple[str, ...]]]]:
    from pouls_analysis.themes.discovery import ThemeDiscoverer

    model = ThemeDiscoverer(random_state=0).fit(list(texts))
    return model.labels_, [(t.size, t.keywords) for t in model.themes_]


def hdbscan_groups(texts: Sequence[str]) -> tuple[Labels, list[tuple[int, tuple[str, ...]]]]:
    from sklearn.cluster import HDBSCAN

    from pouls_analysis.themes.discovery import ThemeDiscoverer

    vectors = ThemeDiscoverer(random_state=0).fit(list(texts)).transform(list(texts))
    if len(texts) <= 10:
        return np.full(len(texts), -1, dtype=np.int64), []
    found = HDBSCAN(min_cluster_size=10, copy=True).fit_predict(vectors)
    labels = np.asarray(found, dtype=np.int64)
    sizes = Counter(labels[labels >= 0].tolist())
    return labels, [(size, ()) for _, size in sizes.most_common()]


def scores(labels: Labels, subjects: Sequence[str]) -> tuple[float, float, float]:
    """Purity of the grouped texts, coverage, largest group's share."""
    grouped = labels >= 0
    n = len(labels)
    if not grouped.any():
        return float("nan"), 0.0, 0.0
    majority = 0
    for label in set(labels[grouped].tolist()):
        members = [subjects[i] for i in np.flatnonzero(labels == label)]
        majority += Counter(members).most_common(1)[0][1]
    largest = Counter(labels[grouped].tolist()).most_common(1)[0][1]
    return majority / int(grouped.sum()), float(grouped.mean()), largest / n


def agreement(small: Labels, large: Labels) -> float:
    if len(set(small.tolist())) == 1 and len(set(large.tolist())) == 1:
        return float("nan")
    return float(adjusted_rand_score(small, large))


Method = Callable[[Sequence[str]], tuple[Labels, list[tuple[int, tuple[str, ...]]]]]


def run(name: str, texts: list[str], subjects: list[str], repeats: int) -> None:
    methods: dict[str, Method] = {"Pouls": pouls_groups, "HDBSCAN(10)": hdbscan_groups}
    print(f"\n{name}: {len(texts):,} texts, {len(set(subjects))} subjects")
    print(
        f"{'method':<12} {'n':>5} {'groups':>7} {'purity':>7} {'coverage':>9} "
        f"{'largest':>8} {'agreement n→2n':>15} {'s/fit':>6}"
    )
    examples: dict[int, list[tuple[int, tuple[str, ...]]]] = {}
    for method, fit in methods.items():
        for n in SIZES:
            if n > len(texts):
                continue
            rows = []
            for r in range(repeats):
                order = np.random.RandomState(r).permutation(len(texts))
                big = order[: min(2 * n, len(texts))]
                started = time.process_time()
                labels, groups = fit([texts[i] for i in order[:n]])
                seconds = time.process_time() - started
                large, _ = fit([texts[i] for i in big])
                purity, coverage, largest = scores(labels, [subjects[i] for i in order[:n]])
                agree = agreement(labels, large[:n]) if len(big) > n else float("nan")
                rows.append((len(groups), purity, coverage, largest, agree, seconds))
                if method == "Pouls" and r == 0:
                    examples[n] = groups
            table = np.array(rows, dtype=float)
            mean = [np.nanmean(c) if not np.isnan(c).all() else np.nan for c in table.T]
            worst = max(row[3] for row in rows)
            print(
                f"{method:<12} {n:>5} {mean[0]:>7.1f} {_pct(mean[1]):>7} {_pct(mean[2]):>9} "
                f"{_pct(mean[3]):>8} {mean[4]:>15.2f} {mean[5]:>6.2f}"
                f"   (largest group at worst {worst:.0%})"
            )
    for n, groups in examples.items():
        shown = "; ".join(f"{size}: {', '.join(words[:4])}" for size, words in groups[:6])
        print(f"  Pouls groups on {n} texts (first shuffle): {shown}")


def _pct(value: float) -> str:
    return "n/a" if np.isnan(value) else f"{value:.0%}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=5, help="shuffles per size")
    parser.add_argument("--corpus", nargs="+", default=["demo", "semeval"])
    args = parser.parse_args()
    print(describe())
    pouls_groups(["Chargement du modèle", "avant de mesurer"])  # spaCy's vectors, loaded once
    if "demo" in args.corpus:
        run("demo grammar, one theme per text", *demo_corpus(), args.repeats)
    if "semeval" in args.corpus:
        found = semeval_corpus()
        if found is None:
            print(f"\nsemeval: skipped, {DATA / 'semeval16_fr_restaurants'} is absent")
        else:
            run("SemEval-2016 FR restaurants, one category per sentence", *found, args.repeats)


if __name__ == "__main__":
    main()
