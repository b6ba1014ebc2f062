from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from sklearn.base import clone

from pouls_analysis.exceptions import InvalidInputError, NotFittedError
from pouls_analysis.themes.discovery import ThemeDiscoverer

DATA = Path(__file__).parent / "data"
ROWS = [json.loads(line) for line in (DATA / "discovery_fr.jsonl").open(encoding="utf-8")]
TEXTS = [row["text"] for row in ROWS]


def test_clone_and_get_params_round_trip() -> None:
    model = ThemeDiscoverer(n_clusters=4, random_state=2)
    assert clone(model).get_params() == model.get_params()


def test_fit_returns_self_and_predict_needs_fit() -> None:
    model = ThemeDiscoverer()
    with pytest.raises(NotFittedError):
        model.predict(["Un chien"])
    assert model.fit(TEXTS) is model


def test_empty_and_one_text_inputs() -> None:
    empty = ThemeDiscoverer().fit([])
    assert empty.themes_ == () and len(empty.labels_) == 0
    assert empty.predict(["Un chien"]).tolist() == [-1]
    # A subject is a word several texts share: one text is « divers », never a group.
    one = ThemeDiscoverer(min_cluster_size=1).fit(["Un chien dans le magasin"])
    assert one.labels_.tolist() == [-1] and one.n_unassigned_ == 1
    assert ThemeDiscoverer(n_clusters=1, min_cluster_size=1).fit(TEXTS[:1]).labels_.tolist() == [0]


def test_bad_parameters_are_refused_in_fit() -> None:
    with pytest.raises(InvalidInputError, match="min_cluster_size"):
        ThemeDiscoverer(min_cluster_size=0).fit(TEXTS)


def test_it_separates_two_small_groups_and_names_them_in_french() -> None:
    model = ThemeDiscoverer(n_clusters=2, random_state=0).fit(TEXTS)
    groups = [row["group"] for row in ROWS]
    majority = 0
    for theme in model.themes_:
        members = [groups[i] for i in np.flatnonzero(model.labels_ == theme.label)]
        majority += max(members.count(g) for g in set(members))
        # Ward groups by vectors: a group whose texts share no word gets no keyword.
        assert all(k not in {"le", "la", "de", "pas"} for k in theme.keywords)
        assert all(model.labels_[i] == theme.label for i in theme.representatives)
    # Short texts with shared store words ("boutique", "entrée") blur the mean vectors: on
    # this deliberately small set 9 of 12 texts land with their own group.
    assert majority / len(TEXTS) >= 0.75
    keywords = {k for theme in model.themes_ for k in theme.keywords[:3]}
    assert keywords & {"chien", "chat", "chats", "chiens"}
    assert model.predict(["Un chien a mordu un client"]).tolist() == [
        model.labels_[TEXTS.index("Un chien sans laisse courait entre les rayons")]
    ]


def test_small_groups_are_left_out() -> None:
    model = ThemeDiscoverer(n_clusters=6, min_cluster_size=4, random_state=0).fit(TEXTS)
    sizes = [theme.size for theme in model.themes_]
    assert all(size >= 4 for size in sizes)
    assert (model.labels_ == -1).sum() == len(TEXTS) - sum(sizes)


def test_the_sampled_path_is_deterministic_for_a_random_state() -> None:
    texts = TEXTS * 5
    first = ThemeDiscoverer(n_clusters=2, max_exact=10, random_state=4).fit(texts)
    second = ThemeDiscoverer(n_clusters=2, max_exact=10, random_state=4).fit(texts)
    np.testing.assert_array_equal(first.labels_, second.labels_)
    assert [t.keywords for t in first.themes_] == [t.keywords for t in second.themes_]


def test_a_given_clusterer_is_used_and_its_noise_left_out() -> None:
    from sklearn.cluster import DBSCAN

    model = ThemeDiscoverer(
        clusterer=DBSCAN(eps=0.5, min_samples=2, metric="cosine"), min_cluster_size=2
    ).fit(TEXTS)
    assert clone(model).get_params()["clusterer"].eps == 0.5
    assert len(model.labels_) == len(TEXTS)
    assert model.themes_
    assert sum(t.size for t in model.themes_) == int((model.labels_ >= 0).sum())


SUBJECTS = [
    json.loads(line) for line in (DATA / "discovery_subjects_fr.jsonl").open(encoding="utf-8")
]
SUBJECT_TEXTS = [row["text"] for row in SUBJECTS]


@pytest.mark.parametrize("n", [2, 3, 4, 5])
def test_tiny_inputs_give_labels_and_no_crash(n: int) -> None:
    for texts in (TEXTS[:n], SUBJECT_TEXTS[:n], ["Parking plein", "Parking plein"][:n]):
        model = ThemeDiscoverer().fit(texts)
        assert len(model.labels_) == len(texts)
        assert model.n_unassigned_ == int((model.labels_ == -1).sum())
        assert model.predict(texts).shape == (len(texts),)
        assert ThemeDiscoverer(n_clusters=2).fit(texts).labels_.shape == (len(texts),)


def test_groups_only_texts_that_share_a_subject_the_rest_stays_divers() -> None:
    model = ThemeDiscoverer(random_state=0).fit(SUBJECT_TEXTS)
    groups = [row["group"] for row in SUBJECTS]
    found = {}
    for theme in model.themes_:
        members = {groups[i] for i in np.flatnonzero(model.labels_ == theme.label)}
        assert len(members) == 1, (theme.keywords, members)
        found[members.pop()] = theme.keywords[0]
    assert found == {
        "parking": "parking",
        "caisse": "caisse",
        "musique": "musique",
        "livraison": "livraison",
    }
    divers = [i for i, g in enumerate(groups) if g == "divers"]
    assert (model.labels_[divers] == -1).all()
    assert model.n_unassigned_ == len(divers)


def test_keywords_are_words_of_several_texts_of_the_group() -> None:
    model = ThemeDiscoverer(n_keywords=10, random_state=0).fit(SUBJECT_TEXTS)
    pre = model.preprocessor_
    for theme in model.themes_:
        members = [SUBJECT_TEXTS[i] for i in np.flatnonzero(model.labels_ == theme.label)]
        lemmas = [set(doc.ids.tolist()) for doc in pre.analyze(members)]
        for word in theme.keywords:
            (lemma,) = pre.analyze([word])[0].ids.tolist()
            assert sum(lemma in found for found in lemmas) >= 2, (word, theme.keywords)


def test_a_word_of_most_texts_is_the_setting_and_opens_no_group() -> None:
    texts = [f"Dans le magasin, {t[0].lower()}{t[1:]}" for t in SUBJECT_TEXTS]
    model = ThemeDiscoverer(random_state=0).fit(texts)
    assert all(theme.keywords[0] != "magasin" for theme in model.themes_)
    assert max(theme.size for theme in model.themes_) <= len(texts) / 3
    with pytest.raises(InvalidInputError, match="max_share"):
        ThemeDiscoverer(max_share=0).fit(texts)


def test_groups_hold_as_the_sample_grows() -> None:
    from sklearn.metrics import adjusted_rand_score

    order = np.random.RandomState(0).permutation(len(SUBJECT_TEXTS))
    texts = [SUBJECT_TEXTS[i] for i in order]
    large = ThemeDiscoverer(random_state=0).fit(texts).labels_
    for n in (12, 16, 20):
        small = ThemeDiscoverer(random_state=0).fit(texts[:n]).labels_
        # A group of the small sample stays one group of the large one; only texts that
        # were « divers » (a subject with too few texts yet) may join a group later.
        for label in set(small[small >= 0].tolist()):
            assert len(set(large[:n][small == label].tolist()) - {-1}) == 1
            assert (large[:n][small == label] >= 0).all()
    assert adjusted_rand_score(small, large[:20]) == 1.0
