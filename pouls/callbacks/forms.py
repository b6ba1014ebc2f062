"""Forms of the closed loop."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pouls.callbacks.models import Callback, Outcome
from pouls.org.models import Perimeter, Person

MAX_NOTE_CHARS = 4000
PERIODS = [("30", _("30 derniers jours")), ("90", _("90 derniers jours")), ("365", _("12 mois"))]


class CallLogForm(forms.Form):
    issue = forms.ChoiceField(
        label=_("Issue de l’appel"),
        choices=Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choisissez l’issue de l’appel."),
            "invalid_choice": _(
                "« %(value)s » n’est pas une issue connue : joint, résolu, à rappeler ou "
                "injoignable."
            ),
        },
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=MAX_NOTE_CHARS,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": _("Au plus %(limit_value)d caractères, merci.")},
    )
    suivi = forms.BooleanField(
        label=_("Créer un lien d’enquête de suivi à envoyer au client"), required=False
    )


class PeriodForm(forms.Form):
    jours = forms.ChoiceField(label=_("Période"), choices=PERIODS, required=False)

    def days(self) -> int:
        if self.is_valid() and self.cleaned_data.get("jours"):
            return int(self.cleaned_data["jours"])
        return 90


class QueueFilterForm(forms.Form):
    """Filters and order of the callback queue; perimeter and person choices are the
    user's own scope below the page's perimeter."""

    statut = forms.ChoiceField(
        label=_("Statut"),
        choices=[("open", _("À rappeler")), ("closed", _("Clos")), ("all", _("Tous"))],
        required=False,
    )
    retard = forms.BooleanField(label=_("En retard seulement"), required=False)
    perimetre = forms.ModelChoiceField(
        label=_("Périmètre"),
        queryset=Perimeter.objects.none(),
        to_field_name="code",
        required=False,
        empty_label=_("Tout le périmètre"),
    )
    personne = forms.ModelChoiceField(
        label=_("Attribué à"),
        queryset=Person.objects.none(),
        to_field_name="code",
        required=False,
        empty_label=_("Tous"),
    )
    nps = forms.ChoiceField(
        label=_("Note"),
        choices=[
            ("", _("Toutes")),
            ("0-3", _("0 à 3")),
            ("4-6", _("4 à 6")),
            ("7-8", _("7 ou 8")),
        ],
        required=False,
    )
    tri = forms.ChoiceField(
        label=_("Trier par"),
        choices=[
            ("due", _("échéance la plus proche")),
            ("nps", _("note la plus basse")),
            ("recent", _("réponse la plus récente")),
            ("perimeter", _("périmètre")),
        ],
        required=False,
    )

    def __init__(self, data: Any, *, user: Any, perimeter: Perimeter) -> None:
        super().__init__(data)
        people = scoped_people(user, perimeter)
        perimeters = self.fields["perimetre"]
        persons = self.fields["personne"]
        assert isinstance(perimeters, forms.ModelChoiceField)
        assert isinstance(persons, forms.ModelChoiceField)
        perimeters.queryset = (
            Perimeter.objects.for_user(user)
            .filter(path__startswith=perimeter.path)
            .exclude(pk=perimeter.pk)
            .order_by("path")
        )
        persons.queryset = people


class AssignForm(forms.Form):
    """Bulk « prise en charge »: the chosen callbacks go to the user's own person record
    (``prendre``) or to a person of the perimeter (``attribuer``)."""

    rappels = forms.ModelMultipleChoiceField(queryset=Callback.objects.none(), to_field_name="code")
    action = forms.ChoiceField(choices=[("prendre", "prendre"), ("attribuer", "attribuer")])
    personne = forms.ModelChoiceField(
        label=_("Attribuer à"), queryset=Person.objects.none(), to_field_name="code", required=False
    )

    def __init__(self, data: Any, *, user: Any, perimeter: Perimeter) -> None:
        super().__init__(data)
        callbacks = self.fields["rappels"]
        persons = self.fields["personne"]
        assert isinstance(callbacks, forms.ModelMultipleChoiceField)
        assert isinstance(persons, forms.ModelChoiceField)
        # Only callbacks the user runs (managers, analysts, admins), below this perimeter.
        callbacks.queryset = Callback.objects.for_user(user, "run").filter(
            perimeter__path__startswith=perimeter.path
        )
        persons.queryset = scoped_people(user, perimeter)
        self.user = user

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("action") == "attribuer" and not data.get("personne"):
            self.add_error("personne", _("Choisissez la personne à qui attribuer ces rappels."))
        if data.get("action") == "prendre":
            person = Person.objects.for_user(self.user).filter(user=self.user).first()
            if person is None:
                raise forms.ValidationError(
                    _("Votre compte n’est lié à aucune personne : choisissez à qui attribuer.")
                )
            data["personne"] = person
        return data


def scoped_people(user: Any, perimeter: Perimeter) -> Any:
    """Active people the user may see in ``perimeter``'s subtree (assignment choices)."""
    return Person.objects.for_user(user).filter(
        perimeter__path__startswith=perimeter.path, is_active=True
    )
