"""Compiled multi-pattern matching and one tokenisation (issue 19, item 4)."""

from __future__ import annotations

import json
import pickle
import re
from pathlib import Path

import numpy as np
import pytest

from pouls_analysis.exceptions import InvalidInputError
from pouls_analysis.matching import AVAILABLE_BACKENDS, BACKEND, SequenceMatcher
from pouls_analysis.pipeline import AnalysisPipeline
from pouls_analysis.text.preprocess import FrenchPreprocessor, PreprocessedText
from pouls_analysis.themes.lexical import LemmaAnalyzer
from pouls_analysis.themes.model import ThemeModel

DATA = Path(__file__).parent / "data"

# Texts where the preprocessor and the theme analyzer could cut words differently: URLs,
# e-mails, emoticons with letters or digits, "aujourd'hui" and "prud'hommes" glued to what
# follows, numbers after an emoticon, SMS spellings giving several tokens, placeholders.
EDGES = [
    ":3.5 sur 5, bof",
    "aujourd'huix le colis",
    "Aujourd’hui livraison",
    "prud'hommes12.5 euros",
    "écrivez à a@b.f1,5 svp",
    "❶abc le vendeur",
    "xD trop drôle 8)5",
    "voir www.x1.5y et http://a.b/c?d=1 2",
    "12www.x.com puis l'avis",
    "c nul j ai svp bcp attendu",
    "Super ! :-) <3 <33 ;) 😡😡",
    "1.5.6 et 1,5 € 3€",
    "[NOM]x au [TÉLÉPHONE]2",
    "qu'il jusqu'à lorsqu'on l’accueil",
    "",
    "!!!",
]


def _corpus() -> list[str]:
    """The project's own French test corpora and the edge cases above."""
    texts = []
    for path in sorted(DATA.glob("*.jsonl")):
        with path.open(encoding="utf-8") as handle:
            texts += [json.loads(line)["text"] for line in handle if line.strip()]
    return texts + EDGES


@pytest.fixture(scope="module")
def corpus_docs() -> tuple[list[str], list[PreprocessedText]]:
    texts = _corpus()
    return texts, FrenchPreprocessor(detect_language=False).fit().transform(texts)


def test_the_default_backend_is_the_fastest_installed() -> None:
    assert AVAILABLE_BACKENDS[0] == BACKEND
    assert AVAILABLE_BACKENDS[-1] == "python"


@pytest.mark.parametrize("backend", AVAILABLE_BACKENDS)
def test_every_backend_finds_every_occurrence(backend: str) -> None:
    rng = np.random.default_rng(0)
    sequences = [tuple(int(i) for i in rng.integers(0, 30, rng.integers(1, 4))) for _ in range(60)]
    # Duplicates, an empty sequence, ids around the surrogate range of str code points.
    sequences += [(5,), (5,), (), (0xD800,), (0xD7FF, 0xD800), (0,)]
    texts = [rng.integers(0, 30, rng.integers(0, 40)).astype(np.int64) for _ in range(500)]
    texts += [np.array([0xD7FF, 0xD800, 0xD800, 0]), np.array([], dtype=np.int64)]
    expected = sorted(
        (d, i, s)
        for d, text in enumerate(texts)
        for i in range(len(text))
        for s, sequence in enumerate(sequences)
        if sequence and tuple(text[i : i + len(sequence)].tolist()) == sequence
    )
    matcher = SequenceMatcher(sequences, backend=backend)
    assert sorted(matcher.find(texts)) == expected
    assert sorted(pickle.loads(pickle.dumps(matcher)).find(texts)) == expected
    assert SequenceMatcher([], backend=backend).find(texts) == []


def test_an_unknown_backend_is_refused() -> None:
    with pytest.raises(ValueError, match="not available"):
        SequenceMatcher([(1,)], backend="grep")
    with pytest.raises(InvalidInputError, match="matcher"):
        ThemeModel(matcher="grep").fit([])


def test_all_backends_give_the_same_themes_on_the_project_corpora(
    corpus_docs: tuple[list[str], list[PreprocessedText]],
) -> None:
    texts, _ = corpus_docs
    results = {
        backend: ThemeModel(matcher=backend, random_state=0).fit([]).annotate(texts)
        for backend in AVAILABLE_BACKENDS
    }
    reference = results["python"]
    assert sum(len(t.mentions) for t in reference) > len(texts) // 2
    for backend, found in results.items():
        assert found == reference, backend


def test_preprocessed_words_give_the_same_tokens_and_spans_as_a_second_split(
    corpus_docs: tuple[list[str], list[PreprocessedText]],
) -> None:
    texts, docs = corpus_docs
    split_again, reused = LemmaAnalyzer(), LemmaAnalyzer()
    for _ in range(2):  # the second time, every word comes from the cache
        for text, old, new in zip(
            texts, split_again.analyze(texts), reused.analyze_docs(docs), strict=True
        ):
            assert [split_again.keys[i] for i in old.ids] == [reused.keys[i] for i in new.ids]
            assert [new.span(i) for i in range(len(new.ids))] == list(
                zip(old.starts.tolist(), old.ends.tolist(), strict=True)
            ), text
    fresh = reused.analyze_docs(docs)
    for old, new in zip(split_again.analyze(texts), fresh, strict=True):
        assert new.starts.tolist() == old.starts.tolist()
        assert new.ends.tolist() == old.ends.tolist()


def test_theme_model_reads_preprocessed_texts_like_raw_ones(
    corpus_docs: tuple[list[str], list[PreprocessedText]],
) -> None:
    texts, docs = corpus_docs
    model = ThemeModel(random_state=0).fit([])
    assert model.annotate(docs) == model.annotate(texts)
    np.testing.assert_array_equal(model.transform(docs), model.transform(texts))
    # A text built without its words (by hand) is split the usual way.
    bare = PreprocessedText(
        original=texts[0],
        normalized=texts[0],
        lang="fr",
        is_french=True,
        tokens=docs[0].tokens,
        lemmas=docs[0].lemmas,
        keys=docs[0].keys,
        negated=docs[0].negated,
        spans=docs[0].spans,
        sentences=docs[0].sentences,
        vector_rows=docs[0].vector_rows,
    )
    assert model.annotate([bare]) == model.annotate(texts[:1])


def test_a_pickled_theme_model_matches_the_same_way() -> None:
    model = ThemeModel(random_state=0).fit([])
    texts = ["Impossible de joindre le service client au téléphone."]
    before = model.annotate(texts)
    assert pickle.loads(pickle.dumps(model)).annotate(texts) == before


def test_pipeline_themes_do_not_split_the_text_again(monkeypatch: pytest.MonkeyPatch) -> None:
    pipeline = AnalysisPipeline(random_state=0).fit()

    def refuse(self: LemmaAnalyzer, texts: object) -> None:
        raise AssertionError("the theme analyzer split a text again")

    texts = ["Livraison en retard, l'accueil au téléphone était nul.", "Top !"]
    pipeline.analyze(texts)  # new words are learnt once
    monkeypatch.setattr(LemmaAnalyzer, "analyze", refuse)
    results = pipeline.analyze(texts)
    assert {"delivery", "phone_reachability"} <= {m.theme for m in results[0].themes or ()}


def test_behaviour_cues_give_the_same_hits_with_every_engine_and_without_gate(
    corpus_docs: tuple[list[str], list[PreprocessedText]],
) -> None:
    from pouls_analysis.behaviours.definitions import (
        CompiledDefinitions,
        fold_aligned,
        load_definitions,
        necessary_literals,
    )
    from pouls_analysis.matching import PatternGate

    texts, _ = corpus_docs
    compiled = CompiledDefinitions(load_definitions())
    literals = [necessary_literals(c.pattern) for c in compiled.cues]
    folded = [fold_aligned(t) for t in texts]
    compiled._gate = PatternGate([None] * len(literals))  # every cue runs on every text
    expected = [compiled.cue_hits(t, f) for t, f in zip(texts, folded, strict=True)]
    assert sum(map(len, expected)) > 50
    for backend in AVAILABLE_BACKENDS:
        compiled._gate = PatternGate(literals, backend=backend)
        assert [compiled.cue_hits(t, f) for t, f in zip(texts, folded, strict=True)] == expected
        truth = [
            {i for i, c in enumerate(compiled.cues) if re.search(c.pattern, f)} for f in folded
        ]
        assert all(t <= compiled._gate.candidates(f) for t, f in zip(truth, folded, strict=True))


@pytest.mark.parametrize("backend", AVAILABLE_BACKENDS)
def test_pattern_gate_finds_overlapping_and_prefix_literals(backend: str) -> None:
    from pouls_analysis.matching import PatternGate

    gate = PatternGate([{"rayon"}, {"ray"}, {"on m", "xyz"}, None, {"élo"}], backend=backend)
    assert gate.candidates("pas mon rayon m'a dit élodie") == {0, 1, 2, 3, 4}
    assert gate.candidates("rien") == {3}
    assert pickle.loads(pickle.dumps(gate)).candidates("un rayon") == {0, 1, 3}
