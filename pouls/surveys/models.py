"""Customer surveys: a questionnaire, its public links (one per store and per seller, each with
a QR code) and optional single-use invitations."""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pouls.lib.scoping import ScopedQuerySet
from pouls.org.models import Perimeter, Person

DEFAULT_QUESTION = _(
    "Quelle est la probabilité que vous recommandiez notre magasin à un proche ou un collègue ?"
)


def new_token() -> str:
    """An unguessable public token (16 random bytes, URL-safe)."""
    return secrets.token_urlsafe(16)


class Survey(models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # The perimeter the survey was created for: its stores and sellers get links.
    perimeter = models.ForeignKey(Perimeter, on_delete=models.PROTECT, related_name="surveys")
    title = models.CharField(_("titre"), max_length=120)
    question = models.CharField(_("question de recommandation"), max_length=300)
    ask_csat = models.BooleanField(_("demander la satisfaction (1 à 5)"), default=False)
    ask_ces = models.BooleanField(_("demander l’effort (1 à 5)"), default=False)
    ask_callback = models.BooleanField(_("proposer d’être rappelé"), default=True)
    # With invitations, each answer needs an unused single-use token.
    use_invitations = models.BooleanField(_("sur invitation seulement"), default=False)
    is_open = models.BooleanField(_("ouverte"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet["Survey"].as_manager()

    class Meta:
        verbose_name = _("enquête")
        verbose_name_plural = _("enquêtes")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="surveys_survey_has_title"),
        ]

    def __str__(self) -> str:
        return self.title


class SurveyLink(models.Model):
    """A public link of a survey for one store, or one seller (``person``)."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Public, unguessable: the QR code encodes /r/<token>/.
    token = models.CharField(max_length=32, unique=True, default=new_token, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="links")
    perimeter = models.ForeignKey(Perimeter, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="survey_links"
    )

    objects = ScopedQuerySet["SurveyLink"].as_manager()

    class Meta:
        verbose_name = _("lien d’enquête")
        verbose_name_plural = _("liens d’enquête")
        ordering = ["perimeter__path", "person__last_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "perimeter"],
                condition=Q(person__isnull=True),
                name="surveys_surveylink_one_per_store",
            ),
            models.UniqueConstraint(
                fields=["survey", "person"],
                condition=Q(person__isnull=False),
                name="surveys_surveylink_one_per_person",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.survey} — {self.person or self.perimeter}"


class Invitation(models.Model):
    """A single-use token appended to a link (``?i=<token>``): one answer per invitation."""

    token = models.CharField(max_length=32, unique=True, default=new_token, editable=False)
    link = models.ForeignKey(SurveyLink, on_delete=models.CASCADE, related_name="invitations")
    perimeter = models.ForeignKey(Perimeter, on_delete=models.CASCADE, related_name="+")
    # A follow-up survey sent after a callback: the answer is tied to the same customer.
    callback = models.ForeignKey(
        "callbacks.Callback",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    used_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedQuerySet["Invitation"].as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"invitation {self.pk} ({self.link})"


class SurveyAnswer(models.Model):
    """Which survey link an answer came through (the feedback row knows no survey): the
    survey list counts its answers and links to them in the verbatim explorer."""

    feedback = models.OneToOneField(
        "feedback.Feedback", on_delete=models.CASCADE, related_name="survey_answer"
    )
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="answers")
    link = models.ForeignKey(SurveyLink, on_delete=models.CASCADE, related_name="answers")
    # The answer's perimeter (the link's), for scoping.
    perimeter = models.ForeignKey(Perimeter, on_delete=models.CASCADE, related_name="+")

    objects = ScopedQuerySet["SurveyAnswer"].as_manager()

    class Meta:
        verbose_name = _("réponse à une enquête")
        verbose_name_plural = _("réponses aux enquêtes")
        indexes = [
            # The survey list counts each survey's answers within the user's perimeters.
            models.Index(fields=["survey", "perimeter"], name="surveys_answer_survey_perim"),
        ]

    def __str__(self) -> str:
        return f"réponse {self.feedback_id} ({self.survey_id})"
