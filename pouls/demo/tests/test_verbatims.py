"""The demo's French verbatim grammar: deterministic, varied, tone-faithful, no personal data."""

from __future__ import annotations

import random
import re
import unicodedata

import pytest

from pouls.demo.verbatims import (
    BEHAVIOURS,
    FIELD_THEMES,
    THEMES,
    Verbatim,
    make_customer_verbatim,
    make_email,
    make_field_report,
)

NEGATIVE_CUES = (
    "pas",
    "jamais",
    "aucun",
    "personne",
    "impossible",
    "decu",
    "nul",
    "rien",
    "honte",
    "fuir",
    "attente",
    "panne",
    "mauvais",
    "lamentable",
)
PAYMENT_WORDS = ("paiement", "payer", "carte", "terminal", "tpe", "especes", "cb", "liquide")
BEHAVIOUR_CUES = {
    "education": (
        "a moi de",
        "qu'a ",
        "vous-meme",
        "moi-meme",
        "seul",
        "le faire",
        "lecon",
        "appris",
        "c'est a vous",
        "vous devez",
        "renvoye",
        "mon travail",
        "depuis chez vous",
    ),
    "evitement": (
        "regard",
        "invisible",
        "voir",
        "semblant",
        "tourne la tete",
        "sans un mot",
        "son client",
        "change d'allee",
        "en reserve",
        "devant moi",
        "a prefere",
        "tete",
        "ne pas me voir",
    ),
}
PHONE_LIKE = re.compile(r"\d[\d .-]{7,}\d")


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _customer(seed: int, count: int, **kwargs: object) -> list[Verbatim | None]:
    rng = random.Random(seed)
    return [make_customer_verbatim(rng, **kwargs) for _ in range(count)]  # type: ignore[arg-type]


def _mixed_draws(seed: int, count: int) -> list[Verbatim]:
    rng = random.Random(seed)
    out: list[Verbatim] = []
    names = ("Kevin", "Léa", "Mehdi", "Camille")
    while len(out) < count:
        nps = rng.randint(0, 10)
        name = rng.choice(names) if rng.random() < 0.15 else None
        verbatim = make_customer_verbatim(rng, nps=nps, seller_first_name=name)
        if verbatim is not None:
            out.append(verbatim)
    return out


def test_deterministic_from_seed() -> None:
    def run(seed: int) -> list[object]:
        rng = random.Random(seed)
        out: list[object] = []
        for i in range(300):
            out.append(make_customer_verbatim(rng, nps=i % 11, seller_first_name="Kevin"))
            out.append(make_field_report(rng, issue=None))
            out.append(make_email(rng, nps_like=i % 11))
        return out

    assert run(42) == run(42)
    assert run(42) != run(43)


def test_variety() -> None:
    draws = _mixed_draws(1, 2000)
    texts = [v.text for v in draws]
    assert len(set(texts)) / len(texts) >= 0.9
    lengths = [len(t.split()) for t in texts]
    assert min(lengths) <= 3
    assert max(lengths) >= 40
    themes = {t for v in draws for t in v.themes}
    assert themes == set(THEMES)
    reports = [make_field_report(random.Random(i)).text for i in range(500)]
    assert len(set(reports)) / len(reports) >= 0.9
    emails = [make_email(random.Random(i), nps_like=i % 11).text for i in range(500)]
    assert len(set(emails)) == len(emails)


def test_no_answer_rate() -> None:
    rng = random.Random(3)
    answers = [make_customer_verbatim(rng, nps=rng.randint(0, 10)) for _ in range(4000)]
    silent = sum(a is None for a in answers) / len(answers)
    assert 0.18 <= silent <= 0.32
    detractors = _customer(4, 2000, nps=2)
    promoters = _customer(4, 2000, nps=10)
    assert sum(v is None for v in detractors) < sum(v is None for v in promoters)


def _negative_rate(verbatims: list[Verbatim | None]) -> float:
    texts = [_plain(v.text) for v in verbatims if v is not None]
    hits = sum(any(re.search(rf"\b{cue}", t) for cue in NEGATIVE_CUES) for t in texts)
    return hits / len(texts)


def test_tone_follows_score() -> None:
    detractor = _negative_rate(_customer(5, 1500, nps=1))
    passive = _negative_rate(_customer(5, 1500, nps=7))
    promoter = _negative_rate(_customer(5, 1500, nps=10))
    assert detractor > 0.6
    assert detractor > passive > promoter
    assert promoter < 0.3


def test_theme_and_behaviour_ids_are_known() -> None:
    for verbatim in _mixed_draws(6, 3000):
        assert 0 <= len(verbatim.themes) <= 4
        assert len(set(verbatim.themes)) == len(verbatim.themes)
        assert set(verbatim.themes) <= set(THEMES)
        assert verbatim.behaviour is None or verbatim.behaviour in BEHAVIOURS
    # Most answers carry one to three themes.
    draws = _mixed_draws(7, 2000)
    assert sum(1 <= len(v.themes) <= 3 for v in draws) / len(draws) > 0.85


@pytest.mark.parametrize("nps", [0, 3, 5, 7, 8, 9, 10])
def test_forced_payment_incident(nps: int) -> None:
    rng = random.Random(nps)
    texts = set()
    for _ in range(300):
        verbatim = make_customer_verbatim(rng, nps=nps, forced_theme="paiement")
        assert verbatim is not None
        assert "paiement" in verbatim.themes
        plain = _plain(verbatim.text)
        assert any(word in plain for word in PAYMENT_WORDS), verbatim.text
        texts.add(verbatim.text)
    assert len(texts) > 250


@pytest.mark.parametrize("theme", THEMES)
def test_forced_theme_present(theme: str) -> None:
    rng = random.Random(11)
    for nps in range(11):
        verbatim = make_customer_verbatim(rng, nps=nps, forced_theme=theme)
        assert verbatim is not None
        assert theme in verbatim.themes


@pytest.mark.parametrize("behaviour", BEHAVIOURS)
def test_behaviour_described(behaviour: str) -> None:
    rng = random.Random(12)
    texts = set()
    cued = 0
    cues = BEHAVIOUR_CUES.get(behaviour, ("",))
    for i in range(200):
        verbatim = make_customer_verbatim(rng, nps=i % 11, behaviour=behaviour)
        assert verbatim is not None
        assert verbatim.behaviour == behaviour
        texts.add(verbatim.text)
        cued += any(c in _plain(verbatim.text) for c in cues)
    assert len(texts) > 150
    assert cued >= 190  # a few texts carry a typo on the very word


def test_background_behaviours_are_rare() -> None:
    draws = _mixed_draws(13, 4000)
    rate = sum(v.behaviour is not None for v in draws) / len(draws)
    assert 0.005 < rate < 0.06


def test_seller_first_name_is_sometimes_mentioned() -> None:
    draws = _customer(14, 400, nps=9, seller_first_name="Kevin")
    mentioned = sum(v is not None and "Kevin" in v.text for v in draws)
    assert 0.3 * len(draws) < mentioned < 0.8 * len(draws)
    assert all(v is None or "Kevin" not in v.text for v in _customer(14, 400, nps=9))


def test_no_personal_data() -> None:
    texts = [v.text for v in _mixed_draws(15, 3000)]
    texts += [make_email(random.Random(i), nps_like=i % 11).text for i in range(1000)]
    texts += [make_field_report(random.Random(i)).text for i in range(1000)]
    for text in texts:
        assert "@" not in text
        assert not PHONE_LIKE.search(text), text
        assert "http" not in text


def test_typos_and_sms_style_exist_but_are_rare() -> None:
    texts = [v.text for v in _mixed_draws(16, 3000)]
    sms = sum(
        bool(re.search(r"\b(bcp|pb|tt|jsuis|svp|mag|pk|qqn|c|pa|ke|vrmt|mci)\b", t)) for t in texts
    )
    assert 0.005 * len(texts) < sms < 0.1 * len(texts)
    emoji = sum(any(e in t for e in "😀👍😊🙂👏😐🤔😡👎😤😠") for t in texts)
    assert 0 < emoji < 0.1 * len(texts)


def test_tone_words() -> None:
    promoters = " ".join(v.text for v in _customer(17, 500, nps=10) if v)
    detractors = " ".join(v.text for v in _customer(17, 500, nps=0) if v)
    assert "reviendrai" in promoters
    assert "ne reviendrai pas" in detractors or "ne reviendrai plus" in detractors
    passives = " ".join(v.text for v in _customer(17, 500, nps=7) if v)
    assert any(w in passives for w in (" mais ", "par contre", "Par contre", "en revanche"))


@pytest.mark.parametrize(
    "issue", [*FIELD_THEMES, "Logistique", "Informatique", "SAV central", "Service client"]
)
def test_field_report_issue(issue: str) -> None:
    expected = {
        "Logistique": "logistique",
        "Informatique": "outil_interne",
        "SAV central": "sav",
        "Service client": "telephone",
    }.get(issue, issue)
    rng = random.Random(18)
    for _ in range(30):
        report = make_field_report(rng, issue=issue)
        assert expected in report.themes
        assert set(report.themes) <= set(FIELD_THEMES)
        assert report.behaviour is None
        assert 3 <= len(report.text.split()) <= 60


def test_field_report_unknown_issue() -> None:
    with pytest.raises(ValueError):
        make_field_report(random.Random(0), issue="Marketing")


def test_email_is_formal_and_follows_tone() -> None:
    rng = random.Random(19)
    angry = [make_email(rng, nps_like=1) for _ in range(300)]
    happy = [make_email(rng, nps_like=10) for _ in range(300)]
    for email in angry + happy:
        assert email.text.startswith(("Madame", "Bonjour"))
        assert any(w in email.text for w in ("ordialement", "salutations"))
        assert 1 <= len(email.themes) <= 4
        assert set(email.themes) <= set(THEMES)
    assert _negative_rate(list(angry)) > _negative_rate(list(happy))


def test_invalid_arguments() -> None:
    rng = random.Random(0)
    with pytest.raises(ValueError):
        make_customer_verbatim(rng, nps=11)
    with pytest.raises(ValueError):
        make_customer_verbatim(rng, nps=5, forced_theme="meteo")
    with pytest.raises(ValueError):
        make_customer_verbatim(rng, nps=5, behaviour="colere")
    with pytest.raises(ValueError):
        make_email(rng, nps_like=-1)
