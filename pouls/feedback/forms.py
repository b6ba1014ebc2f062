"""Forms of what comes in: uploads and their column mapping, reprocessing, field reports."""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

from django import forms
from django.conf import settings
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from pouls.feedback.importers.mapping import PRESETS
from pouls.feedback.models import Feedback
from pouls.org.forms import PerimeterChoice, _admin_perimeters
from pouls.org.models import Perimeter, Person


class ImportUploadForm(forms.Form):
    """Upload of a feedback file; every choice is restricted to the user's scope."""

    perimeter = forms.ModelChoiceField(
        label=_("Importer dans le périmètre"), queryset=Perimeter.objects.none()
    )
    file = forms.FileField(label=_("Fichier (CSV, XLSX ou JSON Lines)"))
    preset = forms.ChoiceField(label=_("Outil d'origine"), required=False)
    survey = forms.CharField(
        label=_("Questionnaire d'origine (facultatif)"),
        help_text=_(
            "Les identifiants de réponse sont dédoublonnés par outil et questionnaire ; "
            "sans nom, par périmètre importé."
        ),
        max_length=80,
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
    # Never month-first by default: the order is inferred from every date of the column.
    day_first = forms.ChoiceField(
        label=_("Ordre du jour et du mois dans les dates"),
        choices=[
            ("auto", _("Déduit de toutes les dates (jour/mois si rien ne l'indique)")),
            ("day", _("Jour/mois (22/11/2026)")),
            ("month", _("Mois/jour (11/22/2026)")),
        ],
        initial="auto",
        required=False,
    )

    def __init__(
        self,
        *args: Any,
        header: list[str],
        user: Any,
        labels: dict[str, str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        labels = labels or {}
        named = [(h, f"{h} — {labels[h]}" if labels.get(h) else h) for h in header]
        choices = [("", _("— aucune —")), *named]
        for name, label in MAPPED_FIELDS.items():
            self.fields[name] = forms.ChoiceField(label=label, choices=choices, required=False)
        text_field = self.fields["text"]
        assert isinstance(text_field, forms.MultipleChoiceField)
        text_field.choices = named
        perimeter_field = self.fields["default_perimeter"]
        assert isinstance(perimeter_field, forms.ModelChoiceField)
        perimeter_field.queryset = Perimeter.objects.for_user(user, "change")
        self.order_fields(["perimeter", "default_perimeter", "received_at", "day_first", "text"])

    def chosen(self) -> dict[str, Any]:
        """Field -> column(s) as currently chosen (posted, else proposed), for the preview."""
        if self.is_bound:
            # A bound form's data is the request's QueryDict (typed as a plain Mapping).
            data = cast(QueryDict, self.data)
            return {
                name: data.getlist(name) if name == "text" else data.get(name, "")
                for name in (*MAPPED_FIELDS, "text")
            }
        return {name: self.initial.get(name) for name in (*MAPPED_FIELDS, "text")}

    @classmethod
    def initial_from(cls, mapping: dict[str, Any]) -> dict[str, Any]:
        """The form's initial values from a stored mapping (the one an import used)."""
        columns = mapping.get("columns") or {}
        initial: dict[str, Any] = {}
        for name in MAPPED_FIELDS:
            value = columns.get(name)
            initial[name] = value[0] if isinstance(value, list) and value else value or ""
        text = columns.get("text") or []
        initial["text"] = text if isinstance(text, list) else [text]
        order = mapping.get("day_first")
        initial["day_first"] = "auto" if order is None else "day" if order else "month"
        return initial

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
            "day_first": {"day": True, "month": False}.get(data.get("day_first") or "auto"),
            "guess": False,
        }


class OrgImportForm(forms.Form):
    perimeter = PerimeterChoice(
        label=_("Importer sous le périmètre"), queryset=Perimeter.objects.none()
    )
    file = forms.FileField(label=_("Export RH (CSV ou XLSX)"))
    close_missing = forms.BooleanField(
        label=_("Export complet : fermer les magasins et désactiver les personnes absentes"),
        required=False,
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["perimeter"].queryset = _admin_perimeters(user)  # type: ignore[attr-defined]
