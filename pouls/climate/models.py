"""Employee listening: campaigns, invitations (participation) and responses, kept apart.

What links a person to an answer is deliberately absent:

- ``Invitation`` knows the person (or an e-mail) and a *hash* of the one-time token, plus a
  boolean ``answered``: no time, no day, nothing pointing to a response.
- ``Response`` and ``Comment`` have random UUID primary keys (no autoincrement order that could
  be matched with anything), the respondent's team, the answer *day* only, the broad
  categories chosen before launch, and no foreign key to an invitation, a token or a person.
- ``PendingAnswer`` is the buffer an answer waits in, written in a transaction of its own
  (not the one that marks the invitation used); the worker moves pending answers into
  ``Response``/``Comment`` in shuffled batches (``batches.py``), so neither transaction ids
  nor physical order say who answered what.
- ``Publication`` keeps what was shown before (sets of response ids per group) so that two
  successive exports cannot be subtracted; it carries a day, not a timestamp.
- ``Campaign.distributor`` is the only account that can obtain answerable links other than
  the invitees themselves (printed links, pasted addresses), and it sees no results.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pouls.lib.scoping import ScopedQuerySet
from pouls.org.models import Perimeter, Person

# Broad respondent categories a campaign may ask (chosen before launch, never free text).
DEMOGRAPHICS: dict[str, tuple[str, list[str]]] = {
    "seniority": (
        "Ancienneté",
        ["moins de 2 ans", "2 ans et plus"],
    ),
    "role": ("Fonction", ["encadrement", "hors encadrement"]),
}


class CampaignQuerySet(ScopedQuerySet["Campaign"]):
    def for_distributor(self, user: Any) -> CampaignQuerySet:
        """Launched campaigns whose printed links and pasted-address invitations ``user``
        hands out. A distributor who can see any result perimeter of the campaign (a grant
        added after being chosen) is refused: whoever reads results never gets links."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self.none()
        from pouls.lib.scoping import allowed_perimeter_ids

        seen = allowed_perimeter_ids(user, "view")
        return self.filter(distributor_id=user.pk, status=Campaign.Status.LAUNCHED).exclude(
            groups__perimeter_id__in=seen
        )


class Campaign(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("brouillon")
        LAUNCHED = "launched", _("lancée")
        CLOSED = "closed", _("clôturée")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # The perimeter that owns the campaign: who may manage it (analyst/admin there).
    perimeter = models.ForeignKey(
        Perimeter, on_delete=models.PROTECT, related_name="climate_campaigns"
    )
    name = models.CharField(_("nom"), max_length=200)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    # Target population: these perimeters and their descendants.
    targets = models.ManyToManyField(Perimeter, related_name="climate_targeted_by")
    # {instrument id: YAML text}, copied at creation so later edits of a file change nothing.
    instruments = models.JSONField(default=dict)
    # Keys of DEMOGRAPHICS asked to respondents, chosen before launch.
    demographics = models.JSONField(default=list, blank=True)
    min_scores = models.PositiveSmallIntegerField(_("seuil des scores"), default=5)
    min_comments = models.PositiveSmallIntegerField(_("seuil des commentaires"), default=10)
    created_on = models.DateField(auto_now_add=True)
    launched_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    # Who hands out printed links and invites pasted addresses: an account that sees no
    # result of the campaign (checked when chosen and at every use), so that nobody who
    # reads results can answer in others' place (padding; docs/climate.md).
    distributor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("distributeur des liens"),
    )

    objects = CampaignQuerySet.as_manager()

    class Meta:
        ordering = ["-created_on", "name"]
        verbose_name = _("campagne d'écoute")
        verbose_name_plural = _("campagnes d'écoute")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(min_scores__gte=3) & models.Q(min_comments__gte=3),
                name="climate_campaign_thresholds_floor",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["draft", "launched", "closed"]),
                name="climate_campaign_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def batch_floor(self) -> int:
        """Fewest answers written together: never fewer than the score threshold, so a batch
        is at least as large as the smallest group a page may show."""
        return max(self.min_scores, int(settings.POULS_CLIMATE_BATCH_MIN))


class ResultGroup(models.Model):
    """A perimeter whose results a launched campaign reports (targets, their descendants
    and ancestors up to the owner). Its ``code`` is the public id of a results page, and its
    ``perimeter`` puts that page under the scoping."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="groups")
    perimeter = models.ForeignKey(Perimeter, on_delete=models.CASCADE, related_name="+")

    objects = ScopedQuerySet["ResultGroup"].as_manager()

    class Meta:
        verbose_name = _("groupe de résultats")
        verbose_name_plural = _("groupes de résultats")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "perimeter"], name="climate_resultgroup_one_per_perimeter"
            )
        ]

    def __str__(self) -> str:
        return f"{self.campaign} — {self.perimeter}"


class Invitation(models.Model):
    """Participation tracking: who was invited, whether they answered. Nothing here points
    to a response (and nothing there points here)."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("e-mail")
        PRINT = "print", _("lien imprimé")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="invitations")
    # The respondent's team: answers are counted there.
    perimeter = models.ForeignKey(Perimeter, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    email = models.EmailField(blank=True)
    channel = models.CharField(max_length=8, choices=Channel.choices)
    # SHA-256 of the one-time token; the token itself is only ever in the link.
    token_hash = models.CharField(max_length=64, unique=True)
    answered = models.BooleanField(default=False)
    reminders = models.PositiveSmallIntegerField(default=0)

    objects = ScopedQuerySet["Invitation"].as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        indexes = [
            # Participation per team and the reminder list: campaign + answered.
            models.Index(fields=["campaign", "answered"], name="climate_invit_campaign_ans"),
        ]

    def __str__(self) -> str:
        return f"{self.campaign} — {self.get_channel_display()}"


class Response(models.Model):
    """One respondent's answers. Random UUID key, day only, no link to an invitation."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="responses")
    perimeter = models.ForeignKey(Perimeter, on_delete=models.PROTECT, related_name="+")
    day = models.DateField()
    # {item id: value} for every item of the campaign's instruments (all are required).
    answers = models.JSONField()
    # {DEMOGRAPHICS key: chosen category}; a skipped question is absent.
    categories = models.JSONField(default=dict, blank=True)

    objects = ScopedQuerySet["Response"].as_manager()

    class Meta:
        verbose_name = _("réponse")
        verbose_name_plural = _("réponses")
        indexes = [
            # Results read one campaign's responses.
            models.Index(fields=["campaign", "perimeter"], name="climate_response_camp_perim"),
        ]

    def __str__(self) -> str:
        return str(self.campaign)


class Comment(models.Model):
    """A free-text answer, pseudonymised on arrival and stored apart from the scores (so a
    text's style cannot be matched with a row of scores)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="comments")
    perimeter = models.ForeignKey(Perimeter, on_delete=models.PROTECT, related_name="+")
    question = models.CharField(max_length=64)
    text = models.TextField()

    objects = ScopedQuerySet["Comment"].as_manager()

    class Meta:
        verbose_name = _("commentaire")
        verbose_name_plural = _("commentaires")
        indexes = [
            models.Index(fields=["campaign", "perimeter"], name="climate_comment_camp_perim"),
        ]

    def __str__(self) -> str:
        return self.question


class PendingAnswer(models.Model):
    """An answer waiting for its batch: what the respondent sent, their team and nothing
    else (no invitation, no time, no day). Written in its own transaction after the one
    that marks the invitation used; deleted when the worker writes its batch."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="pending_answers")
    perimeter = models.ForeignKey(Perimeter, on_delete=models.PROTECT, related_name="+")
    answers = models.JSONField()
    categories = models.JSONField(default=dict, blank=True)
    # {question: pseudonymised text}; split into Comment rows when written.
    comments = models.JSONField(default=dict, blank=True)

    objects = ScopedQuerySet["PendingAnswer"].as_manager()

    class Meta:
        verbose_name = _("réponse en attente")
        verbose_name_plural = _("réponses en attente")
        indexes = [
            # The batch writer counts and reads one campaign's pending answers.
            models.Index(fields=["campaign"], name="climate_pending_campaign"),
        ]

    def __str__(self) -> str:
        return str(self.campaign)


class Publication(models.Model):
    """What was shown once: {group id: [response or comment ids]} of the groups published,
    read back as the history that guards later publications against differencing."""

    class Kind(models.TextChoices):
        SCORES = "scores", _("scores")
        COMMENTS = "comments", _("commentaires")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="publications")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    day = models.DateField()
    groups = models.JSONField()

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        indexes = [
            models.Index(fields=["campaign", "kind"], name="climate_publication_kind"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["scores", "comments"]),
                name="climate_publication_kind_valid",
            )
        ]

    def __str__(self) -> str:
        return f"{self.campaign} — {self.kind} — {self.day}"


__all__ = [
    "DEMOGRAPHICS",
    "Campaign",
    "Comment",
    "Invitation",
    "PendingAnswer",
    "Publication",
    "Response",
    "ResultGroup",
]
