"""An independent real-text measure of the behaviour detector: a sample read and labelled by hand.

The first hand check (``behaviours_sample.py``) read only texts the detector flagged, and the
rules were then changed while looking at them. This sample is drawn WITHOUT the detector:

1. pool: the negative customer texts of ``../shared/data`` that name a contact with someone
   serving (``SERVICE_CONTACT`` below: conseiller, vendeur, serveur, service client, agence,
   téléphone, livreur, accueil, personnel...), 40 to 1,500 characters long:
   insurance reviews with 1-2 stars, Amazon.fr reviews with 1-2 stars, Free tweets not from a
   brand account and not retweets (no rating: all kept), SemEval restaurant reviews with at
   least one negative opinion;
2. draw ``QUOTA`` texts per source with ``random.Random(SEED)`` (the filter and the quotas
   were written before any text was read and without running the detector);
3. split: ``dev`` when the first byte of sha1("source:key") is even, else ``test``.

Each drawn text was read and labelled by hand with the behaviours of seed 004 it reports of
someone serving (most have none) BEFORE the detector was run on it. The labels are kept
without any text in ``benchmarks/behaviours_realsample.csv`` (source, key, split, labels ';'
separated, empty for none, and a short note in English for the positives). A few texts
also had a detection read in the first check (``in_first_check`` in the ``--score`` output).

A second wave (``draw_blind``, split ``blind``, 157 texts) was drawn, read and labelled after
the rules had been changed on the ``dev`` errors and frozen; it is scored with the rest.
Round 2 drew a fresh ``dev2`` (``draw_dev2``, 250 texts) labelled before the detector ran
on it, changed the rules on ``dev`` + ``dev2``, then drew ``blind2`` (``draw_blind2``, 100
texts) after freezing them (docs/behaviours.md, section 3b). Round 3 relabelled every text
under ../shared/BEHAVIOURS.md before the rules were reworked by it, then drew ``blind3``
(``draw_blind3``, 100 texts) after freezing them (section 0). ``--agreement`` computes Cohen's
kappa against a second annotator's CSV (source, key, labels) on the texts both labelled.

    python -m benchmarks.behaviours_realsample --out /tmp/real_sample.jsonl    # texts to read
    python -m benchmarks.behaviours_realsample --out /tmp/real_blind.jsonl --blind  # wave 2
    python -m benchmarks.behaviours_realsample --out /tmp/real_dev2.jsonl --dev2    # round 2
    python -m benchmarks.behaviours_realsample --out /tmp/real_blind2.jsonl --blind2
    python -m benchmarks.behaviours_realsample --out /tmp/real_blind3.jsonl --blind3
    python -m benchmarks.behaviours_realsample --agreement ../annot2/labels.csv  # kappa
    python -m benchmarks.behaviours_realsample --score                        # P / R per split
    python -m benchmarks.behaviours_realsample --score --definitions OLD.yaml # other rules
    python -m benchmarks.behaviours_realsample --speed [--definitions OLD.yaml]  # texts/s
    python -m benchmarks.behaviours_realsample --errors dev --out /tmp/dev_errors.jsonl
    python -m benchmarks.behaviours_realsample --export /tmp/real_sample.csv  # for
        # pouls evaluate behaviours --data /tmp/real_sample.csv

The data stay outside the repository (evaluation only); without them the script says so and
stops.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import random
import re
import sys
import time
import unicodedata
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from benchmarks.behaviours_sample import DATA, texts_under

LABELS = Path(__file__).resolve().parent / "behaviours_realsample.csv"
FIRST_CHECK = Path(__file__).resolve().parent / "behaviours_handcheck.csv"
SEED = 20261130
QUOTA = {"insurance": 110, "amazon": 70, "tweets": 60, "restaurants": 60}
# The second wave takes what is left of the insurance and restaurant pools (their texts name
# staff most often) and a few more tweets and Amazon reviews.
BLIND_QUOTA = {"insurance": 50, "amazon": 20, "tweets": 30, "restaurants": 70}
# Round 2 (``draw_dev2``): the 1-3-star insurance and the restaurant pools are used up, so the
# fresh dev sample takes Amazon reviews and tweets from what is left, plus 4-5-star insurance
# reviews of the same kind (praise of staff: hard negatives, and insurers' staff are the
# likeliest to be described).
DEV2_QUOTA = {"insurance": 50, "amazon": 100, "tweets": 100, "restaurants": 0}
# Round 2's blind wave (``draw_blind2``), drawn after the round-2 rules were frozen.
BLIND2_QUOTA = {"insurance": 20, "amazon": 30, "tweets": 50, "restaurants": 0}
# Round 3's blind wave (``draw_blind3``), drawn after the rules were reworked by the guide
# (../shared/BEHAVIOURS.md) and frozen: what the pools have left.
BLIND3_QUOTA = {"insurance": 20, "amazon": 40, "tweets": 40, "restaurants": 0}
MIN_CHARS, MAX_CHARS = 40, 1500
# Someone serving, or a contact with a service, named in the (folded) text.
SERVICE_CONTACT = re.compile(
    r"\b(?:conseill(?:er|ere)s?|vendeu(?:r|se)s?|serveu(?:r|se)s?|service client\w*|"
    r"service apres[- ]vente|sav|agences?|telephon\w*|au tel|livreu(?:r|se)s?|hotline|"
    r"accueil\w*|personnel|employe(?:e)?s?|interlocut(?:eur|rice)s?|caissi(?:er|ere)s?|"
    r"standard(?:iste)?s?|guichet\w*|gestionnaires?|agents?|patron(?:ne)?|"
    r"(?:on|il|elle|ils|elles) (?:m'|nous )(?:a|ont) (?:dit|repondu|explique))\b"
)


def fold(text: str) -> str:
    """Lower case without accents, typographic apostrophes made plain."""
    decomposed = unicodedata.normalize("NFKD", text.replace("’", "'"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def _csv_rows(name: str) -> Iterator[dict[str, str]]:
    path = DATA / name
    if path.exists():
        with path.open(encoding="utf-8", newline="") as handle:
            yield from csv.DictReader(handle)


def pool(insurance_stars: tuple[int, ...] = (1, 2)) -> dict[str, list[tuple[str, str]]]:
    """(row key, text) of the negative service-contact texts, per source, in file order."""
    csv.field_size_limit(sys.maxsize)
    out: dict[str, list[tuple[str, str]]] = {s: [] for s in QUOTA}
    for row in _csv_rows("fr_insurance_reviews/train.csv"):
        if int(row["stars"]) in insurance_stars:
            out["insurance"].append((row["review_id"], row["text"]))
    for row in _csv_rows("marc_fr_amazon_reviews/train_pool.csv"):
        if int(row["stars"]) <= 2:
            out["amazon"].append((row["marc_train_index"], row["text"]))
    for row in _csv_rows("free_telecom_tweets_unlabelled/tweets.csv"):
        if row["is_brand_account"] != "True" and row["is_retweet"] != "True":
            out["tweets"].append((row["tweet_id"], row["text"]))
    semeval = DATA / "semeval16_fr_restaurants" / "train_reviews.jsonl"
    if semeval.exists():
        for line in semeval.open(encoding="utf-8"):
            if line.strip():
                review = json.loads(line)
                if any(o.get("polarity") == "negative" for o in review.get("opinions", [])):
                    out["restaurants"].append((str(review["review_id"]), review["text"]))
    return {
        source: [
            (key, text)
            for key, text in rows
            if MIN_CHARS <= len(text.strip()) <= MAX_CHARS and SERVICE_CONTACT.search(fold(text))
        ]
        for source, rows in out.items()
    }


def split_of(source: str, key: str) -> str:
    """``dev`` or ``test``, from a hash of the row key (stable, independent of the text)."""
    return "dev" if hashlib.sha1(f"{source}:{key}".encode()).digest()[0] % 2 == 0 else "test"


def draw() -> list[dict[str, str]]:
    """The sample: QUOTA texts per source drawn with SEED, with their split."""
    picked: list[dict[str, str]] = []
    rng = random.Random(SEED)
    for source, rows in pool().items():
        chosen = rng.sample(rows, min(QUOTA[source], len(rows)))
        for key, text in chosen:
            picked.append(
                {"source": source, "key": key, "split": split_of(source, key), "text": text}
            )
    return picked


def draw_blind() -> list[dict[str, str]]:
    """Second wave, read after the rules were frozen: ``BLIND_QUOTA`` texts per source drawn
    with SEED + 1 from the pool minus the first wave, plus every 3-star insurance review of
    the pool's kind; split ``blind``."""
    first = {(r["source"], r["key"]) for r in draw()}
    rest = pool()
    rest["insurance"] += pool(insurance_stars=(3,))["insurance"]
    picked: list[dict[str, str]] = []
    rng = random.Random(SEED + 1)
    for source, rows in rest.items():
        left = [(k, t) for k, t in rows if (source, k) not in first]
        for key, text in rng.sample(left, min(BLIND_QUOTA[source], len(left))):
            picked.append({"source": source, "key": key, "split": "blind", "text": text})
    return picked


def draw_dev2() -> list[dict[str, str]]:
    """Round 2's fresh dev sample (split ``dev2``), drawn with SEED + 2 from the pool minus the
    two first waves; insurance from the 4-5-star reviews of the pool's kind (``DEV2_QUOTA``).
    Labelled by reading before the detector ran on it; the rules of round 2 were tuned on
    ``dev`` and ``dev2`` only."""
    seen = {(r["source"], r["key"]) for r in draw() + draw_blind()}
    rest = pool()
    rest["insurance"] = pool(insurance_stars=(4, 5))["insurance"]
    picked: list[dict[str, str]] = []
    rng = random.Random(SEED + 2)
    for source, rows in rest.items():
        left = [(k, t) for k, t in rows if (source, k) not in seen]
        for key, text in rng.sample(left, min(DEV2_QUOTA[source], len(left))):
            picked.append({"source": source, "key": key, "split": "dev2", "text": text})
    return picked


def draw_blind2() -> list[dict[str, str]]:
    """Round 2's blind wave (split ``blind2``): ``BLIND2_QUOTA`` texts drawn with SEED + 3 from
    what ``draw_dev2`` left (same pools), read and labelled after the round-2 rules were
    frozen and before they ran on it."""
    seen = {(r["source"], r["key"]) for r in draw() + draw_blind() + draw_dev2()}
    rest = pool()
    rest["insurance"] = pool(insurance_stars=(4, 5))["insurance"]
    picked: list[dict[str, str]] = []
    rng = random.Random(SEED + 3)
    for source, rows in rest.items():
        left = [(k, t) for k, t in rows if (source, k) not in seen]
        for key, text in rng.sample(left, min(BLIND2_QUOTA[source], len(left))):
            picked.append({"source": source, "key": key, "split": "blind2", "text": text})
    return picked


def draw_blind3() -> list[dict[str, str]]:
    """Round 3's blind wave (split ``blind3``): ``BLIND3_QUOTA`` texts drawn with SEED + 4 from
    what the earlier waves left (Amazon 1-2 stars, tweets, insurance 4-5 stars), read and
    labelled under ../shared/BEHAVIOURS.md after the round-3 rules were frozen and before they
    ran on it (docs/behaviours.md, section 3c)."""
    seen = {(r["source"], r["key"]) for r in draw() + draw_blind() + draw_dev2() + draw_blind2()}
    rest = pool()
    rest["insurance"] = pool(insurance_stars=(4, 5))["insurance"]
    picked: list[dict[str, str]] = []
    rng = random.Random(SEED + 4)
    for source, rows in rest.items():
        left = [(k, t) for k, t in rows if (source, k) not in seen]
        for key, text in rng.sample(left, min(BLIND3_QUOTA[source], len(left))):
            picked.append({"source": source, "key": key, "split": "blind3", "text": text})
    return picked


SEEN_NOTE = "read in the round-2 precision check"
SEEN_NOTE_3 = "read in the round-3 precision check"


def seen_in_precision_check(note: str = SEEN_NOTE) -> set[tuple[str, str]]:
    """Labelled texts of which a detection was read while the rules of a round were checked on
    texts outside the held-out splits (their note says so): not blind for those rules."""
    with LABELS.open(encoding="utf-8", newline="") as handle:
        return {(r["source"], r["key"]) for r in csv.DictReader(handle) if note in r["note"]}


def read_labels() -> dict[tuple[str, str], tuple[str, ...]]:
    """Hand labels by (source, key); labels separated by ';' (empty: no behaviour)."""
    with LABELS.open(encoding="utf-8", newline="") as handle:
        return {
            (r["source"], r["key"]): tuple(x for x in r["labels"].split(";") if x)
            for r in csv.DictReader(handle)
        }


def _prf(tp: int, fp: int, fn: int) -> dict[str, Any]:
    from pouls_analysis.behaviours.evaluate import wilson_interval

    return {
        "support": tp + fn,
        "predicted": tp + fp,
        "right": tp,
        "precision": round(tp / (tp + fp), 3) if tp + fp else None,
        "precision_ci95": wilson_interval(tp, tp + fp),
        "recall": round(tp / (tp + fn), 3) if tp + fn else None,
        "recall_ci95": wilson_interval(tp, tp + fn),
    }


def labelled_sample(definitions: Path | None = None) -> tuple[list[dict[str, Any]], list[str]]:
    """The drawn texts that have a hand label, with their detections, and the behaviour ids."""
    from pouls_analysis.behaviours import ServiceBehaviourDetector

    labels = read_labels()
    rows: list[dict[str, Any]] = [
        dict(r)
        for r in draw() + draw_blind() + draw_dev2() + draw_blind2() + draw_blind3()
        if (r["source"], r["key"]) in labels
    ]
    detector = ServiceBehaviourDetector(definitions=definitions).fit([])
    found = detector.detect([r["text"] for r in rows])
    for row, matches in zip(rows, found, strict=True):
        row["gold"] = labels[(row["source"], row["key"])]
        row["found"] = {m.behaviour: f"{m.cue}: {m.evidence}" for m in matches}
    return rows, list(detector.classes_)


def first_check_keys() -> set[tuple[str, str]]:
    """Texts whose detections were read in the first hand check (the rules were tuned on them)."""
    with FIRST_CHECK.open(encoding="utf-8", newline="") as handle:
        return {(r["source"], r["key"]) for r in csv.DictReader(handle)}


def score(rows: list[dict[str, Any]], classes: list[str]) -> dict[str, Any]:
    """Precision and recall per behaviour and pooled: per split, over dev + test (``all``) and
    over the splits never tuned on: test + blind (``held_out``), and with round 2's blind wave
    minus the texts seen in its precision check (``blind2_unseen``, ``held_out_2``), and
    round 3's (``blind3``, ``blind3_unseen``). ``held_out_3`` is the round-3 headline: test,
    blind, blind2 and blind3, minus the blind2 and blind3 texts of which a precision check
    read a detection. Counts come with 95 % Wilson intervals.

    ``in_first_check`` counts the texts of which the first hand check read a detection (the
    rules were changed while looking at those)."""
    seen = first_check_keys()
    checked = seen_in_precision_check()
    checked3 = seen_in_precision_check(SEEN_NOTE_3)

    def unseen(r: dict[str, Any]) -> bool:
        key = (r["source"], r["key"])
        return r["split"] in ("test", "blind") or (
            r["split"] in ("blind2", "blind3") and key not in checked and key not in checked3
        )

    parts = {
        "dev": [r for r in rows if r["split"] == "dev"],
        "test": [r for r in rows if r["split"] == "test"],
        "blind": [r for r in rows if r["split"] == "blind"],
        "dev2": [r for r in rows if r["split"] == "dev2"],
        "blind2": [r for r in rows if r["split"] == "blind2"],
        "blind2_unseen": [
            r for r in rows if r["split"] == "blind2" and (r["source"], r["key"]) not in checked
        ],
        "all": [r for r in rows if r["split"] in ("dev", "test")],
        "held_out": [r for r in rows if r["split"] in ("test", "blind")],
        "held_out_2": [
            r
            for r in rows
            if r["split"] in ("test", "blind")
            or (r["split"] == "blind2" and (r["source"], r["key"]) not in checked)
        ],
        "blind3": [r for r in rows if r["split"] == "blind3"],
        "blind3_unseen": [
            r for r in rows if r["split"] == "blind3" and (r["source"], r["key"]) not in checked3
        ],
        "held_out_3": [r for r in rows if unseen(r)],
    }
    out: dict[str, Any] = {}
    for split, part in parts.items():
        out[split] = score_part(part, classes)
        out[split]["in_first_check"] = sum((r["source"], r["key"]) in seen for r in part)
    return out


def score_part(part: list[dict[str, Any]], classes: list[str]) -> dict[str, Any]:
    """Precision and recall per behaviour and pooled of rows holding ``gold`` and ``found``."""
    per: dict[str, Any] = {}
    total = [0, 0, 0]
    for behaviour in classes:
        tp = sum(behaviour in r["gold"] and behaviour in r["found"] for r in part)
        fp = sum(behaviour not in r["gold"] and behaviour in r["found"] for r in part)
        fn = sum(behaviour in r["gold"] and behaviour not in r["found"] for r in part)
        per[behaviour] = _prf(tp, fp, fn)
        total = [total[0] + tp, total[1] + fp, total[2] + fn]
    return {
        "texts": len(part),
        "texts_with_a_behaviour": sum(bool(r["gold"]) for r in part),
        "per_behaviour": per,
        "micro": _prf(*total),
    }


def read_other_labels(path: Path) -> dict[tuple[str, str], tuple[str, ...]]:
    """A second annotator's labels: CSV with columns source, key, labels (behaviour ids
    separated by ';', empty for none). An unknown id stops with the line that holds it."""
    from pouls_analysis.behaviours import BEHAVIOUR_IDS

    out: dict[tuple[str, str], tuple[str, ...]] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            labels = tuple(x.strip() for x in (row.get("labels") or "").split(";") if x.strip())
            unknown = [x for x in labels if x not in BEHAVIOUR_IDS]
            if unknown:
                raise SystemExit(f"{path}:{line}: unknown behaviour {unknown[0]!r}")
            out[(row["source"], row["key"])] = labels
    return out


def agreement(other_path: Path, definitions: Path | None = None) -> dict[str, Any]:
    """Cohen's kappa between this sample's labels and a second, independent annotator's on the
    texts both labelled: per behaviour (present or not in a text), for "any behaviour", and
    pooled over every (text, behaviour) decision; with the four counts behind each. Also
    the rules scored against each annotator on those texts (Wilson intervals)."""
    from pouls_analysis.behaviours import BEHAVIOUR_IDS
    from pouls_analysis.behaviours.evaluate import cohen_kappa

    mine, theirs = read_labels(), read_other_labels(other_path)
    shared = sorted(set(mine) & set(theirs))
    splits = {r["source"] + ":" + r["key"]: r["split"] for r in _label_rows()}

    def block(a: list[bool], b: list[bool]) -> dict[str, Any]:
        return {
            "kappa": cohen_kappa(a, b),
            "agreement": round(sum(x == y for x, y in zip(a, b, strict=True)) / len(a), 3)
            if a
            else None,
            "both": sum(x and y for x, y in zip(a, b, strict=True)),
            "only_first": sum(x and not y for x, y in zip(a, b, strict=True)),
            "only_second": sum(y and not x for x, y in zip(a, b, strict=True)),
            "neither": sum(not x and not y for x, y in zip(a, b, strict=True)),
        }

    out: dict[str, Any] = {
        "second_annotator": str(other_path),
        "texts_labelled_by_both": len(shared),
        "splits_of_shared_texts": dict(
            sorted(Counter(splits.get(f"{s}:{k}", "?") for s, k in shared).items())
        ),
        "per_behaviour": {
            b: block([b in mine[k] for k in shared], [b in theirs[k] for k in shared])
            for b in BEHAVIOUR_IDS
        },
        "any_behaviour": block([bool(mine[k]) for k in shared], [bool(theirs[k]) for k in shared]),
        "pooled": block(
            [b in mine[k] for k in shared for b in BEHAVIOUR_IDS],
            [b in theirs[k] for k in shared for b in BEHAVIOUR_IDS],
        ),
    }
    rows, classes = labelled_sample(definitions)
    keyed = {(r["source"], r["key"]): r for r in rows}
    for name, gold in (("rules_vs_first", mine), ("rules_vs_second", theirs)):
        part = [dict(keyed[k], gold=gold[k]) for k in shared if k in keyed]
        out[name] = score_part(part, classes)
    return out


def _label_rows() -> list[dict[str, str]]:
    with LABELS.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def speed(definitions: Path | None = None, repeats: int = 9) -> dict[str, Any]:
    """Texts/s of the shipped rules over every customer text of the data (best of ``repeats``).

    With ``definitions``, those rules are timed too, alternating with the shipped ones, and
    the median of the per-round time ratios (shipped / given) is reported: on a shared
    machine the load moves between rounds, and a ratio within one round moves less.
    """
    from benchmarks._machine import describe
    from pouls_analysis.behaviours import ServiceBehaviourDetector

    texts = [text for _, _, text in texts_under(DATA)]
    shipped = ServiceBehaviourDetector().fit([])
    other = ServiceBehaviourDetector(definitions=definitions).fit([]) if definitions else None
    times: dict[str, list[float]] = {"shipped": [], "given": []}
    for _ in range(repeats):
        for name, detector in (("given", other), ("shipped", shipped)):
            if detector is not None:
                started = time.perf_counter()
                detector.predict(texts)
                times[name].append(time.perf_counter() - started)
    out: dict[str, Any] = {
        "texts": len(texts),
        "texts_per_second": round(len(texts) / min(times["shipped"])),
    }
    if other is not None:
        ratios = sorted(a / b for a, b in zip(times["shipped"], times["given"], strict=True))
        out["given_texts_per_second"] = round(len(texts) / min(times["given"]))
        out["median_time_ratio_shipped_over_given"] = round(ratios[len(ratios) // 2], 3)
    out["machine"] = describe()
    out["load_average"] = [round(x, 2) for x in os.getloadavg()]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--out", type=Path, help="Write texts (JSON Lines) here, to read.")
    parser.add_argument("--score", action="store_true", help="Precision and recall per split.")
    parser.add_argument(
        "--errors",
        choices=("dev", "dev2", "test", "blind", "blind2", "blind3"),
        help="With --out: errors of a split.",
    )
    parser.add_argument("--blind", action="store_true", help="With --out: the second wave.")
    parser.add_argument("--dev2", action="store_true", help="With --out: round 2's dev sample.")
    parser.add_argument("--blind2", action="store_true", help="With --out: round 2's blind wave.")
    parser.add_argument("--blind3", action="store_true", help="With --out: round 3's blind wave.")
    parser.add_argument(
        "--agreement",
        type=Path,
        help="Cohen's kappa against a second annotator's CSV (source,key,labels).",
    )
    parser.add_argument(
        "--speed", action="store_true", help="Texts/s of the rules over every real text."
    )
    parser.add_argument(
        "--definitions", type=Path, help="Score these rules (YAML) instead of the shipped ones."
    )
    parser.add_argument("--export", type=Path, help="Write text;labels;split CSV for evaluate.")
    args = parser.parse_args()
    if not DATA.exists():
        print(f"No data under {DATA}: skipped.")
        return
    if args.out is not None and args.errors is None:
        if args.blind3:
            picked = draw_blind3()
        elif args.blind2:
            picked = draw_blind2()
        else:
            picked = draw_dev2() if args.dev2 else draw_blind() if args.blind else draw()
        sizes = {s: len(v) for s, v in pool().items()}
        with args.out.open("w", encoding="utf-8") as handle:
            for item in picked:
                handle.write(json.dumps(item, ensure_ascii=False) + "\n")
        print(f"pool sizes {sizes}; {len(picked)} texts written to {args.out}", file=sys.stderr)
    if args.speed:
        print(json.dumps(speed(args.definitions)))
    if args.agreement is not None:
        print(json.dumps(agreement(args.agreement, args.definitions), indent=2))
    if args.score or args.errors or args.export:
        rows, classes = labelled_sample(args.definitions)
        if args.score:
            print(json.dumps(score(rows, classes), indent=2))
        if args.errors and args.out is not None:
            with args.out.open("w", encoding="utf-8") as handle:
                for r in rows:
                    if r["split"] == args.errors and set(r["gold"]) != set(r["found"]):
                        handle.write(json.dumps(r, ensure_ascii=False) + "\n")
        if args.export is not None:
            with args.export.open("w", encoding="utf-8", newline="") as handle:
                writer = csv.writer(handle, delimiter=";")
                writer.writerow(["id", "split", "text", "labels"])
                checked = seen_in_precision_check() | seen_in_precision_check(SEEN_NOTE_3)
                for r in rows:
                    # blind texts of which a precision check read a detection are not blind:
                    # "seen_*" splits are left out of the evaluate command's held-out pool.
                    split = r["split"]
                    if split in ("blind2", "blind3") and (r["source"], r["key"]) in checked:
                        split = f"seen_{split}"
                    writer.writerow(
                        [f"{r['source']}:{r['key']}", split, r["text"], "|".join(r["gold"])]
                    )


if __name__ == "__main__":
    main()
