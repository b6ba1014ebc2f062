"""Forms of the climate app: campaign creation (scoped choices) and the respondent's form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from pouls.climate.instruments import parse, shipped_choices, shipped_text
from pouls.climate.models import DEMOGRAPHICS, Campaign
from pouls.org.models import Perimeter
from pouls_analysis.climate.confidentiality import MIN_THRESHOLD
from pouls_analysis.climate.instruments import Instrument
from pouls_analysis.exceptions import InvalidInputError

MAX_INSTRUMENT_BYTES = 200_000


class CampaignForm(forms.Form):
    """A draft campaign. Perimeter and target choices are restricted to the user's scope."""

    name = forms.CharField(label=_("Nom de la campagne"), max_length=200)
    perimeter = forms.ModelChoiceField(
        label=_("Périmètre porteur"), queryset=Perimeter.objects.none()
    )
    targets = forms.ModelMultipleChoiceField(
        label=_("Population interrogée (périmètres et tout ce qu'ils contiennent)"),
        queryset=Perimeter.objects.none(),
    )
    instruments = forms.MultipleChoiceField(
        label=_("Questionnaires fournis"),
        choices=[],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    licensed_file = forms.FileField(
        label=_("Questionnaire sous licence (fichier YAML, facultatif)"),
        required=False,
        help_text=_(
            "Un questionnaire dont votre organisation détient la licence, au format des "
            "fichiers fournis."
        ),
    )
    demographics = forms.MultipleChoiceField(
        label=_("Catégories larges demandées aux répondants"),
        choices=[(k, label) for k, (label, _values) in DEMOGRAPHICS.items()],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    min_scores = forms.IntegerField(
        label=_("Seuil de publication des scores (répondants)"),
        initial=5,
        min_value=MIN_THRESHOLD,
        max_value=1000,
    )
    min_comments = forms.IntegerField(
        label=_("Seuil de publication des commentaires"),
        initial=10,
        min_value=MIN_THRESHOLD,
        max_value=1000,
    )

    distributor = forms.CharField(
        label=_("Distributeur des liens imprimés (identifiant de connexion, facultatif)"),
        required=False,
        max_length=150,
        help_text=_(
            "Une personne de confiance qui ne voit aucun résultat de la campagne (par exemple "
            "un représentant du personnel) : elle seule imprime les liens et invite des "
            "adresses saisies à la main. Personne qui lit les résultats ne peut ainsi répondre "
            "à la place des autres."
        ),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        scoped = Perimeter.objects.for_user(user, "change")
        self.fields["perimeter"].queryset = scoped  # type: ignore[attr-defined]
        self.fields["targets"].queryset = scoped  # type: ignore[attr-defined]
        self.fields["instruments"].choices = shipped_choices()  # type: ignore[attr-defined]

    def clean_licensed_file(self) -> Instrument | None:
        upload = self.cleaned_data.get("licensed_file")
        if not upload:
            return None
        if upload.size > MAX_INSTRUMENT_BYTES:
            raise forms.ValidationError(_("Fichier trop gros (200 ko au plus)."))
        try:
            text = upload.read().decode("utf-8")
            instrument = parse(text, upload.name)
        except UnicodeDecodeError as exc:
            raise forms.ValidationError(_("Le fichier doit être encodé en UTF-8.")) from exc
        except InvalidInputError as exc:
            raise forms.ValidationError(
                _("Questionnaire invalide : %(detail)s"), params={"detail": str(exc)}
            ) from exc
        self.licensed_text = text
        return instrument

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        owner, targets = data.get("perimeter"), data.get("targets")
        if owner and targets and any(not t.path.startswith(owner.path) for t in targets):
            self.add_error("targets", _("La population doit être dans le périmètre porteur."))
        if not data.get("instruments") and not data.get("licensed_file"):
            self.add_error("instruments", _("Choisissez au moins un questionnaire."))
        if owner and data.get("distributor"):
            try:
                data["distributor"] = check_distributor(data["distributor"], owner)
            except forms.ValidationError as exc:
                self.add_error("distributor", exc)
        else:
            data["distributor"] = None
        return data

    def instrument_texts(self) -> dict[str, str]:
        texts = {name: shipped_text(name) for name in self.cleaned_data["instruments"]}
        licensed = self.cleaned_data.get("licensed_file")
        if licensed is not None:
            texts[licensed.id] = self.licensed_text
        return texts


def check_distributor(username: str, owner: Perimeter) -> Any:
    """The active account named ``username`` if it sees no perimeter of the campaign (every
    result group lies under the owner perimeter); one message for every refusal, so the form
    does not tell which accounts exist or what they see."""
    from django.contrib.auth import get_user_model

    from pouls.lib.scoping import allowed_perimeter_ids

    user = get_user_model().objects.filter(username=username.strip(), is_active=True).first()
    seen = allowed_perimeter_ids(user, "view") if user is not None else frozenset()
    if (
        user is None
        or user.is_superuser
        or Perimeter.objects.filter(pk__in=seen, path__startswith=owner.path).exists()
    ):
        raise forms.ValidationError(
            _(
                "Ce compte ne peut pas distribuer les liens : il faut un compte actif qui ne "
                "voit aucun périmètre de la campagne."
            )
        )
    return user


class DistributorForm(forms.Form):
    distributor = forms.CharField(
        label=_("Identifiant de connexion du distributeur"), max_length=150
    )

    def __init__(self, *args: Any, campaign: Campaign, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.campaign = campaign

    def clean_distributor(self) -> Any:
        return check_distributor(self.cleaned_data["distributor"], self.campaign.perimeter)


def _campaign_teams(campaign: Campaign) -> Any:
    # The distributor has no grant: the choices are the campaign's result perimeters, which
    # ``Campaign.objects.for_distributor`` already opened to them (names only).
    return Perimeter.objects.filter(pk__in=campaign.groups.values("perimeter_id")).order_by("path")


class PrintLinksForm(forms.Form):
    perimeter = forms.ModelChoiceField(label=_("Équipe"), queryset=Perimeter.objects.none())
    count = forms.IntegerField(label=_("Nombre de liens"), min_value=1, max_value=500)

    def __init__(self, *args: Any, campaign: Campaign, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["perimeter"].queryset = _campaign_teams(campaign)  # type: ignore[attr-defined]


class EmailInvitationsForm(forms.Form):
    """Addresses typed or pasted for one team (one per line, or separated by , or ;)."""

    perimeter = forms.ModelChoiceField(label=_("Équipe"), queryset=Perimeter.objects.none())
    emails = forms.CharField(
        label=_("Adresses e-mail (une par ligne)"), widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args: Any, campaign: Campaign, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["perimeter"].queryset = _campaign_teams(campaign)  # type: ignore[attr-defined]

    def clean_emails(self) -> list[str]:
        raw = self.cleaned_data["emails"].replace(";", "\n").replace(",", "\n")
        emails = [e.strip().lower() for e in raw.splitlines() if e.strip()]
        bad = [e for e in emails if not _valid_email(e)]
        if bad:
            raise forms.ValidationError(
                _("Adresse(s) invalide(s) : %(bad)s. Attendu : nom@domaine.fr, une par ligne."),
                params={"bad": ", ".join(bad[:5])},
            )
        if len(emails) > 500:
            raise forms.ValidationError(_("500 adresses au plus par envoi."))
        return sorted(set(emails))


def _valid_email(value: str) -> bool:
    try:
        validate_email(value)
    except forms.ValidationError:
        return False
    return True


NO_ANSWER = ""


class AnswerForm(forms.Form):
    """One required radio question per item, optional broad categories, optional comments.
    Field names: ``i_<item>``, ``c_<category>``, ``t_<question>``."""

    def __init__(
        self, *args: Any, instruments: list[Instrument], demographics: list[str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.instruments = instruments
        for instrument in instruments:
            scale = instrument.scale
            choices = [
                (str(v), f"{v} — {label}" if label else str(v))
                for v, label in zip(range(scale.min, scale.max + 1), scale.labels_fr, strict=True)
            ]
            for item in instrument.items:
                self.fields[f"i_{item.id}"] = forms.TypedChoiceField(
                    label=item.text_fr,
                    choices=choices,
                    coerce=int,
                    widget=forms.RadioSelect,
                    error_messages={
                        "required": _(
                            "Répondez à cette question (toutes les réponses sont anonymes)."
                        )
                    },
                )
            if instrument.free_text_fr:
                self.fields[f"t_{instrument.id}"] = forms.CharField(
                    label=instrument.free_text_fr,
                    required=False,
                    max_length=2000,
                    widget=forms.Textarea(attrs={"rows": 3}),
                )
        for key in demographics:
            label, values = DEMOGRAPHICS[key]
            self.fields[f"c_{key}"] = forms.ChoiceField(
                label=label,
                required=False,
                choices=[(NO_ANSWER, _("Je préfère ne pas répondre"))] + [(v, v) for v in values],
            )
        self.fields["t_general"] = forms.CharField(
            label=_("Un commentaire libre ? (facultatif ; ne citez personne)"),
            required=False,
            max_length=2000,
            widget=forms.Textarea(attrs={"rows": 3}),
        )

    def sections(self) -> list[tuple[Instrument, list[forms.BoundField]]]:
        return [(i, [self[f"i_{item.id}"] for item in i.items]) for i in self.instruments]

    def extra_fields(self) -> list[forms.BoundField]:
        return [self[n] for n in self.fields if not n.startswith("i_")]

    def split(self) -> tuple[dict[str, int], dict[str, str], dict[str, str]]:
        data = self.cleaned_data
        answers = {n[2:]: int(v) for n, v in data.items() if n.startswith("i_")}
        categories = {n[2:]: v for n, v in data.items() if n.startswith("c_") and v}
        comments = {n[2:]: v for n, v in data.items() if n.startswith("t_") and v.strip()}
        return answers, categories, comments
