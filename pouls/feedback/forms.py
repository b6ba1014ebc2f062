"""Forms of what comes in: uploads and their column mapping, reprocessing, field reports."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from pouls.feedback.importers.mapping import PRESETS, MappingError, load_mapping
from pouls.feedback.models import Feedback
from pouls.org.models import Perimeter, Person


class ImportUploadForm(forms.Form):
    """Upload of a feedback file; every choice is restricted to the user's scope."""

    perimeter = forms.ModelChoiceField(
        label=_("Importer dans le périmètre"), queryset=Perimeter.objects.none()
    )
    file = forms.FileField(label=_("Fichier (CSV, XLSX ou JSON Lines)"))
    preset = forms.ChoiceField(label=_("Outil d'origine"), required=False)
    mapping = forms.CharField(
        label=_("Correspondance des colonnes (YAML, facultatif)"),
        widget=forms.Textarea(
            attrs={"rows": 6, "placeholder": "columns:\n  nps: Q_NPS\n  text: Q_Why"}
        ),
        required=False,
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        perimeter_field = self.fields["perimeter"]
        assert isinstance(perimeter_field, forms.ModelChoiceField)
        perimeter_field.queryset = Perimeter.objects.for_user(user, "change")
        preset_field = self.fields["preset"]
        assert isinstance(preset_field, forms.ChoiceField)
        preset_field.choices = [("", _("Détection automatique"))] + [
            (p, p) for p in sorted(PRESETS)
        ]

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        limit = settings.POULS_MAX_UPLOAD_MB * 1024 * 1024
        if upload.size > limit:
            raise forms.ValidationError(
                _(
                    "Fichier trop gros (%(size)s Mo) : au plus %(max)s Mo ; "
                    "utilisez `pouls import`."
                ),
                params={
                    "size": upload.size // (1024 * 1024),
                    "max": settings.POULS_MAX_UPLOAD_MB,
                },
            )
        suffix = Path(upload.name).suffix.lower()
        if suffix not in {".csv", ".tsv", ".txt", ".xlsx", ".jsonl", ".ndjson"}:
            raise forms.ValidationError(
                _("Format « %(suffix)s » non pris en charge : .csv, .tsv, .txt, .xlsx, .jsonl."),
                params={"suffix": suffix or "?"},
            )
        return upload

    def clean_mapping(self) -> dict[str, Any]:
        return parse_mapping_text(self.cleaned_data.get("mapping") or "")


def parse_mapping_text(text: str) -> dict[str, Any]:
    """A YAML mapping typed in a form, checked the same way as a mapping file."""
    if not text.strip():
        return {}
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise forms.ValidationError(
            _("YAML illisible : %(error)s"), params={"error": exc}
        ) from None
    if not isinstance(data, dict):
        raise forms.ValidationError(_("La correspondance doit être un dictionnaire YAML."))
    try:
        load_mapping(data)
    except MappingError as exc:
        raise forms.ValidationError(str(exc)) from None
    return data


class ReprocessForm(forms.Form):
    mapping = forms.CharField(
        label=_("Correspondance corrigée (YAML)"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
    )

    def clean_mapping(self) -> dict[str, Any]:
        return parse_mapping_text(self.cleaned_data.get("mapping") or "")


class FieldReportForm(forms.Form):
    """A seller's field report: what a customer expects, a dysfunction, a competitor move."""

    perimeter = forms.ModelChoiceField(label=_("Mon périmètre"), queryset=Perimeter.objects.none())
    category = forms.ChoiceField(
        label=_("De quoi s'agit-il ?"),
        choices=[c for c in Feedback.Category.choices if c[0]],
        widget=forms.RadioSelect,
    )
    text = forms.CharField(
        label=_("Ce que vous avez vu ou entendu"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    department = forms.ModelChoiceField(
        label=_("Adresser à un service support (facultatif)"),
        queryset=Perimeter.objects.none(),
        required=False,
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        perimeter_field = self.fields["perimeter"]
        assert isinstance(perimeter_field, forms.ModelChoiceField)
        perimeter_field.queryset = Perimeter.objects.for_user(user).exclude(
            kind=Perimeter.Kind.DEPARTMENT
        )
        # Most senders have one place of work: their own perimeter comes preselected.
        person = Person.objects.for_user(user).filter(user=user).first()
        if person is not None:
            perimeter_field.initial = person.perimeter_id
        department_field = self.fields["department"]
        assert isinstance(department_field, forms.ModelChoiceField)
        department_field.queryset = Perimeter.objects.filter(kind=Perimeter.Kind.DEPARTMENT)


MAPPED_FIELDS = {
    "perimeter": _("Périmètre (code ou nom)"),
    "received_at": _("Date de réponse"),
    "nps": _("Note de recommandation (0-10)"),
    "csat": _("Satisfaction (1-5)"),
    "ces": _("Effort (CES)"),
    "source_id": _("Identifiant de la réponse"),
    "customer": _("Identité du client (e-mail…), gardée hachée"),
    "callback_consent": _("Accepte d'être rappelé"),
    "person": _("Vendeur ou conseiller"),
}


class ColumnMappingForm(forms.Form):
    """One select per field, over the file's own columns, prefilled with the guesses."""

    text = forms.MultipleChoiceField(
        label=_("Verbatim (une ou plusieurs colonnes)"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    default_perimeter = forms.ModelChoiceField(
        label=_("Périmètre de toutes les lignes (si aucune colonne de périmètre)"),
        queryset=Perimeter.objects.none(),
        required=False,
    )
    day_first = forms.BooleanField(
        label=_("Dates au format jour/mois (22/11/2026) plutôt que mois/jour"),
        required=False,
        initial=True,
    )

    def __init__(self, *args: Any, header: list[str], user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", _("— aucune —"))] + [(h, h) for h in header]
        for name, label in MAPPED_FIELDS.items():
            self.fields[name] = forms.ChoiceField(label=label, choices=choices, required=False)
        text_field = self.fields["text"]
        assert isinstance(text_field, forms.MultipleChoiceField)
        text_field.choices = [(h, h) for h in header]
        perimeter_field = self.fields["default_perimeter"]
        assert isinstance(perimeter_field, forms.ModelChoiceField)
        perimeter_field.queryset = Perimeter.objects.for_user(user, "change")
        self.order_fields(["perimeter", "default_perimeter", "received_at", "day_first", "text"])

    def mapping(self) -> dict[str, Any]:
        """The mapping as a YAML file would give it."""
        data = self.cleaned_data
        columns: dict[str, Any] = {n: data[n] for n in MAPPED_FIELDS if data.get(n)}
        if data.get("text"):
            columns["text"] = list(data["text"])
        defaults: dict[str, str] = {}
        if data.get("default_perimeter") and "perimeter" not in columns:
            defaults["perimeter"] = data["default_perimeter"].ref
        return {
            "columns": columns,
            "defaults": defaults,
            "day_first": bool(data.get("day_first")),
            "guess": False,
        }
