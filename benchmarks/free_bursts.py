"""Bursts in the real Free telecom tweets (issue 5): `python benchmarks/free_bursts.py`.

Reads ``../shared/data/free_telecom_tweets_unlabelled/tweets.csv`` (evaluation only, never
copied; skips cleanly when absent), keeps customers' tweets (no brand account, no retweet),
analyses them with the default pipeline (themes of the retail taxonomy, which covers phone
reachability, billing, after-sales, contract...), counts them per day, overall and per theme,
and runs the same detector as the product (``scan_latest``: quasi-Poisson against the 12
periods before, Benjamini-Hochberg across series) on every day in turn, with days as periods.
For each burst it prints the day, the series, count against expected, the words that set the
burst's tweets apart (log-ratio against all tweets, French stop words removed) and the first
tweets, cut short, for a human to read. What they say is written in docs/signals.md.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import math
import re
import sys
from collections import Counter
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

DEFAULT = (
    Path(__file__).resolve().parents[2] / "shared/data/free_telecom_tweets_unlabelled/tweets.csv"
)
WORD = re.compile(r"[a-zàâçéèêëîïôûùüÿœ]{3,}")


def _keywords(burst: list[str], everything: Counter[str], total: int, stop: set[str]) -> list[str]:
    counts = Counter(w for text in burst for w in set(WORD.findall(text)) if w not in stop)
    n = len(burst)
    scored = {
        w: c * math.log((c / n) / ((everything[w] + 1) / total))
        for w, c in counts.items()
        if c >= 2
    }
    return [w for w, _ in sorted(scored.items(), key=lambda kv: -kv[1])[:8]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tweets", type=Path, default=DEFAULT)
    parser.add_argument("--examples", type=int, default=4)
    args = parser.parse_args()
    if not args.tweets.exists():
        print(f"skipped: {args.tweets} is absent (evaluation data is not shipped)")
        return
    from spacy.lang.fr.stop_words import STOP_WORDS

    from benchmarks._machine import describe
    from pouls_analysis.pipeline import AnalysisPipeline
    from pouls_analysis.signals.detect import BASELINE_PERIODS, WINDOWS, scan_latest

    print(describe())
    with args.tweets.open(encoding="utf-8") as handle:
        rows = [
            r
            for r in csv.DictReader(handle)
            if r["is_brand_account"] == "False" and r["is_retweet"] == "False"
        ]
    days = [dt.date.fromisoformat(r["date"][:10]) for r in rows]
    texts = [r["text"] for r in rows]
    results = AnalysisPipeline(random_state=0).fit().analyze(texts)
    themes = [{m.theme for m in (r.themes or ())} for r in results]
    first, last = min(days), max(days)
    calendar = [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
    index = {d: i for i, d in enumerate(calendar)}
    names = ["(tous les tweets)", *sorted({t for ts in themes for t in ts})]
    counts = np.zeros((len(names), len(calendar)))
    for day, ts in zip(days, themes, strict=True):
        counts[0, index[day]] += 1
        for t in ts:
            counts[names.index(t), index[day]] += 1
    print(f"{len(rows)} customer tweets, {first} -> {last}, {len(names) - 1} themes seen")
    stop = set(STOP_WORDS) | {"free", "freebox", "nfree", "rt"}
    everything = Counter(w for text in texts for w in set(WORD.findall(text)))
    start = BASELINE_PERIODS + WINDOWS + 1
    previous: dict[int, int] = {}
    for end in range(start, len(calendar) + 1):
        window = counts[:, :end]
        if window[:, -1].sum() == 0:
            continue
        for alarm in scan_latest(window):
            day = calendar[end - 1]
            # One burst per series and run of days: report its first day only.
            if previous.get(alarm.series) == end - 2:
                previous[alarm.series] = end - 1
                continue
            previous[alarm.series] = end - 1
            picked = [
                text
                for text, d, ts in zip(texts, days, themes, strict=True)
                if d == day and (alarm.series == 0 or names[alarm.series] in ts)
            ]
            print(
                f"\n{day} {names[alarm.series]}: {alarm.count} tweets for "
                f"{alarm.expected:.1f} expected (q = {alarm.q_value:.3g})"
            )
            print("  words:", ", ".join(_keywords(picked, everything, len(texts), stop)))
            for text in picked[: args.examples]:
                print("  -", text[:140].replace("\n", " "))


if __name__ == "__main__":
    main()
