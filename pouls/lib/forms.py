"""The period control shared by the pages of several apps (dashboard, key drivers)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

PERIOD_DAYS = {"30": 30, "90": 90, "365": 365, "all": None}


class PeriodForm(forms.Form):
    periode = forms.ChoiceField(
        label=_("Période"),
        choices=[
            ("30", _("30 derniers jours")),
            ("90", _("90 derniers jours")),
            ("365", _("12 derniers mois")),
            ("all", _("Tout l'historique")),
        ],
        required=False,
    )

    def days(self) -> int | None:
        """Number of days asked for; an invalid or missing value means the default, 90."""
        if self.is_valid() and self.cleaned_data["periode"]:
            return PERIOD_DAYS[self.cleaned_data["periode"]]
        return 90

    def since(self) -> dt.datetime | None:
        days = self.days()
        return None if days is None else timezone.now() - dt.timedelta(days=days)
