"""How much a few hundred analyst corrections improve the theme model (a learning curve).

Issue 4 promises that an organisation "corrects a few hundred assignments and the model
improves". This measures it on the SemEval-2016 French restaurant reviews of ../shared/data
(evaluation only, never shipped): 5 folds grouped by review; in each fold the theme model
(``ThemeModel`` with the shipped ``restaurants_fr`` taxonomy) is fitted on ``k`` sentences drawn
at random (seed 0) from the training folds and scored on the test fold with Slot 1 F1 (the
official scorer's micro F1 over (sentence, category) pairs), for two ways of correcting:

- **complete**: the analyst gives each of the ``k`` sentences its full list of themes (adds the
  missing ones, removes the wrong ones): a complete label list;
- **review**: the analyst only accepts or rejects the themes the zero-shot model assigned
  (``{theme: True/False}``), a partial label; missed themes stay unknown.

``k = 0`` is the zero-shot model. A theme gets a learned classifier once it has
``min_labels`` (8) labels of both kinds; other themes stay zero-shot, so small ``k`` cannot do
worse than zero-shot on the themes it has not learned. Unlike ``pouls evaluate absa --cv``,
predictions are not restricted to the categories seen in training (the product does not
restrict them either).

Usage: python -m benchmarks.theme_corrections [--sizes 50,100,200,400,0] [--folds 5]
(``0`` in --sizes means zero-shot; ``all`` every training sentence.)
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from pathlib import Path
from typing import Any

from benchmarks._machine import describe

GOLD = (
    Path(__file__).resolve().parents[2]
    / "shared/data/semeval16_fr_restaurants/raw/ABSA16FR_Restaurants_Train-withcontent.xml"
)


def _run(sizes: list[int | None], folds: int) -> dict[tuple[str, int | None], list[float]]:
    from sklearn.model_selection import GroupKFold

    from pouls.commands.absa import read_semeval, slot1_scores
    from pouls_analysis.themes.model import ThemeModel
    from pouls_analysis.themes.taxonomy import load_taxonomy

    sentences = read_semeval(GOLD)
    theme_of = load_taxonomy("restaurants_fr").by_alias()
    category_of = {theme: category for category, theme in theme_of.items()}
    gold_themes = [
        {theme_of[o.category] for o in s.opinions if o.category in theme_of} for s in sentences
    ]
    zero_shot = ThemeModel(taxonomy="restaurants_fr", random_state=0).fit([])
    assigned = [set(found) for found in zero_shot.predict([s.text for s in sentences])]
    scores: dict[tuple[str, int | None], list[float]] = {}
    splitter = GroupKFold(n_splits=folds)
    for train_idx, test_idx in splitter.split(sentences, groups=[s.review for s in sentences]):
        test_gold = [{o.category for o in sentences[i].opinions} for i in test_idx]
        test_texts = [sentences[i].text for i in test_idx]
        pool = train_idx.tolist()
        random.Random(0).shuffle(pool)
        for size in sizes:
            for mode in ("complete", "review") if size != 0 else ("zero-shot",):
                chosen = pool if size is None else pool[:size]
                labels: list[Any] = [
                    sorted(gold_themes[i])
                    if mode == "complete"
                    else {t: t in gold_themes[i] for t in assigned[i]}
                    for i in chosen
                ]
                model = ThemeModel(taxonomy="restaurants_fr", random_state=0)
                if size == 0:
                    model = zero_shot
                else:
                    model.fit([sentences[i].text for i in chosen], labels)
                predicted = [
                    {category_of[t] for t in found if t in category_of}
                    for found in model.predict(test_texts)
                ]
                scores.setdefault((mode, size), []).append(slot1_scores(test_gold, predicted)["f1"])
    return scores


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="0,50,100,200,400,all")
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args()
    if not GOLD.exists():
        print(f"No SemEval file at {GOLD}: the learning curve needs ../shared/data; skipped.")
        return
    sizes: list[int | None] = [
        None if s.strip() == "all" else int(s) for s in args.sizes.split(",")
    ]
    print(describe())
    started = time.perf_counter()
    scores = _run(sizes, args.folds)
    print(f"Slot 1 F1 (%), {args.folds} folds grouped by review, mean over folds (min-max):")
    print(f"{'labelled sentences':>20}  {'complete labels':>22}  {'review (accept/reject)':>24}")
    for size in sizes:
        name = "all" if size is None else str(size)
        cells = []
        for mode in ("complete", "review") if size != 0 else ("zero-shot", "zero-shot"):
            f1 = scores[(mode, size)]
            cells.append(f"{statistics.mean(f1):.2f} ({min(f1):.1f}-{max(f1):.1f})")
        print(f"{name:>20}  {cells[0]:>22}  {cells[1]:>24}")
    print(f"{time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
