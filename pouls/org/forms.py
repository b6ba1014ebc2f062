"""Forms of people and access; every choice is limited to the admin's perimeters."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pouls.org.models import AuditEvent, Grant, Perimeter, Person


class PerimeterChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    """Perimeters shown as an indented tree."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{'— ' * obj.depth}{obj.name}"


class PersonChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A seller or manager chosen by name and team, never by a number."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.first_name} {obj.last_name} — {obj.get_kind_display()}, {obj.perimeter.name}"


def _admin_perimeters(user: Any) -> Any:
    return Perimeter.objects.for_user(user, "admin").filter(closed_on__isnull=True).order_by("path")


def _people(user: Any) -> Any:
    return (
        Person.objects.for_user(user, "admin")
        .filter(is_active=True)
        .select_related("perimeter")
        .order_by("last_name", "first_name")
    )


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("Adresse e-mail"))
    first_name = forms.CharField(label=_("Prénom"), max_length=150)
    last_name = forms.CharField(label=_("Nom"), max_length=150)
    perimeter = PerimeterChoice(label=_("Périmètre"), queryset=Perimeter.objects.none())
    role = forms.ChoiceField(label=_("Rôle"), choices=Grant.Role.choices)
    person = PersonChoice(
        label=_("Fiche de vendeur·se ou de manager (facultatif)"),
        queryset=Person.objects.none(),
        required=False,
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["perimeter"].queryset = _admin_perimeters(user)  # type: ignore[attr-defined]
        self.fields["person"].queryset = _people(user).filter(user__isnull=True)  # type: ignore[attr-defined]


class GrantForm(forms.Form):
    perimeter = PerimeterChoice(label=_("Périmètre"), queryset=Perimeter.objects.none())
    role = forms.ChoiceField(label=_("Rôle"), choices=Grant.Role.choices)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["perimeter"].queryset = _admin_perimeters(user)  # type: ignore[attr-defined]


class GrantRemoveForm(forms.Form):
    grant = forms.ModelChoiceField(queryset=Grant.objects.none())

    def __init__(self, *args: Any, user: Any, account_user_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["grant"].queryset = Grant.objects.for_user(user, "admin").filter(  # type: ignore[attr-defined]
            user_id=account_user_id
        )


class LinkForm(forms.Form):
    person = PersonChoice(
        label=_("Fiche reliée"),
        queryset=Person.objects.none(),
        required=False,
        empty_label=_("— aucune —"),
    )

    def __init__(self, *args: Any, user: Any, account_user_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from django.db.models import Q

        self.fields["person"].queryset = _people(user).filter(  # type: ignore[attr-defined]
            Q(user__isnull=True) | Q(user_id=account_user_id)
        )


class PerimeterForm(forms.Form):
    name = forms.CharField(label=_("Nom"), max_length=200)
    parent = PerimeterChoice(label=_("Rattaché à"), queryset=Perimeter.objects.none())

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = _admin_perimeters(user)  # type: ignore[attr-defined]


class NewPerimeterForm(PerimeterForm):
    kind = forms.ChoiceField(label=_("Type"), choices=Perimeter.Kind.choices)
    ref = forms.CharField(label=_("Référence"), max_length=64, help_text=_("ex. MAG-LIL-02"))

    def clean_ref(self) -> str:
        ref = str(self.cleaned_data["ref"]).strip()
        if Perimeter.objects.filter(ref=ref).exists():
            raise forms.ValidationError(_("Cette référence est déjà prise."))
        return ref


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Action"), choices=[("", _("Toutes"))] + AuditEvent.Action.choices, required=False
    )
    who = forms.CharField(label=_("Qui (identifiant)"), required=False, max_length=150)
    since = forms.DateField(
        label=_("Depuis le"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("Jusqu’au"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
