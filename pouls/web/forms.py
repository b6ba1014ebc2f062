from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class VerbatimFilterForm(forms.Form):
    categorie = forms.ChoiceField(
        label=_("Catégorie"),
        choices=[
            ("", _("Tous")),
            ("detractor", _("Détracteurs (0-6)")),
            ("passive", _("Passifs (7-8)")),
            ("promoter", _("Promoteurs (9-10)")),
        ],
        required=False,
    )
    q = forms.CharField(label=_("Contient"), max_length=100, required=False)


def _theme_choices() -> list[tuple[str, str]]:
    from pouls.annotations.corrections import theme_choices

    return list(theme_choices())


class ThemeCorrectionForm(forms.Form):
    """One analyst's word on one theme of a text: it fits (1) or not (0)."""

    theme = forms.ChoiceField(label=_("Thème"), choices=_theme_choices)
    present = forms.TypedChoiceField(
        choices=[("1", _("convient")), ("0", _("ne convient pas"))],
        coerce=lambda value: value == "1",
    )
