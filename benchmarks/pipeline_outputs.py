"""Equality check of the analysis outputs between two versions of the code.

Runs ``AnalysisPipeline(random_state=0)`` (language, sentiment with evidence, themes with
confidence, span and polarity, service behaviours) and the stand-alone zero-shot
``ThemeModel().annotate`` on a fixed corpus, and either saves every output (``--save``) or
compares them with a saved file (``--against``), text by text, field by field. The corpus:

- demo texts: customer answers (each planted behaviour and theme included), e-mails and
  field reports from the demo's grammar (``pouls.demo.verbatims``, fixed seed);
- the same demo texts after ``Pseudonymiser(use_ner=False)``, kept when it changed them (first
  names after a cue, phone numbers, e-mails...): they carry typed placeholders;
- every distinct real French text of ``../shared/data`` (when present; see
  ``benchmarks.analysis``), and those of them the pseudonymiser changes, masked.

Texts are only identified by their source and index: the script prints no text. A
difference in a text that holds a typed placeholder is expected from the rule "placeholders
are not words" (issue 19); any other difference is printed as a regression.

Usage::

    python -m benchmarks.pipeline_outputs --save /tmp/old.jsonl     # on the old commit
    python -m benchmarks.pipeline_outputs --against /tmp/old.jsonl  # on the new one

To run the old code without checking it out, extract it elsewhere and put it first on the
path: ``git archive OLD | tar -x -C /tmp/old`` then
``cd /tmp/old && PYTHONPATH=/tmp/old python $REPO/benchmarks/pipeline_outputs.py --save
/tmp/old.jsonl`` (the old tree's ``benchmarks.analysis`` gives the real texts).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import random
import re
import time
from collections import Counter
from pathlib import Path
from typing import Any

from benchmarks._machine import describe
from benchmarks.analysis import _sources

# Typed placeholders of the pseudonymiser ("[NOM]", "[TÉLÉPHONE]"...), written out here so
# that the script also runs on code older than the rule.
_PLACEHOLDER = re.compile(r"\[(?:EMAIL|TÉLÉPHONE|IBAN|CARTE|NIR|ADRESSE|NOM)\]")


def demo_texts(n: int = 6000, seed: int = 19) -> list[str]:
    """Texts of the demo grammar: customer answers, planted behaviours, e-mails, reports."""
    from pouls.demo import verbatims as grammar

    rng = random.Random(seed)
    out: list[str] = []
    for behaviour in grammar.BEHAVIOURS:
        for _ in range(40):
            made = grammar.make_customer_verbatim(
                rng, nps=rng.randrange(0, 7), behaviour=behaviour, seller_first_name="Kevin"
            )
            assert made is not None
            out.append(made.text)
    for theme in grammar.THEMES:
        for _ in range(20):
            made = grammar.make_customer_verbatim(rng, nps=rng.randrange(0, 11), forced_theme=theme)
            assert made is not None
            out.append(made.text)
    while len(out) < n:
        roll = rng.random()
        if roll < 0.1:
            out.append(grammar.make_email(rng, nps_like=rng.randrange(0, 11)).text)
        elif roll < 0.2:
            out.append(grammar.make_field_report(rng).text)
        else:
            first = rng.choice([None, "Kevin", "Sophie"])
            made = grammar.make_customer_verbatim(
                rng, nps=rng.randrange(0, 11), seller_first_name=first
            )
            if made is not None:
                out.append(made.text)
    return out[:n]


def corpus() -> list[tuple[str, str]]:
    """(source, text) pairs, in a fixed order."""
    from pouls_analysis.privacy import Pseudonymiser

    demo = demo_texts()
    real = sorted({t for texts in _sources().values() for t in texts})
    masker = Pseudonymiser(use_ner=False).fit()
    pairs: list[tuple[str, str]] = []
    for name, texts in (("demo", demo), ("real", real)):
        pairs += [(name, t) for t in texts]
        masked = masker.transform(texts)
        pairs += [(f"{name} masked", m) for t, m in zip(texts, masked, strict=True) if m != t]
    return pairs


def outputs(texts: list[str]) -> list[dict[str, Any]]:
    """Pipeline outputs and stand-alone theme annotations of each text, JSON-ready."""
    from pouls_analysis.pipeline import AnalysisPipeline
    from pouls_analysis.themes.model import ThemeModel

    pipeline = AnalysisPipeline(random_state=0).fit()
    analysed = pipeline.analyze(texts)
    themes = ThemeModel(random_state=0).fit([]).annotate(texts)
    return [
        {
            "pipeline": result.to_json(),
            "themes": [dataclasses.asdict(m) for m in annotated.mentions],
        }
        for result, annotated in zip(analysed, themes, strict=True)
    ]


def _differences(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    fields = []
    for part in ("pipeline", "themes"):
        if part == "themes":
            if old[part] != new[part]:
                fields.append("themes (stand-alone)")
            continue
        for key in old[part]:
            if old[part][key] != new[part].get(key):
                fields.append(key)
    return fields


def _theme_changes(old: list[dict[str, Any]] | None, new: list[dict[str, Any]] | None) -> list[str]:
    before = {m["theme"] for m in old or ()}
    after = {m["theme"] for m in new or ()}
    return [f"-{t}" for t in sorted(before - after)] + [f"+{t}" for t in sorted(after - before)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--save", type=Path, help="write the outputs to this JSON-lines file")
    group.add_argument("--against", type=Path, help="compare with a file written by --save")
    args = parser.parse_args()
    pairs = corpus()
    print(describe())
    sizes = Counter(source for source, _ in pairs)
    print(", ".join(f"{source} {count:,}" for source, count in sizes.items()))
    started = time.process_time()
    found = outputs([t for _, t in pairs])
    print(f"{len(pairs):,} texts analysed in {time.process_time() - started:.1f} s of CPU")
    if args.save:
        with args.save.open("w", encoding="utf-8") as handle:
            for (source, _), result in zip(pairs, found, strict=True):
                handle.write(json.dumps({"source": source, **result}) + "\n")
        print(f"saved to {args.save}")
        return
    with args.against.open(encoding="utf-8") as handle:
        saved = [json.loads(line) for line in handle]
    if len(saved) != len(pairs):
        raise SystemExit(f"{args.against} has {len(saved):,} texts, this corpus {len(pairs):,}.")
    expected: Counter[str] = Counter()
    regressions: Counter[str] = Counter()
    same: Counter[str] = Counter()
    examples: list[str] = []
    changes: Counter[str] = Counter()
    for index, ((source, text), old, new) in enumerate(zip(pairs, saved, found, strict=True)):
        fields = _differences(old, new)
        if not fields:
            same[source] += 1
        elif _PLACEHOLDER.search(text):
            expected[source] += 1
            expected.update(f"  {f}" for f in fields)
            changes.update(_theme_changes(old["pipeline"]["themes"], new["pipeline"]["themes"]))
        else:
            regressions[source] += 1
            if len(examples) < 20:
                examples.append(f"{source} #{index}: {', '.join(fields)}")
    print(f"identical: {sum(same.values()):,} ({dict(same)})")
    print(f"different, text with a typed placeholder (expected): {dict(expected)}")
    print(f"  themes gained (+) or lost (-) there: {dict(changes)}")
    print(f"different, no placeholder (regressions): {dict(regressions)}")
    for line in examples:
        print("  " + line)
    if regressions:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
