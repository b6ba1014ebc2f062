"""Polarity of a theme mention, out of the box or learned from labelled mentions.

Out of the box (``mention_polarity``, the fallback used when no sentiment component is given
to ``ThemeModel``) the mention is read by the project's sentiment lexicon and rules: its
clause, else the neighbouring clauses, the sentence, then the whole text. ``lexicon_polarity``
reads a list of lemma keys with the small word lists below (written by the Pouls project,
CC0). ``AspectPolarityModel`` learns the decision from labelled mentions, with the
out-of-the-box reading among its features.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
from scipy import sparse
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_is_fitted

from pouls_analysis._validation import check_same_length, check_texts
from pouls_analysis.exceptions import InvalidInputError
from pouls_analysis.sentiment.lexicon import LexiconSentiment
from pouls_analysis.themes.lexical import NEGATION_CUES, LemmaAnalyzer, LemmaDoc, strip_accents

__all__ = ["AspectPolarityModel", "Polarity", "clause_bounds", "lexicon_polarity"]

Polarity = Literal["positive", "negative", "neutral"]

_POSITIVE = """bon excellent super parfait delicieux savoureux agreable aimable sympathique sympa
gentil chaleureux accueillant souriant rapide efficace propre beau joli magnifique genial top
recommander adorer aimer satisfait satisfaction merci bravo formidable extraordinaire
exceptionnel remarquable impeccable serviable competent professionnel attentionne agreablement
raisonnable abordable copieux genereux frais tendre fin raffine charmant calme convivial
facile clair ravi content heureux plaisir regal regaler succulent top nickel reactif
bienveillant original fondant croustillant cool sublime divin agreablement parfaitement
excellemment delice savourer apprecier conseiller recommandable chouette extra epatant
incroyable merveilleux merveille superbe splendide ideal idealement soigne soigneux
chaleureusement gentillesse amabilite sourire fraicheur bonheur regal
gourmand goutu parfum parfume tendre moelleux juteux equilibre fin finesse delicat
copieusement genereusement sympathiquement agreable souriante attentif attentionne
disponible pro efficacite rapidite ponctuel propre proprete confortable spacieux lumineux
cosy charme charmant pittoresque authentique typique convivialite reussi reussir
incontournable inoubliable mieux meilleur meilleure adorable aimable favori coup_de_coeur
correct honnete raisonnablement abordable imbattable satisfaisant rassasier revenir
feliciter felicitation remercier enchante emerveille ravir""".split()
_NEGATIVE = """mauvais nul decevant decevoir deception decu horrible affreux catastrophique
lamentable mediocre desagreable impoli froid lent lenteur sale bruyant cher fade insipide
sec dur brule immangeable degueulasse infect arnaque honteux scandaleux inadmissible
inacceptable incompetent mepris meprisant arrogant agressif attente attendre probleme panne
casse retard erreur oublier oubli eviter fuir regretter dommage triste pire plainte
reclamation rembourser excessif exorbitant abuser limite moyen tiede surgele industriel
incomprehensible inexistant injoignable ignorer perdre perte galere honte vol colere
insupportable minable pitoyable bof rate surcuit trop decevant desastreux desastre
catastrophe lamentablement mediocrite banal quelconque fade gras graisseux caoutchouteux
brule carbonise trop_cuit immonde infame ecoeurant indigeste malade
intoxication vomir douteux rance perime avarie congele rechauffe micro-onde sale salete
crasseux puant bruit vacarme bondé serre etroit exigu glacial long longuet
interminable attendre patienter oublie ignorer snober hautain condescendant grossier
desagreablement impolitesse mepris irrespectueux incompetence amateur amateurisme
bacle negligent negligence laisser-aller cherot onereux hors_de_prix arnaquer voler
escroquerie abusif surfacture radin chiche ridicule minuscule maigre insuffisant
manquer manque absence absent rien aucun jamais dommage helas malheureusement
malheureux deplorable regrettable choque choquant scandale honte fuyez fuir eviter
deconseiller deconseille decu decevoir deception""".split()
_INTENSIFIERS = frozenset({"tres", "vraiment", "super", "tellement", "extremement", "hyper"})
_CONTRAST = frozenset({"mais", "cependant", "pourtant", "toutefois", "contre", "neanmoins"})
LEXICON: dict[str, float] = {w: 1.0 for w in _POSITIVE} | {w: -1.0 for w in _NEGATIVE}


def clause_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """Character bounds of the clause holding ``text[start:end]`` (punctuation, "mais")."""
    left = max(text.rfind(p, 0, start) for p in ".!?;,\n") + 1
    right_candidates = [i for p in ".!?;,\n" if (i := text.find(p, end)) >= 0]
    right = min(right_candidates) if right_candidates else len(text)
    lowered = text.lower()
    for word in (" mais ", " par contre ", " cependant ", " pourtant "):
        i = lowered.rfind(word, left, start)
        if i >= 0:
            left = max(left, i + len(word))
        j = lowered.find(word, end, right)
        if j >= 0:
            right = min(right, j)
    return left, right


def lexicon_polarity(keys: Sequence[str]) -> float:
    """Sum of lexicon weights over lemma keys, with negation and intensifiers, in [-1, 1].

    A negation with no opinion word ("le goût n'est pas au rendez-vous") counts as mildly
    negative: in complaints it usually denies something expected.
    """
    total = 0.0
    if not any(k in LEXICON for k in keys) and any(k in ("ne", "n", "pas") for k in keys):
        return float(np.tanh(-0.5))
    for i, key in enumerate(keys):
        weight = LEXICON.get(key)
        if weight is None:
            continue
        window = keys[max(0, i - 3) : i]
        if any(k in NEGATION_CUES for k in window) or (i + 1 < len(keys) and keys[i + 1] == "pas"):
            weight = -weight
        if window and window[-1] in _INTENSIFIERS:
            weight *= 1.5
        total += weight
    return float(np.tanh(total))


def mention_polarity(doc: LemmaDoc, keys: Sequence[str], start: int, end: int) -> float:
    """Polarity in [-1, 1] of the mention ``doc.text[start:end]``, read in its context.

    The project's sentiment lexicon and rules (``LexiconSentiment.polarity_of_span``): the
    clause, else its neighbouring clauses (turned around across "mais"), else the sentence,
    else the whole text at half weight; negation, intensifiers and emojis are read as for a
    text's sentiment. ``keys`` is kept for callers that pass the analyzer's vocabulary.
    """
    from pouls_analysis.sentiment.lexicon import polarity_of_span

    return polarity_of_span(doc.text, start, end)


def polarity_label(score: float, *, margin: float = 0.2) -> Polarity:
    """Name a polarity score: positive above ``margin``, negative below ``-margin``."""
    if score > margin:
        return "positive"
    if score < -margin:
        return "negative"
    return "neutral"


class AspectPolarityModel(ClassifierMixin, BaseEstimator):  # type: ignore[misc]
    """Polarity of an aspect mention learned from labelled mentions.

    Each mention is a text, the character span of its target (``(0, 0)`` when implicit) and its
    theme. Features: word and character n-grams of the mention's clause and of the whole text,
    the theme crossed with the clause's words, the lexicon score of the clause, the
    out-of-the-box reading of the mention and of its wider context (``LexiconSentiment``),
    the mean word vectors of the clause and of the context and, when given, word n-grams of a
    wider context (such as the whole review the sentence comes from: the tone of the other
    sentences is a strong hint).

    Parameters
    ----------
    preprocessor : object or None, default=None
        Gives word vectors (``LemmaAnalyzer`` contract); ``None`` builds a ``LemmaAnalyzer``.
    C : float, default=4.0
        Inverse regularisation of the logistic regression.
    context_weight : float, default=1.5
        Weight of the context n-gram features (0 switches them off).
    vector_weight : float, default=1.0
        Weight of the mean word vectors (0 switches them off).
    random_state : int, RandomState or None, default=None
        Seed of the solver.

    Attributes
    ----------
    classes_ : ndarray of str
        The polarities seen in ``fit``.

    Examples
    --------
    >>> model = AspectPolarityModel().fit(
    ...     ["Serveur adorable", "Serveur odieux", "Plat délicieux", "Plat immonde"],
    ...     ["positive", "negative", "positive", "negative"],
    ...     spans=[(0, 7), (0, 7), (0, 4), (0, 4)], themes=["service", "service", "food", "food"])
    >>> model.predict(["Serveur adorable"], spans=[(0, 7)], themes=["service"]).tolist()
    ['positive']
    """

    def __init__(
        self,
        *,
        preprocessor: Any = None,
        C: float = 4.0,
        context_weight: float = 1.5,
        vector_weight: float = 1.0,
        random_state: Any = None,
    ) -> None:
        self.preprocessor = preprocessor
        self.C = C
        self.context_weight = context_weight
        self.vector_weight = vector_weight
        self.random_state = random_state

    def fit(
        self,
        X: Sequence[str],
        y: Sequence[str],
        *,
        spans: Sequence[tuple[int, int]],
        themes: Sequence[str],
        contexts: Sequence[str] | None = None,
    ) -> AspectPolarityModel:
        """Learn polarities ``y`` of the mentions (``X``, ``spans``, ``themes``, ``contexts``)."""
        texts, wider = self._check(X, spans, themes, contexts)
        check_same_length(texts, list(y), names="X, y")
        if not isinstance(self.C, int | float) or self.C <= 0:
            raise InvalidInputError(f"C must be a positive number, got {self.C!r}.")
        for name in ("context_weight", "vector_weight"):
            value = getattr(self, name)
            if not isinstance(value, int | float) or value < 0:
                raise InvalidInputError(f"{name} must be a number >= 0, got {value!r}.")
        if len(set(y)) < 2:
            raise InvalidInputError(f"y must hold at least two polarities, got {sorted(set(y))}.")
        self.preprocessor_ = LemmaAnalyzer() if self.preprocessor is None else self.preprocessor
        self.lexicon_ = LexiconSentiment().fit()
        self.clause_vectorizer_ = TfidfVectorizer(ngram_range=(1, 3), sublinear_tf=True)
        self.text_vectorizer_ = TfidfVectorizer(
            analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2
        )
        self.theme_vectorizer_ = TfidfVectorizer(ngram_range=(1, 1), sublinear_tf=True, min_df=2)
        self.context_vectorizer_ = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=2)
        features = self._features(texts, spans, themes, wider, fit=True)
        self.classifier_ = LogisticRegression(
            C=self.C, max_iter=3000, random_state=check_random_state(self.random_state)
        )
        self.classifier_.fit(features, list(y))
        self.classes_ = self.classifier_.classes_
        return self

    def predict(
        self,
        X: Sequence[str],
        *,
        spans: Sequence[tuple[int, int]],
        themes: Sequence[str],
        contexts: Sequence[str] | None = None,
    ) -> npt.NDArray[Any]:
        """Polarity of each mention."""
        check_is_fitted(self, "classifier_")
        texts, wider = self._check(X, spans, themes, contexts)
        if not texts:
            return np.array([], dtype=object)
        features = self._features(texts, spans, themes, wider, fit=False)
        result: npt.NDArray[Any] = self.classifier_.predict(features)
        return result

    @staticmethod
    def _check(
        X: Sequence[str],
        spans: Sequence[tuple[int, int]],
        themes: Sequence[str],
        contexts: Sequence[str] | None,
    ) -> tuple[list[str], list[str]]:
        texts = check_texts(X)
        wider = texts if contexts is None else check_texts(contexts, name="contexts")
        check_same_length(texts, wider, names="X, contexts")
        check_same_length(texts, list(spans), names="X, spans")
        check_same_length(texts, list(themes), names="X, themes")
        return texts, wider

    def _features(
        self,
        texts: list[str],
        spans: Sequence[tuple[int, int]],
        themes: Sequence[str],
        wider: list[str],
        *,
        fit: bool,
    ) -> sparse.csr_matrix:
        clauses, tagged = self._views(texts, spans, themes)

        def run(vectorizer: TfidfVectorizer, data: list[str]) -> Any:
            return vectorizer.fit_transform(data) if fit else vectorizer.transform(data)

        blocks = [
            run(self.clause_vectorizer_, clauses),
            run(self.text_vectorizer_, texts),
            0.5 * run(self.theme_vectorizer_, tagged),
            sparse.csr_matrix(self._lexicon(clauses)),
            sparse.csr_matrix(self._readings(texts, spans, wider)),
            self.context_weight * run(self.context_vectorizer_, wider),
            self.vector_weight * sparse.csr_matrix(self._mean_vectors(clauses)),
            self.vector_weight * sparse.csr_matrix(self._mean_vectors(wider)),
        ]
        stacked: sparse.csr_matrix = sparse.hstack(blocks).tocsr()
        return stacked

    def _mean_vectors(self, texts: list[str]) -> npt.NDArray[np.float32]:
        pre = self.preprocessor_
        docs = pre.analyze(texts)
        content = pre.is_content()
        out = np.zeros((len(docs), pre.table().shape[1]), dtype=np.float32)
        for d, doc in enumerate(docs):
            ids = doc.ids[content[doc.ids]] if len(doc.ids) else doc.ids
            if len(ids):
                out[d] = pre.vectors_of(ids).mean(axis=0)
        return out

    @staticmethod
    def _views(
        texts: Sequence[str], spans: Sequence[tuple[int, int]], themes: Sequence[str]
    ) -> tuple[list[str], list[str]]:
        clauses, tagged = [], []
        for text, (start, end), theme in zip(texts, spans, themes, strict=True):
            clause = text[slice(*clause_bounds(text, start, end))] if end > start else text
            clauses.append(clause)
            tag = strip_accents(theme).replace("#", "_")
            tagged.append(" ".join(f"{tag}_{w}" for w in clause.lower().split()) + f" {tag}")
        return clauses, tagged

    def _readings(
        self, texts: Sequence[str], spans: Sequence[tuple[int, int]], wider: Sequence[str]
    ) -> npt.NDArray[np.float64]:
        """Out-of-the-box polarity of each mention in its text, and of its wider context."""
        lexicon = self.lexicon_
        unique = list(dict.fromkeys(wider))
        tone = dict(zip(unique, lexicon.decision_function(unique), strict=True))
        out = np.empty((len(texts), 2), dtype=np.float64)
        for k, (text, span, context) in enumerate(zip(texts, spans, wider, strict=True)):
            out[k, 0] = lexicon.polarity_of_span(text, *span)
            out[k, 1] = tone[context]
        return out

    @staticmethod
    def _lexicon(clauses: Sequence[str]) -> npt.NDArray[np.float64]:
        scores = [lexicon_polarity([strip_accents(w) for w in c.split()]) for c in clauses]
        return np.asarray(scores, dtype=np.float64).reshape(-1, 1)
