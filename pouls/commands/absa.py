"""``pouls evaluate absa``: aspect categories (Slot 1) and polarity (Slot 3) on SemEval-2016 XML.

Runs without Django. Slot 1 is scored as the official SemEval-2016 scorer does: per sentence,
the set of distinct gold categories against the set of predicted ones, micro precision, recall
and F1 over all in-scope sentences. Slot 3 is the accuracy of one polarity per gold opinion,
given its gold category and target.
"""

from __future__ import annotations

import json
import time
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click


@dataclass(frozen=True, slots=True)
class Opinion:
    category: str
    polarity: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Sentence:
    review: str
    text: str
    review_text: str
    opinions: tuple[Opinion, ...]
    # Where ``text`` starts in ``review_text`` (negative when leading spaces were dropped):
    # a span of the sentence is ``review_offset + start`` in the review.
    review_offset: int = 0


def read_semeval(path: Path) -> list[Sentence]:
    """Read the in-scope sentences of a SemEval-2016 ABSA XML file (text must be filled)."""
    try:
        root = ET.parse(path).getroot()
    except (ET.ParseError, OSError) as exc:
        raise click.ClickException(f"{path}: not a readable SemEval XML file ({exc}).") from exc
    sentences = []
    for review in root.iter("Review"):
        rid = review.get("rid", "")
        nodes = [s for s in review.iter("sentence") if s.get("OutOfScope") != "TRUE"]
        review_text = " ".join((s.findtext("text") or "").strip() for s in nodes)
        offset = 0
        for node in nodes:
            raw = node.findtext("text") or ""
            lead = len(raw) - len(raw.lstrip())
            opinions = tuple(
                Opinion(
                    # Upper case: files and taxonomies spell the same category differently
                    # ("FOOD#QUALITY", "Food#Quality"); the comparison is case-insensitive.
                    category=o.get("category", "").upper(),
                    polarity=o.get("polarity", ""),
                    start=int(o.get("from") or 0),
                    end=int(o.get("to") or 0),
                )
                for o in node.iter("Opinion")
            )
            sentences.append(Sentence(rid, raw, review_text, opinions, offset - lead))
            offset += len(raw.strip()) + 1
    if not sentences:
        raise click.ClickException(f"{path}: no <Review>/<sentence> elements found.")
    if not any(s.text.strip() for s in sentences):
        raise click.ClickException(
            f"{path}: every <text> is empty; fill the texts with the organisers' download tool."
        )
    return sentences


def _aliases(tax: Any) -> dict[str, str]:
    """The taxonomy's alias -> theme map with upper-case aliases (as read_semeval's)."""
    return {alias.upper(): theme for alias, theme in tax.by_alias().items()}


def slot1_scores(gold: Sequence[set[str]], predicted: Sequence[set[str]]) -> dict[str, float]:
    """Micro precision, recall and F1 over (sentence, category) pairs, in percent."""
    correct = sum(len(g & p) for g, p in zip(gold, predicted, strict=True))
    n_gold = sum(len(g) for g in gold)
    n_pred = sum(len(p) for p in predicted)
    precision = correct / n_pred if n_pred else 0.0
    recall = correct / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": round(100 * precision, 2),
        "recall": round(100 * recall, 2),
        "f1": round(100 * f1, 2),
        "gold_pairs": n_gold,
        "predicted_pairs": n_pred,
        "correct_pairs": correct,
    }


def evaluate_split(
    train: Sequence[Sentence] | None, test: Sequence[Sentence], taxonomy: str
) -> tuple[list[set[str]], list[bool]]:
    """Predicted categories per test sentence and, per gold opinion, whether polarity is right.

    Steps: load the taxonomy and map its themes to categories (aliases); fit the theme model
    (zero-shot without ``train``); predict categories; predict polarities of gold opinions
    (learned from ``train`` or read with the clause lexicon).
    """
    from pouls_analysis.themes.model import ThemeModel
    from pouls_analysis.themes.polarity import AspectPolarityModel
    from pouls_analysis.themes.taxonomy import TaxonomyError, load_taxonomy

    try:
        tax = load_taxonomy(taxonomy)
    except TaxonomyError as exc:
        raise click.ClickException(str(exc)) from exc
    if train is not None:
        tax = with_learned_themes(tax, train)
    theme_of = _aliases(tax)
    categories = {o.category for s in [*test, *(train or [])] for o in s.opinions}
    if train is not None and categories and not categories & set(theme_of):
        raise click.ClickException(
            f"taxonomy {tax.name!r} maps no theme to the file's categories "
            f"({', '.join(sorted(categories))}); give its themes these codes in 'aliases'."
        )
    # Zero-shot on another domain (no theme maps to any gold category) still scores Slot 3:
    # the clause lexicon reads polarity without categories; the report says Slot 1 cannot be.
    category_of = {v: k for k, v in theme_of.items()}
    if train is not None:
        # The training labels define the label space: a shipped theme whose category never
        # appears in them (another domain's prices, say) must not predict it.
        seen = {o.category for s in train for o in s.opinions}
        category_of = {t: c for t, c in category_of.items() if c in seen}
    model = ThemeModel(taxonomy=tax, random_state=0)
    if train is None:
        model.fit([])
    else:
        labels = [
            sorted({theme_of[o.category] for o in s.opinions if o.category in theme_of})
            for s in train
        ]
        model.fit([s.text for s in train], labels)
    predicted = [
        {category_of[t] for t in themes if t in category_of}
        for themes in model.predict([s.text for s in test])
    ]
    mentions = [(s, o) for s in test for o in s.opinions]
    if train is None:
        right = _lexicon_polarities(mentions)
    else:
        train_mentions = [(s, o) for s in train for o in s.opinions]
        polarity = AspectPolarityModel(preprocessor=model.preprocessor_, random_state=0).fit(
            [s.text for s, _ in train_mentions],
            [o.polarity for _, o in train_mentions],
            spans=[(o.start, o.end) for _, o in train_mentions],
            themes=[o.category for _, o in train_mentions],
            contexts=[s.review_text for s, _ in train_mentions],
        )
        guesses = polarity.predict(
            [s.text for s, _ in mentions],
            spans=[(o.start, o.end) for _, o in mentions],
            themes=[o.category for _, o in mentions],
            contexts=[s.review_text for s, _ in mentions],
        )
        right = [g == o.polarity for g, (_, o) in zip(guesses, mentions, strict=True)]
    return predicted, right


def with_learned_themes(tax: Any, train: Sequence[Sentence], n_lemmas: int = 8) -> Any:
    """Add a theme for each training category that no theme of ``tax`` has as an alias.

    An organisation (or another SemEval domain, such as museums) can bring categories the
    shipped taxonomy does not know; with labelled sentences we can still learn them. Each new
    theme is seeded with the lemmas whose document frequency is most raised in the category's
    sentences (smoothed log-odds, seen at least twice) and with up to five of its shortest
    sentences as examples; the supervised models then learn from the labels themselves.
    """
    import dataclasses
    import math
    import re

    from pouls_analysis.themes.lexical import LemmaAnalyzer
    from pouls_analysis.themes.taxonomy import Theme

    mapped = _aliases(tax)
    unmapped = sorted({o.category for s in train for o in s.opinions} - set(mapped))
    if not unmapped:
        return tax
    analyzer = LemmaAnalyzer()
    docs = analyzer.analyze([s.text for s in train])
    content = analyzer.is_content()
    lemma_sets = [{int(i) for i in doc.ids if content[i]} for doc in docs]
    known = {t.id for t in tax.themes}
    learned = []
    for category in unmapped:
        inside = [k for k, s in enumerate(train) if any(o.category == category for o in s.opinions)]
        inside_set = set(inside)
        df_in: dict[int, int] = {}
        df_out: dict[int, int] = {}
        for k, present in enumerate(lemma_sets):
            counts = df_in if k in inside_set else df_out
            for lemma in present:
                counts[lemma] = counts.get(lemma, 0) + 1
        n_in, n_out = len(inside), len(train) - len(inside)
        scored = sorted(
            (
                math.log((a + 0.5) / (n_in + 1)) - math.log((df_out.get(i, 0) + 0.5) / (n_out + 1)),
                analyzer.keys[i],
            )
            for i, a in df_in.items()
            if a >= 2
        )
        seeds = tuple(key for score, key in reversed(scored) if score > 0)[:n_lemmas]
        examples = tuple(sorted((train[k].text for k in inside), key=len)[:5])
        slug = re.sub(r"[^a-z0-9]+", "_", category.lower()).strip("_") or "category"
        theme_id = f"learned_{slug}"
        while theme_id in known:
            theme_id += "_"
        known.add(theme_id)
        learned.append(
            Theme(
                id=theme_id,
                label_fr=category,
                label_en=category,
                description=f"Learned from the training sentences labelled {category}.",
                parent=None,
                lemmas=seeds,
                examples=examples,
                aliases=(category,),
            )
        )
    return dataclasses.replace(tax, themes=(*tax.themes, *learned))


def _lexicon_polarities(mentions: Sequence[tuple[Sentence, Opinion]]) -> list[bool]:
    """Zero-shot polarity of each gold opinion, read by the lexicon on its whole review.

    The opinion's target is located in the review, so the reading can fall back from its
    clause to the neighbouring clauses, its sentence and then the rest of the review
    (``LexiconSentiment.span_polarities``); an opinion without a target (NULL) is read on
    its sentence.
    """
    from pouls_analysis.sentiment.lexicon import LexiconSentiment, label_of

    lexicon = LexiconSentiment().fit()
    by_review: dict[str, list[int]] = {}
    for k, (sentence, _) in enumerate(mentions):
        by_review.setdefault(sentence.review_text, []).append(k)
    texts = list(by_review)
    docs = lexicon.preprocessor_.transform(texts)
    right = [False] * len(mentions)
    for text, doc in zip(texts, docs, strict=True):
        indices = by_review[text]
        spans = [_review_span(*mentions[k]) for k in indices]
        for k, score in zip(indices, lexicon.span_polarities(doc, spans), strict=True):
            label = label_of(score, neutral_band=lexicon.neutral_band)
            right[k] = label == mentions[k][1].polarity
    return right


def _review_span(sentence: Sentence, opinion: Opinion) -> tuple[int, int]:
    if opinion.end > opinion.start:
        return sentence.review_offset + opinion.start, sentence.review_offset + opinion.end
    lead = len(sentence.text) - len(sentence.text.lstrip())
    start = sentence.review_offset + lead
    return start, start + len(sentence.text.strip())


def _report(
    gold: Sequence[Sentence], predicted: Sequence[set[str]], right: Sequence[bool]
) -> dict[str, Any]:
    return {
        "sentences": len(gold),
        "slot1": slot1_scores([{o.category for o in s.opinions} for s in gold], predicted),
        "slot3": {
            "accuracy": round(100 * sum(right) / len(right), 2) if right else 0.0,
            "opinions": len(right),
        },
    }


@click.command(name="absa")
@click.option(
    "--gold",
    "gold_path",
    required=True,
    type=click.Path(exists=True, path_type=Path),
    help="SemEval-2016 ABSA XML with gold opinions (texts filled).",
)
@click.option(
    "--train",
    "train_path",
    type=click.Path(exists=True, path_type=Path),
    default=None,
    help="SemEval XML to learn from; without it the taxonomy is used zero-shot.",
)
@click.option(
    "--taxonomy",
    default="restaurants_fr",
    show_default=True,
    help="Shipped taxonomy name or YAML path; themes map to categories via 'aliases'.",
)
@click.option(
    "--cv",
    "folds",
    type=int,
    default=0,
    help="Cross-validate on --gold with this many folds grouped by review "
    "(supervised; ignores --train).",
)
def absa(gold_path: Path, train_path: Path | None, taxonomy: str, folds: int) -> None:
    """Score aspect categories (Slot 1) and their polarity (Slot 3) on SemEval-2016 XML.

    Prints JSON. Without --train the default restaurants taxonomy runs zero-shot; with --train
    the theme and polarity models learn from that file; with --cv N the gold file is split in
    N folds by review and the figures pool every fold's predictions.

    Example: pouls evaluate absa --gold ABSA16FR_Restaurants_Train.xml --cv 5
    """
    from pouls_analysis.exceptions import AnalysisError

    started = time.perf_counter()
    gold = read_semeval(gold_path)
    train: list[Sentence] | None
    try:
        if folds:
            train = gold
            result = _cross_validate(gold, taxonomy, folds)
        else:
            train = read_semeval(train_path) if train_path else None
            predicted, right = evaluate_split(train, gold, taxonomy)
            mode = "supervised" if train else "zero-shot"
            result = {"mode": mode, **_report(gold, predicted, right)}
    except AnalysisError as exc:
        raise click.ClickException(str(exc)) from exc
    result["taxonomy"] = taxonomy
    result.update(_category_coverage(gold, train, taxonomy, folds))
    result["seconds"] = round(time.perf_counter() - started, 1)
    click.echo(json.dumps(result, indent=2, ensure_ascii=False))


def _category_coverage(
    gold: Sequence[Sentence], train: Sequence[Sentence] | None, taxonomy: str, folds: int
) -> dict[str, Any]:
    """Which gold categories the run could predict, and what it says when it could not.

    Zero-shot: categories no theme has as an alias (``unmapped_categories``); when that is
    all of them, Slot 1 is not scored (null, with a note) rather than reported as 0. With
    training data: categories learned because the taxonomy lacks them
    (``learned_categories``), and gold categories absent from the training labels, which no
    supervised run can predict (``unseen_categories``).
    """
    from pouls_analysis.themes.taxonomy import load_taxonomy

    mapped = set(_aliases(load_taxonomy(taxonomy)))
    in_gold = {o.category for s in gold for o in s.opinions}
    if train is None:
        out: dict[str, Any] = {"unmapped_categories": sorted(in_gold - mapped)}
        if in_gold and not in_gold & mapped:
            out["slot1"] = None
            out["slot1_note"] = (
                f"taxonomy {taxonomy!r} maps no theme to this file's categories: Slot 1 is "
                "not scored (give the themes these codes in 'aliases', or learn them with "
                "--train); Slot 3 reads polarity without categories."
            )
        return out
    in_train = {o.category for s in train for o in s.opinions}
    out = {"learned_categories": sorted(in_train - mapped)}
    if not folds:
        out["unseen_categories"] = sorted(in_gold - in_train)
    return out


def _cross_validate(gold: list[Sentence], taxonomy: str, folds: int) -> dict[str, Any]:
    if folds < 2:
        raise click.ClickException(f"--cv must be at least 2, got {folds}.")
    from sklearn.model_selection import GroupKFold

    groups = [s.review for s in gold]
    order: list[int] = []
    predicted: list[set[str]] = []
    right: list[bool] = []
    per_fold = []
    for train_idx, test_idx in GroupKFold(n_splits=folds).split(gold, groups=groups):
        test = [gold[i] for i in test_idx]
        fold_pred, fold_right = evaluate_split([gold[i] for i in train_idx], test, taxonomy)
        per_fold.append(_report(test, fold_pred, fold_right))
        order.extend(test_idx.tolist())
        predicted.extend(fold_pred)
        right.extend(fold_right)
    pooled = _report([gold[i] for i in order], predicted, right)
    return {
        "mode": f"{folds}-fold cross-validation by review",
        **pooled,
        "folds": [
            {"slot1_f1": f["slot1"]["f1"], "slot3_accuracy": f["slot3"]["accuracy"]}
            for f in per_fold
        ],
    }
