"""A reproducible sample of the behaviour detector's detections on real texts, to check by hand.

Runs the shipped ``ServiceBehaviourDetector`` (rules, no training) over the customer texts of
``../shared/data`` (Amazon.fr and insurance reviews, customer tweets about Free, SemEval
restaurant reviews; evaluation only, never copied into the repository), then draws at most
``--per-behaviour`` detections of each behaviour (seed 0).

    python -m benchmarks.behaviours_sample --out /tmp/behaviour_sample.jsonl

writes the sample (source, row key, behaviour, cue, evidence, text) outside the repository for
reading. The verdicts of that reading are kept without any text in
``benchmarks/behaviours_handcheck.csv`` (source, key, behaviour, verdict, reason);

    python -m benchmarks.behaviours_sample --score

prints the precision per behaviour of the sample as read, of the detections the current rules
make on the same texts, and what they no longer detect (see docs/behaviours.md). The reading
was done with ``--per-behaviour 50``, which took every detection (159).
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

# ../shared/data of the checkout (a worktree under wt/ finds it one level further up).
DATA = next(
    (
        p / "shared" / "data"
        for p in Path(__file__).resolve().parents[2:4]
        if (p / "shared" / "data").exists()
    ),
    Path(__file__).resolve().parents[2] / "shared" / "data",
)
VERDICTS = Path(__file__).resolve().parent / "behaviours_handcheck.csv"


def _texts() -> list[tuple[str, str, str]]:
    """(source, row key, text) of every customer text found under ``DATA``."""
    return texts_under(DATA)


def texts_under(data: Path) -> list[tuple[str, str, str]]:
    """(source, row key, text) of every customer text found under ``data``."""
    csv.field_size_limit(sys.maxsize)
    out: list[tuple[str, str, str]] = []
    files = (
        ("amazon", "marc_fr_amazon_reviews/train_pool.csv", "marc_train_index"),
        ("insurance", "fr_insurance_reviews/train.csv", "review_id"),
        ("tweets", "free_telecom_tweets_unlabelled/tweets.csv", "tweet_id"),
    )
    for source, name, key in files:
        path = data / name
        if not path.exists():
            continue
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                if row.get("is_brand_account") == "True" or not row["text"].strip():
                    continue
                out.append((source, row[key], row["text"]))
    semeval = data / "semeval16_fr_restaurants" / "train_reviews.jsonl"
    if semeval.exists():
        for line in semeval.open(encoding="utf-8"):
            if line.strip():
                row = json.loads(line)
                out.append(("restaurants", str(row["review_id"]), row["text"]))
    return out


def sample(per_behaviour: int) -> list[dict[str, Any]]:
    """Every detection over the real texts, then up to ``per_behaviour`` of each (seed 0)."""
    from pouls_analysis.behaviours import ServiceBehaviourDetector

    rows = _texts()
    detector = ServiceBehaviourDetector(random_state=0).fit([])
    found = detector.detect([text for _, _, text in rows])
    by_behaviour: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for (source, key, text), matches in zip(rows, found, strict=True):
        for match in matches:
            by_behaviour[match.behaviour].append(
                {
                    "source": source,
                    "key": key,
                    "behaviour": match.behaviour,
                    "cue": match.cue,
                    "evidence": match.evidence,
                    "text": text,
                }
            )
    picked: list[dict[str, Any]] = []
    for behaviour in sorted(by_behaviour):
        items = by_behaviour[behaviour]
        chosen = random.Random(0).sample(items, min(per_behaviour, len(items)))
        for item in chosen:
            item["detections_of_behaviour"] = len(items)
        picked.extend(chosen)
    print(
        f"{len(rows)} texts, detections per behaviour: "
        + ", ".join(f"{b} {len(v)}" for b, v in sorted(by_behaviour.items())),
        file=sys.stderr,
    )
    return picked


def _tally(verdicts: list[tuple[str, str]]) -> dict[str, Any]:
    """Counts of each verdict and precision (right / checked) per behaviour and overall."""
    totals: dict[str, Counter[str]] = defaultdict(Counter)
    for behaviour, verdict in verdicts:
        totals[behaviour][verdict] += 1
        totals["all"][verdict] += 1
    out: dict[str, Any] = {}
    for behaviour in sorted(totals, key=lambda b: (b == "all", b)):
        counts = totals[behaviour]
        checked = sum(counts.values())
        out[behaviour] = {
            "checked": checked,
            **{k: counts[k] for k in ("right", "doubtful", "wrong", "unchecked")},
            "precision": round(100 * counts["right"] / checked, 1) if checked else None,
        }
    return out


def score(picked: list[dict[str, Any]]) -> dict[str, Any]:
    """Precision from the verdicts file, joined on (source, key, behaviour).

    ``checked_sample`` tallies every verdict (the detections as they were when read);
    ``current_detections`` tallies the detections the current rules make on the same texts
    (a detection without a verdict is ``unchecked``), and ``no_longer_detected`` the read
    detections the current rules no longer make.
    """
    with VERDICTS.open(encoding="utf-8", newline="") as handle:
        verdicts = {
            (r["source"], r["key"], r["behaviour"]): r["verdict"] for r in csv.DictReader(handle)
        }
    drawn = {(p["source"], p["key"], p["behaviour"]) for p in picked}
    return {
        "checked_sample": _tally([(k[2], v) for k, v in verdicts.items()]),
        "current_detections": _tally([(k[2], verdicts.get(k, "unchecked")) for k in drawn]),
        "no_longer_detected": _tally([(k[2], v) for k, v in verdicts.items() if k not in drawn]),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-behaviour", type=int, default=30)
    parser.add_argument(
        "--out", type=Path, default=None, help="Write the sample here (JSON Lines)."
    )
    parser.add_argument("--score", action="store_true", help="Precision from the verdicts file.")
    args = parser.parse_args()
    if not DATA.exists():
        print(f"No data under {DATA}: skipped.")
        return
    picked = sample(args.per_behaviour)
    if args.out is not None:
        with args.out.open("w", encoding="utf-8") as handle:
            for item in picked:
                handle.write(json.dumps(item, ensure_ascii=False) + "\n")
        print(f"{len(picked)} detections written to {args.out}", file=sys.stderr)
    if args.score:
        print(json.dumps(score(picked), indent=2))


if __name__ == "__main__":
    main()
