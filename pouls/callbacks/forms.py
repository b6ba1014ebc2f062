"""Forms of the closed loop."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from pouls.callbacks.models import Outcome

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
