"""The period control shared by the pages of several apps (dashboard, key drivers): presets
and a custom date range, read into one ``Window`` that every section of a page uses."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

PERIOD_DAYS = {"30": 30, "90": 90, "365": 365, "all": None}
CUSTOM = "dates"


@dataclass(frozen=True, slots=True)
class Window:
    """Whole days ``first`` to ``last`` included (``first`` None: all history up to ``last``)."""

    first: dt.date | None
    last: dt.date
    # The form's values, to carry the same window in links (trend JSON, drill-down).
    params: tuple[tuple[str, str], ...] = ()

    @property
    def days(self) -> int | None:
        return None if self.first is None else (self.last - self.first).days + 1

    @property
    def end(self) -> dt.date:
        """The day after the last one (bounds are [first, end) in queries)."""
        return self.last + dt.timedelta(days=1)

    def previous(self) -> Window | None:
        """The window of the same length just before this one (None for all history)."""
        if self.first is None:
            return None
        length = self.last - self.first
        last = self.first - dt.timedelta(days=1)
        return Window(last - length, last)

    @property
    def query(self) -> str:
        return urlencode(self.params)

    def __str__(self) -> str:
        last = formats.date_format(self.last, "j F Y")
        if self.first is None:
            return _g("tout l'historique jusqu'au %(last)s") % {"last": last}
        first = formats.date_format(self.first, "j F Y")
        return _g("du %(first)s au %(last)s") % {"first": first, "last": last}


class PeriodForm(forms.Form):
    periode = forms.ChoiceField(
        label=_("Période"),
        choices=[
            ("30", _("30 derniers jours")),
            ("90", _("90 derniers jours")),
            ("365", _("12 derniers mois")),
            ("all", _("Tout l'historique")),
            (CUSTOM, _("Dates choisies")),
        ],
        required=False,
    )
    du = forms.DateField(
        label=_("du"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    au = forms.DateField(
        label=_("au"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, data: Any = None, *, default: str = "90") -> None:
        # A page's other filters may bind the form without a period: it then shows (and
        # uses) the default, not the select's first option.
        if data is not None and not data.get("periode"):
            data = data.copy()
            data["periode"] = default
        super().__init__(data)
        self.default = default
        self.fields["periode"].initial = default

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("periode") == CUSTOM:
            first, last = data.get("du"), data.get("au")
            if first is None:
                self.add_error("du", _("Indiquez la date de début."))
            if first is not None and last is not None and first > last:
                self.add_error("au", _("La date de fin précède la date de début."))
        return data

    def days(self) -> int | None:
        """Number of days asked for; an invalid or missing value means the default."""
        return self.window().days

    def since(self) -> dt.datetime | None:
        """The window's start as an aware datetime (pages that filter raw timestamps)."""
        first = self.window().first
        if first is None:
            return None
        return timezone.make_aware(dt.datetime.combine(first, dt.time.min))

    def window(self, today: dt.date | None = None) -> Window:
        """The days asked for, ending today for presets; the default preset when the
        form is invalid or empty. A custom range never ends after today."""
        today = today or timezone.localdate()
        choice = self.default
        if self.is_valid() and self.cleaned_data["periode"]:
            choice = self.cleaned_data["periode"]
        if choice == CUSTOM:
            first, last = self.cleaned_data["du"], self.cleaned_data["au"] or today
            last = min(last, today)
            first = min(first, last)
            params = (("periode", CUSTOM), ("du", first.isoformat()), ("au", last.isoformat()))
            return Window(first, last, params)
        days = PERIOD_DAYS[choice]
        first = None if days is None else today - dt.timedelta(days=days - 1)
        return Window(first, today, (("periode", choice),))
