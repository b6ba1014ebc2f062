"""Forms of the surveys app: the survey an administrator creates, and the public answer."""

from __future__ import annotations

import re
import secrets
from typing import Any

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from pouls.org.models import Perimeter
from pouls.surveys.models import DEFAULT_QUESTION, Survey

NONCE_SALT = "pouls.surveys.form"
NONCE_MAX_AGE = 2 * 24 * 3600  # a form left open on a phone for a day still posts
MAX_WHY_CHARS = 4000
_PHONE = re.compile(r"^\+?[0-9 .()\-]{9,24}$")


class SurveyForm(forms.ModelForm[Survey]):
    class Meta:
        model = Survey
        fields = (
            "perimeter",
            "title",
            "question",
            "ask_csat",
            "ask_ces",
            "ask_callback",
            "use_invitations",
        )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["perimeter"]
        assert isinstance(field, forms.ModelChoiceField)  # narrows for mypy
        field.queryset = Perimeter.objects.for_user(user, "admin").order_by("path")
        field.label = _("Périmètre (ses magasins et vendeurs reçoivent un lien)")
        field.error_messages["invalid_choice"] = _("Choisissez un périmètre que vous administrez.")
        self.fields["title"].error_messages["required"] = _("Donnez un titre à l’enquête.")
        self.fields["question"].initial = DEFAULT_QUESTION
        self.fields["question"].error_messages["required"] = _(
            "Écrivez la question de recommandation."
        )


class ManageForm(forms.Form):
    action = forms.ChoiceField(
        choices=[
            ("fermer", _("Fermer l’enquête")),
            ("rouvrir", _("Rouvrir l’enquête")),
            ("liens", _("Créer les liens des nouveaux magasins et vendeurs")),
        ],
        error_messages={
            "required": _("Choisissez une action : fermer, rouvrir ou créer les liens."),
            "invalid_choice": _(
                "« %(value)s » n’est pas une action connue : fermer, rouvrir ou liens."
            ),
        },
    )


class InvitationsForm(forms.Form):
    nombre = forms.IntegerField(
        label=_("Nombre d’invitations"),
        min_value=1,
        max_value=5000,
        error_messages={
            "required": _("Indiquez combien d’invitations créer (1 à 5 000)."),
            "invalid": _("Indiquez un nombre entier d’invitations (1 à 5 000)."),
            "min_value": _("Créez au moins une invitation."),
            "max_value": _("Au plus 5 000 invitations à la fois."),
        },
    )


def new_nonce() -> str:
    """A signed, random token rendered in each form: one answer per form displayed."""
    return signing.dumps(secrets.token_urlsafe(12), salt=NONCE_SALT)


def _scale(low: int, high: int) -> list[tuple[int, str]]:
    return [(i, str(i)) for i in range(low, high + 1)]


class AnswerForm(forms.Form):
    """The public answer. Field names are French: they show in the page's markup."""

    note = forms.TypedChoiceField(
        coerce=int,
        choices=_scale(0, 10),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choisissez une note de 0 à 10."),
            "invalid_choice": _("La note doit être un nombre entier de 0 à 10."),
        },
    )
    pourquoi = forms.CharField(
        label=_("Pourquoi ?"),
        required=False,
        max_length=MAX_WHY_CHARS,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": _("Au plus %(limit_value)d caractères, merci.")},
    )
    satisfaction = forms.TypedChoiceField(
        coerce=int,
        choices=_scale(1, 5),
        required=False,
        empty_value=None,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("La satisfaction se note de 1 à 5.")},
    )
    effort = forms.TypedChoiceField(
        coerce=int,
        choices=_scale(1, 5),
        required=False,
        empty_value=None,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("L’effort se note de 1 à 5.")},
    )
    rappel = forms.BooleanField(
        label=_("J’accepte d’être rappelé·e au sujet de ma réponse"), required=False
    )
    contact = forms.CharField(
        label=_("Téléphone ou e-mail"),
        required=False,
        max_length=200,
        error_messages={"max_length": _("Au plus %(limit_value)d caractères, merci.")},
    )
    # Honeypot: hidden from people (CSS and aria-hidden), filled in by naive robots.
    site_web = forms.CharField(required=False, max_length=500)
    jeton = forms.CharField(widget=forms.HiddenInput)
    invitation = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args: Any, survey: Survey, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["jeton"].error_messages["required"] = _(
            "Le formulaire est incomplet : merci de recharger la page."
        )
        for name, wanted in (
            ("satisfaction", survey.ask_csat),
            ("effort", survey.ask_ces),
            ("rappel", survey.ask_callback),
            ("contact", survey.ask_callback),
        ):
            if not wanted:
                del self.fields[name]

    def clean_jeton(self) -> str:
        nonce = str(self.cleaned_data["jeton"])
        try:
            signing.loads(nonce, salt=NONCE_SALT, max_age=NONCE_MAX_AGE)
        except signing.BadSignature:
            raise ValidationError(
                _("Ce formulaire avait expiré : vérifiez vos réponses et envoyez-les à nouveau.")
            ) from None
        return nonce

    def clean_contact(self) -> str:
        value = " ".join(str(self.cleaned_data.get("contact") or "").split())
        if not value:
            return ""
        if "@" in value:
            try:
                validate_email(value)
            except ValidationError:
                raise ValidationError(
                    _("« %(value)s » n’est pas une adresse e-mail valide."),
                    params={"value": value[:80]},
                ) from None
        elif not _PHONE.match(value) or sum(c.isdigit() for c in value) < 9:
            raise ValidationError(
                _(
                    "« %(value)s » n’est ni un numéro de téléphone (au moins 9 chiffres) "
                    "ni une adresse e-mail."
                ),
                params={"value": value[:80]},
            )
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("rappel") and not data.get("contact") and "contact" not in self.errors:
            self.add_error(
                "contact", _("Indiquez un téléphone ou un e-mail pour que nous vous rappelions.")
            )
        if data.get("contact") and not data.get("rappel"):
            self.add_error(
                "rappel",
                _("Cochez cette case pour être rappelé·e, ou laissez le champ contact vide."),
            )
        return data
