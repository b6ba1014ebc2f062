from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from sklearn.base import clone

from pouls_analysis.behaviours import (
    BEHAVIOUR_IDS,
    DefinitionsError,
    ServiceBehaviourDetector,
    load_definitions,
)
from pouls_analysis.behaviours.definitions import CompiledDefinitions, fold_aligned
from pouls_analysis.behaviours.evaluate import load_labelled
from pouls_analysis.exceptions import InvalidInputError, NotFittedError
from pouls_analysis.text.preprocess import PreprocessedText

LABELLED = [
    ("Le vendeur m'a dit que ce n'était pas son rayon.", ["neutralite"]),
    ("La caissière faisait semblant de ne pas me voir.", ["evitement"]),
    ("Les vendeuses discutaient entre elles de leur week-end.", ["protection_groupe"]),
    ("On m'a jugée sur mon apparence dès l'entrée.", ["categorisation"]),
    ("Vous n'avez qu'à le faire sur internet, m'a répondu l'agent.", ["education"]),
    ("Politesse exagérée du conseiller, mais aucune solution.", ["soumission"]),
    ("Livraison rapide, produit conforme.", []),
    ("Prix trop élevés cette année.", []),
]


def _rules() -> ServiceBehaviourDetector:
    return ServiceBehaviourDetector().fit([])


def test_it_ships_six_behaviours_with_french_labels_and_coaching_tips() -> None:
    definitions = load_definitions()
    assert tuple(d.id for d in definitions) == BEHAVIOUR_IDS
    for d in definitions:
        assert d.label and d.description and len(d.coaching) > 80
        assert d.cues


def test_get_params_and_clone_round_trip() -> None:
    detector = ServiceBehaviourDetector(threshold=0.6, min_positives=3, C=2.0, random_state=7)
    params = detector.get_params()
    assert params == {
        "definitions": None,
        "threshold": 0.6,
        "min_positives": 3,
        "C": 2.0,
        "random_state": 7,
    }
    copy = clone(detector)
    assert copy.get_params() == params
    assert copy is not detector


def test_fit_returns_self_with_and_without_labels() -> None:
    detector = ServiceBehaviourDetector()
    assert detector.fit([]) is detector
    texts = [t for t, _ in LABELLED]
    labels = [y for _, y in LABELLED]
    assert detector.fit(texts, labels) is detector


@pytest.mark.parametrize("method", ["predict", "predict_proba", "detect"])
def test_it_raises_not_fitted_before_fit(method: str) -> None:
    with pytest.raises(NotFittedError):
        getattr(ServiceBehaviourDetector(), method)(["Bonjour"])


def test_empty_and_one_text_inputs() -> None:
    detector = _rules()
    assert detector.predict([]).shape == (0, 6)
    assert detector.detect([]) == []
    one = detector.predict(["La vendeuse faisait semblant de ne pas me voir."])
    assert one.shape == (1, 6)
    assert one[0].tolist() == [0, 1, 0, 0, 0, 0]
    supervised = ServiceBehaviourDetector().fit([], [])
    assert supervised.models_ == {} and supervised.n_labelled_ == 0
    assert supervised.predict(["Un texte"]).shape == (1, 6)


def test_each_behaviour_is_found_with_an_exact_evidence_span() -> None:
    detector = _rules()
    texts = [t for t, _ in LABELLED]
    for text, (expected, found) in zip(
        texts, zip([y for _, y in LABELLED], detector.detect(texts), strict=True), strict=True
    ):
        assert [m.behaviour for m in found] == expected, text
        for match in found:
            assert text[match.start : match.end] == match.evidence
            assert match.evidence.strip() == match.evidence
            assert 0.5 <= match.confidence <= 1.0
            assert match.cue in {c.id for c in detector.definition(match.behaviour).cues}


def test_evidence_offsets_survive_accents_typographic_apostrophes_and_quotes() -> None:
    text = "Ÿ œuvre… À l’accueil : « Ce n’EST PAS MON RAYON », m’a lancé l’employé."
    match = _rules().detect([text])[0][0]
    assert match.behaviour == "neutralite"
    assert match.evidence == "Ce n’EST PAS MON RAYON"
    assert text[match.start : match.end] == match.evidence


def test_fold_aligned_keeps_one_character_for_one() -> None:
    text = "İstanbul ÉTÉ « œil » ’ \u00a0\tß ﬁ"
    folded = fold_aligned(text)
    assert len(folded) == len(text)
    assert folded.startswith("istanbul ete")


def test_hard_negatives_are_not_flagged() -> None:
    texts = [
        "Le bricolage ce n'est pas mon rayon, mais le vendeur m'a guidé pas à pas.",
        "La vendeuse était sur son téléphone pour appeler un autre magasin et trouver ma taille.",
        "J'ai pu faire mon changement d'adresse moi-même sur l'appli, très pratique.",
        "Personnel très poli et souriant.",
        "Le contrôleur a été strict mais il m'a expliqué comment régulariser sans amende.",
    ]
    assert _rules().predict(texts).sum() == 0


def test_literal_gate_gives_the_same_hits_as_running_every_cue() -> None:
    compiled = CompiledDefinitions(load_definitions())
    regexes = [re.compile(c.pattern) for c in compiled.cues]
    for row in load_labelled():
        folded = fold_aligned(row.text)
        gated = {(h.behaviour, h.cue) for h in compiled.cue_hits(row.text, folded)}
        possible = {
            (c.behaviour, c.id)
            for c, rx in zip(compiled.cues, regexes, strict=True)
            if rx.search(folded)
        }
        assert gated <= possible, row.id
        # Hits missing from the gated set may only be ones vetoed by unless_before/after, by
        # the service context the text lacks, by the voice checks (staff_only, reported), or
        # by a missing ``near`` pattern (a courtesy formula without a refusal).
        for behaviour, cue_id in possible - gated:
            cue = next(c for c in compiled.cues if c.id == cue_id and c.behaviour == behaviour)
            no_context = cue.context is not None and not re.search(cue.context, folded)
            voice = cue.customer_voice is not None or cue.reported
            vetoes = (cue.unless_before, cue.unless_after, cue.near, no_context, voice)
            assert any(vetoes), (row.id, cue_id)


def test_context_cues_need_someone_serving_in_the_text() -> None:
    rules = _rules()
    about_products = [
        "Clavier mécanique un peu bruyant, sinon parfait.",
        "Protection d'écran invisible une fois posée.",
        "J'ai mangé en groupe, très bon repas.",
        "J'aurais dû prendre la taille M.",
        "Je suppose que le mécanisme n'a pas de pile.",
        "Il s'agissait d'un cadeau de Noël.",
        "Montage fait en un clin d'oeil.",
    ]
    assert rules.predict(about_products).sum() == 0
    with_staff = [
        "Le vendeur avait un ton mécanique.",
        "J'étais invisible pour la serveuse, elle servait les habitués.",
    ]
    found = [{m.behaviour for m in found} for found in rules.detect(with_staff)]
    assert found == [{"neutralite"}, {"evitement"}]
    # Other cues need no one named.
    (hit,) = rules.detect(["« C'est la procédure », point."])[0]
    assert hit.behaviour == "neutralite"


def test_customer_voice_is_not_staff_behaviour() -> None:
    rules = _rules()
    customers_own = [
        "Je soupçonne le vendeur d'avoir posté de faux avis.",
        "J'ai appelé le SAV et je soupçonne une arnaque.",
        "Je lui ai raccroché au nez, au conseiller, tant il était désagréable.",
        "Je pense que j'aurais dû vérifier, le vendeur n'y est pour rien.",
        "Vous auriez dû essayer de livrer chez moi, le livreur est passé trop vite.",
        "Il faut la configurer via l'application, le vendeur est sympa.",
        "Je vous remercie de votre compréhension, le service client.",
    ]
    assert rules.predict(customers_own).sum() == 0
    staff_speaking = [
        "Je me suis fait balader de service en service par les conseillers.",
        "On me répond que c'est à moi d'effectuer les démarches.",
        "Le conseiller m'a dit d'aller voir sur mon espace client.",
        "Le vendeur m'a gentiment expliqué qu'il ne pouvait rien faire.",
    ]
    found = [{m.behaviour for m in found} for found in rules.detect(staff_speaking)]
    # Two services sending the customer back and forth is neutralité; sending him to do it
    # himself is éducation; a courtesy formula with a refusal is soumission (the guide).
    assert found == [{"neutralite"}, {"education"}, {"education"}, {"soumission"}]


def test_definitions_refuse_voice_flags_without_a_voice_pattern(tmp_path: Path) -> None:
    path = tmp_path / "defs.yaml"
    for flag, needed in (("staff_only", "customer_voice"), ("reported", "staff_voice")):
        path.write_text(
            "behaviours:\n  - {id: a, label: A, description: d, coaching: c,\n"
            f"     cues: [{{id: x, weight: 0.5, pattern: abc, {flag}: true}}]}}\n",
            encoding="utf-8",
        )
        with pytest.raises(DefinitionsError, match=needed):
            load_definitions(path)
    path.write_text(
        "customer_voice: je\nbehaviours:\n  - {id: a, label: A, description: d, coaching: c,\n"
        "     cues: [{id: x, weight: 0.5, pattern: abc, staff_only: maybe}]}\n",
        encoding="utf-8",
    )
    with pytest.raises(DefinitionsError, match="staff_only"):
        load_definitions(path)


def test_definitions_refuse_a_bad_context(tmp_path: Path) -> None:
    path = tmp_path / "defs.yaml"
    path.write_text(
        "service_context: 3\nbehaviours:\n  - {id: a, label: A, description: d, coaching: c,\n"
        "     cues: [{id: x, weight: 0.5, pattern: abc}]}\n",
        encoding="utf-8",
    )
    with pytest.raises(DefinitionsError, match="service_context"):
        load_definitions(path)
    path.write_text(
        "behaviours:\n  - {id: a, label: A, description: d, coaching: c,\n"
        "     cues: [{id: x, weight: 0.5, pattern: abc, needs_context: maybe}]}\n",
        encoding="utf-8",
    )
    with pytest.raises(DefinitionsError, match="needs_context"):
        load_definitions(path)


def test_supervised_fit_learns_from_labels_and_is_deterministic() -> None:
    rows = [r for r in load_labelled() if r.split == "dev"]
    texts, labels = [r.text for r in rows], [list(r.labels) for r in rows]
    a = ServiceBehaviourDetector(random_state=3).fit(texts, labels)
    b = ServiceBehaviourDetector(random_state=3).fit(texts, labels)
    assert set(a.models_) == set(BEHAVIOUR_IDS)
    probe = ["Trois vendeurs dans le magasin et aucun ne lève les yeux vers nous."]
    np.testing.assert_array_equal(a.predict_proba(probe), b.predict_proba(probe))
    assert a.detect(probe) == b.detect(probe)


def test_a_behaviour_found_by_the_model_alone_gets_its_best_sentence_as_evidence() -> None:
    rows = [r for r in load_labelled() if r.split != "blind"]
    detector = ServiceBehaviourDetector(random_state=0).fit(
        [r.text for r in rows], [list(r.labels) for r in rows]
    )
    text = "Magasin propre. Les vendeuses parlaient de leurs histoires de cœur à voix haute."
    assert not _rules().predict([text]).any()
    found = [m for m in detector.detect([text])[0] if m.behaviour == "protection_groupe"]
    assert found and found[0].cue == "model"
    assert found[0].evidence == "Les vendeuses parlaient de leurs histoires de cœur à voix haute."
    assert text[found[0].start : found[0].end] == found[0].evidence


def test_behaviours_with_too_few_labels_keep_the_rules() -> None:
    texts = [t for t, _ in LABELLED]
    detector = ServiceBehaviourDetector(min_positives=2).fit(texts, [y for _, y in LABELLED])
    assert detector.models_ == {}  # one positive each: every behaviour keeps its rules
    assert detector.predict(texts).tolist() == _rules().predict(texts).tolist()


def test_labels_may_be_an_indicator_matrix() -> None:
    texts = [t for t, _ in LABELLED]
    matrix = np.zeros((len(texts), 6), dtype=int)
    matrix[0, 0] = 1
    detector = ServiceBehaviourDetector().fit(texts, matrix)
    assert detector.n_labelled_ == len(texts)


def test_preprocessed_texts_are_read_through_their_original_text() -> None:
    text = "Ce n'est pas mon rayon, m'a dit la vendeuse."
    doc = PreprocessedText(
        original=text,
        normalized=text,
        lang="fr",
        is_french=True,
        tokens=(),
        lemmas=(),
        keys=(),
        negated=(),
        spans=(),
        sentences=(),
        vector_rows=(),
    )
    assert _rules().predict([doc]).tolist() == _rules().predict([text]).tolist()


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"threshold": 0}, "threshold"),
        ({"threshold": 1.5}, "threshold"),
        ({"min_positives": 0}, "min_positives"),
        ({"C": -1.0}, "C must"),
    ],
)
def test_invalid_parameters_are_refused_in_fit(params: dict[str, float], message: str) -> None:
    detector = ServiceBehaviourDetector(**params)  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match=message):
        detector.fit([])


def test_unknown_labels_and_bad_inputs_are_refused() -> None:
    with pytest.raises(InvalidInputError, match="unknown behaviour 'rudesse'"):
        ServiceBehaviourDetector().fit(["a"], [["rudesse"]])
    with pytest.raises(InvalidInputError, match="same length"):
        ServiceBehaviourDetector().fit(["a", "b"], [[]])
    with pytest.raises(InvalidInputError):
        _rules().predict("un seul texte")


@pytest.mark.parametrize(
    ("cue", "message"),
    [
        ("{id: a, weight: 1.5, pattern: x}", "weight"),
        ("{id: a, weight: 0.5, pattern: '(x)'}", "capturing group"),
        ("{id: a, weight: 0.5, pattern: '{nope}'}", "unknown macro"),
        ("{id: a, weight: 0.5, pattern: '(?:x'}", "does not compile"),
    ],
)
def test_malformed_definitions_are_refused(tmp_path: Path, cue: str, message: str) -> None:
    path = tmp_path / "defs.yaml"
    path.write_text(
        "behaviours:\n  - {id: b, label: B, description: d, coaching: c, cues: [" + cue + "]}\n",
        encoding="utf-8",
    )
    with pytest.raises(DefinitionsError, match=message):
        ServiceBehaviourDetector(definitions=path).fit([])


def test_an_organisation_can_load_its_own_definitions(tmp_path: Path) -> None:
    path = tmp_path / "defs.yaml"
    path.write_text(
        "macros: {staff: '(?:hote|hotesse)'}\n"
        "behaviours:\n"
        "  - id: retard\n    label: Retard\n    description: d\n    coaching: c\n"
        "    cues:\n      - {id: tard, weight: 0.9, pattern: '\\b{staff} en retard'}\n",
        encoding="utf-8",
    )
    detector = ServiceBehaviourDetector(definitions=path).fit([])
    assert detector.classes_ == ("retard",)
    assert detector.detect(["Une hôtesse en retard."])[0][0].evidence == "hôtesse en retard"


@pytest.mark.parametrize(
    ("text", "behaviour", "evidence"),
    [
        ("Au téléphone, toujours le même discours bien rodé.", "neutralite", None),
        ("La conseillère m'a dit que ce problème ne lui concerne pas.", "neutralite", None),
        ("Les techniciens traînent les bras et repartent.", "neutralite", None),
        ("Trois serveurs, et on a l'impression de se faire ignorer.", "evitement", None),
        ("Le patron ne s'intéresse qu'aux habitués.", "categorisation", None),
    ],
)
def test_cues_seen_in_real_complaints_are_found(
    text: str, behaviour: str, evidence: str | None
) -> None:
    found = {m.behaviour: m for m in _rules().detect([text])[0]}
    assert behaviour in found, text
    if evidence is not None:
        assert found[behaviour].evidence == evidence


@pytest.mark.parametrize(
    "text",
    [
        "Impossible d'envoyer un mail d'office 365 vers la boîte, le conseiller ne sait pas.",
        "Pas de mail pour fournir un numéro de dossier, aucun contact avec le service client.",
        "L'assureur vous met d'office tous les torts, l'agence ne défend personne.",
        "Accueil chaleureux du serveur, plats froids hélas.",
        "Le vendeur, poli et souriant, m'a tout expliqué.",
    ],
)
def test_product_and_company_words_are_not_behaviours(text: str) -> None:
    assert _rules().detect([text])[0] == (), text


# ------------------------------------------------------------------ the labelling guide
# ../shared/BEHAVIOURS.md, the product's definitions, with texts written for these tests.


@pytest.mark.parametrize(
    ("text", "evidence"),
    [
        (
            "J'ai écrit trois fois au service client, mes mails sont restés sans réponse.",
            "mails sont restés sans réponse",
        ),
        ("Le vendeur ne répond à aucun de mes messages.", "ne répond à aucun de mes messages"),
        ("Ma réclamation du mois dernier : toujours aucune réponse.", None),
        ("Le service client ne répond jamais au téléphone.", "Le service client ne répond jamais"),
        (
            "La conseillère devait me rappeler dans la journée, elle ne l'a jamais fait.",
            "devait me rappeler dans la journée, elle ne l'a jamais",
        ),
        ("On m'a promis un rappel, personne ne m'a jamais rappelé.", None),
        (
            "Le serveur est passé trois fois devant nous sans prendre la commande.",
            "passé trois fois devant nous",
        ),
        ("Pendant l'appel, le technicien a cessé de répondre et j'ai attendu seul.", None),
    ],
)
def test_unanswered_contacts_and_staff_walking_past_are_evitement(
    text: str, evidence: str | None
) -> None:
    found = {m.behaviour: m for m in _rules().detect([text])[0]}
    assert set(found) == {"evitement"}, text
    if evidence is not None:
        assert found["evitement"].evidence == evidence


@pytest.mark.parametrize(
    "text",
    [
        # hanging up is rudeness, none of the six
        "La conseillère m'a raccroché au nez quand j'ai demandé un responsable.",
        "Une personne du service client me raccroche au nez.",
        # automation is not staff behaviour
        "Le serveur vocal raccroche au bout de dix minutes d'attente.",
        "Le chatbot ne répond pas à mes questions.",
        # a wait framed as a queue, "injoignable" alone, a technician who does not come
        "Tous nos conseillers sont occupés : 40 minutes d'attente.",
        "Service client injoignable depuis une semaine.",
        "Le technicien n'est jamais venu au rendez-vous.",
        # a cold or unsmiling welcome alone
        "Accueil très peu chaleureux, on a attendu longtemps.",
        "La serveuse n'a pas souri de tout le repas.",
        # suspicion from what the customer did, an insult
        "Le serveur pensait qu'on allait partir sans payer.",
        "Le technicien m'a presque traité de menteur.",
        # a lecture is not éducation; courtesy with no refusal is not soumission
        "La conseillère m'a dit « il fallait lire les conditions ».",
        "Je comprends tout à fait votre mécontentement, m'a dit le conseiller.",
        "Le conseiller m'a très gentiment expliqué les options et tout réglé.",
        # the customer's own words
        "Je ne réponds jamais aux mails publicitaires de ce vendeur.",
        "J'ai renvoyé le colis à contre cœur, le vendeur était pourtant aimable.",
        "Sans préjuger de la bonne foi du vendeur, le produit est décevant.",
        # a product that does not answer
        "Le tactile ne répond pas, et le chargeur ne me rappelle pas celui d'origine.",
    ],
)
def test_what_the_guide_excludes_is_not_a_behaviour(text: str) -> None:
    assert _rules().detect([text])[0] == (), text


@pytest.mark.parametrize(
    ("text", "behaviour"),
    [
        ("Au téléphone, on me répète en boucle que mon dossier est en cours.", "neutralite"),
        ("Le vendeur m'a répondu en haussant les épaules.", "neutralite"),
        ("L'agence me renvoie vers le siège et le siège me renvoie vers l'agence.", "neutralite"),
        ("Le vendeur m'a dit de voir ça avec le transporteur.", "education"),
        ("On m'a dit : allez voir sur votre espace client, tout y est.", "education"),
        ("On m'a gentiment expliqué que le remboursement n'était pas possible.", "soumission"),
        ("La conseillère m'a invitée poliment à résilier si je suis mécontente.", "soumission"),
    ],
)
def test_paraphrases_redirections_and_polite_refusals_are_covered(
    text: str, behaviour: str
) -> None:
    assert {m.behaviour for m in _rules().detect([text])[0]} == {behaviour}, text


def test_a_courtesy_formula_counts_only_beside_a_refusal_and_shows_it() -> None:
    rules = _rules()
    formula = "« Je comprends tout à fait votre mécontentement », m'a dit le conseiller."
    assert rules.detect([formula])[0] == ()
    text = formula[:-1] + ", et depuis rien n'a bougé."
    (match,) = rules.detect([text])[0]
    assert match.behaviour == "soumission"
    # the evidence a manager reads holds the formula and the inaction it goes with
    assert "mécontentement" in match.evidence and "rien n'a bougé" in match.evidence
    assert text[match.start : match.end] == match.evidence


def test_a_carrier_is_education_and_another_department_neutralite() -> None:
    found = _rules().detect(
        [
            "Le vendeur m'a dit de voir ça avec la poste.",
            "La vendeuse m'a dit de voir ça avec le service après-vente.",
        ]
    )
    assert [{m.behaviour for m in f} for f in found] == [{"education"}, {"neutralite"}]


def test_definitions_check_the_near_pattern(tmp_path: Path) -> None:
    path = tmp_path / "defs.yaml"
    path.write_text(
        "behaviours:\n  - {id: a, label: A, description: d, coaching: c,\n"
        "     cues: [{id: x, weight: 0.9, pattern: poli, near: '(?:non'}]}\n",
        encoding="utf-8",
    )
    with pytest.raises(DefinitionsError, match="near"):
        load_definitions(path)
    path.write_text(
        "behaviours:\n  - {id: a, label: A, description: d, coaching: c,\n"
        "     cues: [{id: x, weight: 0.9, pattern: poli, near: refus}]}\n",
        encoding="utf-8",
    )
    detector = ServiceBehaviourDetector(definitions=path).fit([])
    assert detector.predict(["Très poli.", "Très poli, mais refus net."]).tolist() == [[0], [1]]
