"""Explicit serializers of the API (never ``__all__``): codes for ids, French help texts."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from pouls.callbacks.models import Callback, CallLog
from pouls.feedback.models import Feedback
from pouls.org.models import Perimeter, Person
from pouls.surveys.models import SurveyLink
from pouls.watch.models import ThemeSignal


class PerimeterSerializer(serializers.ModelSerializer[Perimeter]):
    # DRF's metaclass takes declared fields out of the class, so this does not shadow
    # Field.parent at run time; the stubs cannot know that.
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True)  # type: ignore[assignment,var-annotated]

    class Meta:
        model = Perimeter
        fields = ("code", "ref", "name", "kind", "parent", "depth")


class ThemeSerializer(serializers.Serializer[Any]):
    theme = serializers.CharField(help_text=_("Identifiant du thème de la taxonomie."))
    polarity = serializers.CharField(help_text=_("negative, positive ou neutral."))


class FeedbackSerializer(serializers.ModelSerializer[Feedback]):
    perimeter: serializers.SlugRelatedField[Perimeter] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    sentiment = serializers.SerializerMethodField(help_text=_("Sentiment du texte analysé."))
    themes = serializers.SerializerMethodField()

    class Meta:
        model = Feedback
        fields = (
            "code",
            "perimeter",
            "source_kind",
            "channel",
            "received_at",
            "nps",
            "csat",
            "ces",
            "text",
            "language",
            "callback_consent",
            "source",
            "source_id",
            "sentiment",
            "themes",
        )

    def get_sentiment(self, obj: Feedback) -> str | None:
        note = getattr(obj, "annotation", None)
        return None if note is None else str(note.sentiment_label)

    def get_themes(self, obj: Feedback) -> list[dict[str, str]]:
        return [{"theme": m.theme, "polarity": m.polarity} for m in obj.themes.all()]


class AnswerSerializer(serializers.Serializer[Any]):
    """One answer pushed by a shop, CRM or ticketing system (validated again, row by row,
    by the same pipeline as file imports)."""

    perimeter = serializers.CharField(
        help_text=_("Code, référence ou nom du magasin (dans le périmètre de l'import).")
    )
    received_at = serializers.CharField(help_text=_("Date de la réponse (ISO 8601)."))
    source_id = serializers.CharField(
        required=False, help_text=_("Identifiant de la réponse dans votre outil (dé-doublonnage).")
    )
    nps = serializers.CharField(required=False, help_text=_("Recommandation, 0 à 10."))
    csat = serializers.CharField(required=False, help_text=_("Satisfaction, 1 à 5."))
    ces = serializers.CharField(required=False, help_text=_("Effort (CES)."))
    text = serializers.CharField(required=False, allow_blank=True, help_text=_("Verbatim."))
    customer = serializers.CharField(
        required=False, help_text=_("Identité du client (e-mail…), gardée hachée.")
    )
    callback_consent = serializers.CharField(required=False, help_text=_("Accepte d'être rappelé."))
    person = serializers.CharField(required=False, help_text=_("Vendeur ou conseiller."))


class AnswerBatchSerializer(serializers.Serializer[Any]):
    into = serializers.UUIDField(
        required=False,
        help_text=_("Périmètre d'import (par défaut le plus haut où vous pouvez écrire)."),
    )
    source = serializers.CharField(  # type: ignore[assignment]  # a field, not Field.source
        required=False,
        max_length=100,
        help_text=_("Nom de l'outil et de l'enquête : les identifiants sont uniques par source."),
    )
    answers = AnswerSerializer(many=True, allow_empty=False, max_length=10_000)  # type: ignore[call-arg]


class RejectSerializer(serializers.Serializer[Any]):
    row = serializers.IntegerField()
    reasons = serializers.ListField(child=serializers.CharField())


class ImportResultSerializer(serializers.Serializer[Any]):
    import_code = serializers.UUIDField()
    read = serializers.IntegerField()
    accepted = serializers.IntegerField()
    quarantined = serializers.IntegerField()
    duplicates = serializers.IntegerField()
    rejected = RejectSerializer(many=True)


class ResultSerializer(serializers.Serializer[Any]):
    """An NPS with its adjusted-Wald interval and n (the dashboards' figure)."""

    n = serializers.IntegerField()
    nps = serializers.FloatField(allow_null=True)
    low = serializers.FloatField(allow_null=True)
    high = serializers.FloatField(allow_null=True)
    promoters = serializers.IntegerField()
    passives = serializers.IntegerField()
    detractors = serializers.IntegerField()


class TrendPointSerializer(serializers.Serializer[Any]):
    week = serializers.DateField()
    result = ResultSerializer()


class LeftOutWeekSerializer(serializers.Serializer[Any]):
    """A week kept off the trend line: unfinished (current_week) or cut by the window."""

    week = serializers.DateField()
    reason = serializers.ChoiceField(choices=["current_week", "cut_by_window"])
    result = ResultSerializer()


class ThemeShareSerializer(serializers.Serializer[Any]):
    theme = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # a field, not Field.label
    share = serializers.FloatField(allow_null=True, source="now.share")
    n = serializers.IntegerField(source="now.n")
    mentions = serializers.IntegerField(source="now.successes")


class FiguresSerializer(serializers.Serializer[Any]):
    perimeter = serializers.UUIDField()
    since = serializers.DateField(allow_null=True)
    nps = ResultSerializer()
    trend = TrendPointSerializer(many=True, help_text=_("Semaines entières seulement."))
    left_out = LeftOutWeekSerializer(many=True)
    themes = ThemeShareSerializer(many=True)
    theme_weeks = serializers.IntegerField()


class SignalSerializer(serializers.ModelSerializer[ThemeSignal]):
    perimeter: serializers.SlugRelatedField[Perimeter] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )

    class Meta:
        model = ThemeSignal
        fields = ("code", "perimeter", "theme", "kind", "first_seen", "last_seen")


class CallbackSerializer(serializers.ModelSerializer[Callback]):
    perimeter: serializers.SlugRelatedField[Perimeter] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    feedback: serializers.SlugRelatedField[Feedback] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )

    class Meta:
        model = Callback
        fields = (
            "code",
            "perimeter",
            "feedback",
            "reason",
            "created_at",
            "due_at",
            "outcome",
            "closed_at",
        )


class CallLogSerializer(serializers.ModelSerializer[CallLog]):
    class Meta:
        model = CallLog
        fields = ("outcome", "note", "created_at")
        read_only_fields = ("created_at",)


class PersonSerializer(serializers.ModelSerializer[Person]):
    """A seller, advisor or manager: never their e-mail nor login."""

    perimeter: serializers.SlugRelatedField[Perimeter] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )

    class Meta:
        model = Person
        fields = ("code", "first_name", "last_name", "kind", "perimeter", "is_active")


class SurveyLinkSerializer(serializers.ModelSerializer[SurveyLink]):
    survey = serializers.CharField(source="survey.title", read_only=True)
    perimeter: serializers.SlugRelatedField[Perimeter] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    person: serializers.SlugRelatedField[Person] = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True
    )
    public_url = serializers.SerializerMethodField(
        help_text=_("Adresse du formulaire public (à mettre dans un e-mail, un ticket, un QR).")
    )

    class Meta:
        model = SurveyLink
        fields = ("code", "survey", "perimeter", "person", "public_url")

    def get_public_url(self, obj: SurveyLink) -> str:
        path = reverse("surveys-answer-form", args=[obj.token])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


class ClimateMeanSerializer(serializers.Serializer[Any]):
    mean = serializers.FloatField()
    low = serializers.FloatField(help_text=_("Borne basse de l'intervalle à 95 %."))
    high = serializers.FloatField(help_text=_("Borne haute de l'intervalle à 95 %."))
    n = serializers.IntegerField()


class ClimateDimensionSerializer(serializers.Serializer[Any]):
    id = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # a field, not Field.label
    mean = ClimateMeanSerializer()


class ClimateInstrumentSerializer(serializers.Serializer[Any]):
    instrument = serializers.CharField()
    overall = ClimateMeanSerializer(allow_null=True)
    dimensions = ClimateDimensionSerializer(many=True)


class ClimateGroupSerializer(serializers.Serializer[Any]):
    group = serializers.CharField(help_text=_("Identifiant du groupe de résultats."))
    label = serializers.CharField()  # type: ignore[assignment]  # a field, not Field.label
    published = serializers.BooleanField(
        help_text=_("Faux quand la règle de confidentialité masque ce groupe.")
    )
    reason = serializers.CharField(help_text=_("Pourquoi le groupe est masqué (sans effectif)."))
    n = serializers.IntegerField(allow_null=True, help_text=_("Répondants (groupes publiés)."))
    instruments = ClimateInstrumentSerializer(many=True)


class ClimateResultSerializer(serializers.Serializer[Any]):
    campaign = serializers.UUIDField()
    name = serializers.CharField()
    status = serializers.CharField()
    groups = ClimateGroupSerializer(many=True)


class SalesRowSerializer(serializers.Serializer[Any]):
    """One day of figures of a store (and of a person in it, when given); the days of a
    batch are summed per store, person and day, then upserted: posting again changes
    nothing, a corrected batch replaces the days it covers."""

    date = serializers.CharField(help_text=_("Jour (AAAA-MM-JJ ou JJ/MM/AAAA)."))
    perimeter = serializers.CharField(help_text=_("Code ou nom du magasin / de l'agence."))
    person = serializers.CharField(
        required=False, help_text=_("Prénom et nom d'une personne de ce périmètre.")
    )
    revenue = serializers.CharField(required=False, help_text=_("Chiffre d'affaires du jour."))
    revenue_target = serializers.CharField(required=False)
    orders = serializers.CharField(required=False)
    quotes = serializers.CharField(required=False)
    visits = serializers.CharField(required=False)
    calls = serializers.CharField(required=False)
    reports_filed = serializers.CharField(required=False)


class SalesBatchSerializer(serializers.Serializer[Any]):
    into = serializers.UUIDField(
        required=False,
        help_text=_("Périmètre d'import (par défaut le plus haut où vous pouvez écrire)."),
    )
    rows = SalesRowSerializer(many=True, allow_empty=False, max_length=10_000)  # type: ignore[call-arg]


class SalesRejectSerializer(serializers.Serializer[Any]):
    row = serializers.IntegerField()
    reason = serializers.CharField()


class SalesResultSerializer(serializers.Serializer[Any]):
    read = serializers.IntegerField()
    accepted = serializers.IntegerField()
    quarantined = serializers.IntegerField()
    duplicates = serializers.IntegerField()
    rejected = SalesRejectSerializer(many=True)
