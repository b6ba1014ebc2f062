"""Forms of the briefings app: every related choice is restricted to the user's scope."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pouls.briefings.models import Briefing, Commitment, Period
from pouls.briefings.queries import SECTION_KEYS, SECTION_TITLES, default_start
from pouls.org.models import Perimeter, Person

WEEKDAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]


class BriefingForm(forms.Form):
    period = forms.ChoiceField(label=_("Rythme"), choices=Period.choices, initial=Period.WEEKLY)
    start = forms.DateField(
        label=_("Début de la période"),
        required=False,
        help_text=_(
            "Laisser vide : la dernière semaine complète (ou le dernier jour d'ouverture)."
        ),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    sections = forms.MultipleChoiceField(
        label=_("Sections présentées"),
        choices=[(k, SECTION_TITLES[k]) for k in SECTION_KEYS],
        initial=list(SECTION_KEYS),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choisissez au moins une section à présenter.")},
    )

    def __init__(
        self, data: Any = None, *, user: Any = None, perimeter: Perimeter | None = None
    ) -> None:
        super().__init__(data)
        self.user, self.perimeter = user, perimeter

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        period = data.get("period")
        if not period:
            return data
        start = data.get("start") or default_start(period, user=self.user, perimeter=self.perimeter)
        if start >= timezone.localdate():
            self.add_error(
                "start",
                _("La période doit être terminée : choisissez un jour avant aujourd'hui."),
            )
        if period == Period.WEEKLY and start.weekday() != 0:
            self.add_error(
                "start",
                _("Un point hebdomadaire commence un lundi : le %(day)s est un %(weekday)s.")
                % {"day": start.strftime("%d/%m/%Y"), "weekday": WEEKDAYS[start.weekday()]},
            )
        data["start"] = start
        return data

    def hidden_sections(self) -> list[str]:
        return [k for k in SECTION_KEYS if k not in self.cleaned_data["sections"]]


class CommitmentForm(forms.Form):
    text = forms.CharField(
        label=_("Engagement"),
        max_length=300,
        error_messages={"required": _("Écrivez l'engagement en une phrase.")},
    )
    owner = forms.ModelChoiceField(
        label=_("Porteur"),
        queryset=Person.objects.none(),
        error_messages={
            "required": _("Choisissez qui porte l'engagement."),
            "invalid_choice": _("Cette personne ne fait pas partie de l'équipe."),
        },
    )
    due = forms.DateField(
        label=_("Échéance"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": _("Donnez une échéance."),
            "invalid": _("Date illisible : utilisez le format JJ/MM/AAAA."),
        },
    )

    def __init__(self, *args: Any, user: Any, briefing: Briefing, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["owner"]
        field.queryset = (
            Person.objects.for_user(user)
            .filter(perimeter__path__startswith=briefing.perimeter.path, is_active=True)
            .order_by("last_name", "first_name")
        )

    def clean_due(self) -> dt.date:
        due: dt.date = self.cleaned_data["due"]
        if due < timezone.localdate():
            raise forms.ValidationError(
                _("L'échéance est déjà passée : choisissez une date à venir.")
            )
        if due > timezone.localdate() + dt.timedelta(days=92):
            raise forms.ValidationError(
                _("Une échéance à plus de trois mois n'est plus un engagement d'équipe.")
            )
        return due


class CommitmentStatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Statut"),
        choices=Commitment.Status.choices,
        error_messages={"invalid_choice": _("Statut inconnu : en cours, tenu ou abandonné.")},
    )


class ScheduleForm(forms.Form):
    period = forms.ChoiceField(
        choices=Period.choices,
        error_messages={"invalid_choice": _("Rythme inconnu : quotidien ou hebdomadaire.")},
    )
    active = forms.BooleanField(required=False)
