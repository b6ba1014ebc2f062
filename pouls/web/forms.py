from __future__ import annotations

import functools
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from pouls.annotations.models import Polarity
from pouls.feedback.models import Feedback
from pouls.org.models import Perimeter, Person
from pouls.surveys.models import Survey
from pouls.surveys.queries import visible_surveys

NPS_RANGES = {"detractor": (0, 6), "passive": (7, 8), "promoter": (9, 10)}
LANGUAGES = [
    ("fr", _("français")),
    ("en", _("anglais")),
    ("es", _("espagnol")),
    ("de", _("allemand")),
    ("it", _("italien")),
    ("pt", _("portugais")),
    ("nl", _("néerlandais")),
]


def _theme_choices() -> list[tuple[str, str]]:
    from pouls.annotations.corrections import theme_choices

    return list(theme_choices())


@functools.cache
def _behaviour_choices() -> list[tuple[str, str]]:
    from pouls_analysis.behaviours import load_definitions

    return [(d.id, d.label) for d in load_definitions()]


def _any(label: Any, choices: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    return [("", label), *choices]


class VerbatimFilterForm(forms.Form):
    """The verbatim explorer's filters (its period: ``lib.forms.PeriodForm``, same GET).
    Perimeter and seller choices are the user's own scope below the page's perimeter."""

    q = forms.CharField(label=_("Rechercher"), max_length=200, required=False)
    categorie = forms.ChoiceField(
        label=_("Catégorie NPS"),
        choices=[
            ("", _("Toutes")),
            ("detractor", _("Détracteurs (0-6)")),
            ("passive", _("Passifs (7-8)")),
            ("promoter", _("Promoteurs (9-10)")),
        ],
        required=False,
    )
    theme = forms.ChoiceField(label=_("Thème"), required=False)
    polarite = forms.ChoiceField(
        label=_("Ton du thème"), choices=_any(_("Tous"), list(Polarity.choices)), required=False
    )
    sentiment = forms.ChoiceField(
        label=_("Sentiment du texte"),
        choices=_any(_("Tous"), list(Polarity.choices)),
        required=False,
    )
    comportement = forms.ChoiceField(label=_("Comportement de service"), required=False)
    source = forms.ChoiceField(
        label=_("Source"),
        choices=_any(_("Toutes"), list(Feedback.SourceKind.choices)),
        required=False,
    )
    canal = forms.ChoiceField(
        label=_("Canal"), choices=_any(_("Tous"), list(Feedback.Channel.choices)), required=False
    )
    langue = forms.ChoiceField(
        label=_("Langue détectée"), choices=_any(_("Toutes"), LANGUAGES), required=False
    )
    perimetre = forms.ModelChoiceField(
        label=_("Périmètre"),
        queryset=Perimeter.objects.none(),
        to_field_name="code",
        required=False,
        empty_label=_("Tout le périmètre"),
    )
    enquete = forms.ModelChoiceField(
        label=_("Enquête"),
        queryset=Survey.objects.none(),
        to_field_name="code",
        required=False,
        empty_label=_("Toutes"),
    )
    vendeur = forms.ModelChoiceField(
        label=_("Vendeur·se"),
        queryset=Person.objects.none(),
        to_field_name="code",
        required=False,
        empty_label=_("Tous"),
    )

    def __init__(self, data: Any, *, user: Any, perimeter: Perimeter) -> None:
        super().__init__(data)
        below = {"path__startswith": perimeter.path}
        perimeters = self.fields["perimetre"]
        sellers = self.fields["vendeur"]
        assert isinstance(perimeters, forms.ModelChoiceField)
        assert isinstance(sellers, forms.ModelChoiceField)
        perimeters.queryset = (
            Perimeter.objects.for_user(user).filter(**below).exclude(pk=perimeter.pk)
        ).order_by("path")
        sellers.queryset = Person.objects.for_user(user).filter(
            **{f"perimeter__{k}": v for k, v in below.items()}, kind=Person.Kind.SELLER
        )
        surveys = self.fields["enquete"]
        assert isinstance(surveys, forms.ModelChoiceField)
        surveys.queryset = visible_surveys(user).order_by("-created_at")
        self.fields["theme"].choices = _any(_("Tous"), _theme_choices())  # type: ignore[attr-defined]
        self.fields["comportement"].choices = _any(_("Tous"), _behaviour_choices())  # type: ignore[attr-defined]


class ThemeCorrectionForm(forms.Form):
    """One analyst's word on one theme of a text: it fits (1) or not (0). The theme may be
    given by its id (the chips' buttons) or its French label (the shared list of themes)."""

    theme = forms.CharField(label=_("Thème"), max_length=100)
    present = forms.TypedChoiceField(
        choices=[("1", _("convient")), ("0", _("ne convient pas"))],
        coerce=lambda value: value == "1",
    )

    def clean_theme(self) -> str:
        value = self.cleaned_data["theme"].strip()
        for theme, label in _theme_choices():
            if value == theme or value.casefold() == str(label).casefold():
                return theme
        raise ValidationError(_("Thème inconnu : %(value)s"), params={"value": value})
