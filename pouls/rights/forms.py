"""The customers' rights form (an identity given by the customer, and what to do)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class CustomerRightsForm(forms.Form):
    """The e-mail or phone number a customer gave to exercise their rights."""

    identite = forms.CharField(
        label=_("E-mail ou téléphone du client"),
        max_length=255,
        help_text=_(
            "Tel que le client l’a donné : le téléphone est cherché sous toutes ses écritures "
            "(espaces, points, +33)."
        ),
    )
    action = forms.ChoiceField(
        choices=[
            ("chercher", _("Chercher")),
            ("json", _("Exporter (JSON)")),
            ("csv", _("Exporter (CSV)")),
            ("effacer", _("Effacer")),
        ],
        initial="chercher",
        required=False,
    )
    confirmer = forms.BooleanField(
        label=_("Je confirme l’effacement définitif de ces données."), required=False
    )
