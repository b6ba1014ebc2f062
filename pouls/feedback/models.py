"""Customer voice: one Feedback row per survey answer, e-mail, letter, review or field report."""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pouls.lib.contact_crypto import EncryptedTextField
from pouls.lib.ids import time_ordered_uuid
from pouls.lib.scoping import ScopedQuerySet
from pouls.org.models import Perimeter, Person


class Feedback(models.Model):
    class SourceKind(models.TextChoices):
        SURVEY = "survey", _("Enquête")
        EMAIL = "email", _("E-mail")
        LETTER = "letter", _("Courrier")
        REVIEW = "review", _("Avis en ligne")
        FIELD_REPORT = "field_report", _("Remontée terrain")
        OTHER = "other", _("Autre")

    class Channel(models.TextChoices):
        STORE = "store", _("Magasin")
        WEB = "web", _("Site web")
        APP = "app", _("Application")
        PHONE = "phone", _("Téléphone")
        EMAIL = "email", _("E-mail")
        MAIL = "mail", _("Courrier")
        SOCIAL = "social", _("Réseaux sociaux")
        OTHER = "other", _("Autre")

    class Category(models.TextChoices):
        """What a field report is about (seed 001: what customers expect, what jams inside)."""

        NONE = "", _("—")
        EXPECTATION = "expectation", _("Attente d'un client")
        DYSFUNCTION = "dysfunction", _("Dysfonctionnement interne")
        COMPETITOR = "competitor", _("Mouvement d'un concurrent")
        IDEA = "idea", _("Idée d'amélioration")

    code = models.UUIDField(default=time_ordered_uuid, unique=True, editable=False)
    perimeter = models.ForeignKey(Perimeter, on_delete=models.PROTECT, related_name="feedback")
    person = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="feedback"
    )
    source_kind = models.CharField(_("source"), max_length=16, choices=SourceKind.choices)
    channel = models.CharField(_("canal"), max_length=16, choices=Channel.choices)
    received_at = models.DateTimeField(_("reçu le"))
    # Keyed hash (HMAC) of the customer's identity: lets us de-duplicate, never re-identify.
    customer_ref = models.CharField(_("référence client"), max_length=64, blank=True)
    nps = models.PositiveSmallIntegerField(_("recommandation (0-10)"), null=True, blank=True)
    csat = models.PositiveSmallIntegerField(_("satisfaction (1-5)"), null=True, blank=True)
    ces = models.PositiveSmallIntegerField(_("effort (CES)"), null=True, blank=True)
    ces_scale = models.PositiveSmallIntegerField(_("échelle CES"), null=True, blank=True)
    text = models.TextField(_("verbatim"), blank=True)
    language = models.CharField(_("langue"), max_length=8, default="fr")
    callback_consent = models.BooleanField(_("accepte d'être rappelé"), default=False)
    category = models.CharField(
        _("catégorie"), max_length=16, choices=Category.choices, blank=True, default=""
    )
    # Where the row comes from: the file's system and survey (« qualtrics:Enquête magasins »,
    # by default the system and the perimeter imported into), « mail », or "" for answers to
    # Pouls' own surveys. Duplicates are detected on (source_kind, source, source_id).
    source = models.CharField(_("source d'origine"), max_length=120, blank=True, default="")
    source_id = models.CharField(
        _("identifiant d'origine"), max_length=200, blank=True, help_text=_("Pour le dédoublonnage")
    )
    batch = models.ForeignKey(
        "Import", on_delete=models.SET_NULL, null=True, blank=True, related_name="feedback"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet["Feedback"].as_manager()

    class Meta:
        verbose_name = _("retour client")
        verbose_name_plural = _("retours clients")
        indexes = [
            # Dashboards: scores and weekly trend of a set of perimeters over a period.
            models.Index(fields=["perimeter", "received_at"], name="feedback_perim_received"),
            # Latest verbatims across a scope, newest first.
            models.Index(fields=["-received_at"], name="feedback_received_desc"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(nps__isnull=True) | Q(nps__lte=10), name="feedback_feedback_nps_range"
            ),
            models.CheckConstraint(
                condition=Q(csat__isnull=True) | Q(csat__gte=1, csat__lte=5),
                name="feedback_feedback_csat_range",
            ),
            models.CheckConstraint(
                condition=Q(ces__isnull=True)
                | Q(ces_scale__isnull=False, ces__gte=1, ces__lte=models.F("ces_scale")),
                name="feedback_feedback_ces_within_scale",
            ),
            models.CheckConstraint(
                condition=Q(ces_scale__isnull=True) | Q(ces_scale__in=[5, 7]),
                name="feedback_feedback_ces_scale_valid",
            ),
            # Response ids are unique within their source only: two stores' exports both
            # number their answers 1, 2, 3…
            models.UniqueConstraint(
                fields=["source_kind", "source", "source_id"],
                condition=~Q(source_id=""),
                name="feedback_feedback_unique_source_key",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_source_kind_display()} {self.received_at:%Y-%m-%d} ({self.perimeter})"

    @property
    def nps_category(self) -> str | None:
        if self.nps is None:
            return None
        return "promoter" if self.nps >= 9 else "passive" if self.nps >= 7 else "detractor"


class Import(models.Model):
    """One file import: counts always satisfy read = accepted + quarantined + duplicates."""

    class Kind(models.TextChoices):
        FEEDBACK = "feedback", _("Retours clients")
        SALES = "sales", _("Ventes et activité")
        MAIL = "mail", _("E-mails et courriers")

    class Status(models.TextChoices):
        PENDING = "pending", _("En attente")
        RUNNING = "running", _("En cours")
        DONE = "done", _("Terminé")
        FAILED = "failed", _("Échec")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # The perimeter the import was made into: rows land in it or below, and it scopes the
    # import and its quarantine.
    perimeter = models.ForeignKey(Perimeter, on_delete=models.PROTECT, related_name="imports")
    created_by = models.ForeignKey(
        "auth.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.FEEDBACK)
    file_name = models.CharField(max_length=255)
    file_sha256 = models.CharField(max_length=64)
    preset = models.CharField(max_length=32, blank=True)
    source = models.CharField(max_length=120, blank=True)  # given to every row it stores
    mapping = models.JSONField(default=dict, blank=True)
    # The uploaded file waiting in UPLOAD_DIR for its mapping to be confirmed; emptied (and
    # the file deleted) once imported: raw uploads hold personal data.
    upload_name = models.CharField(max_length=64, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    read = models.PositiveIntegerField(default=0)
    accepted = models.PositiveIntegerField(default=0)
    quarantined = models.PositiveIntegerField(default=0)
    duplicates = models.PositiveIntegerField(default=0)
    # Physical lines after the header (a record may span several; blank ones are no record),
    # so that a quote swallowing lines cannot hide them: lines = the lines of the accepted,
    # quarantined and duplicate records + blank_lines.
    lines = models.PositiveIntegerField(default=0)
    blank_lines = models.PositiveIntegerField(default=0)
    # What the import inferred and the user should know (the order of day and month), French.
    notes = models.JSONField(default=list, blank=True)
    message = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedQuerySet["Import"].as_manager()

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    read=models.F("accepted") + models.F("quarantined") + models.F("duplicates")
                ),
                name="feedback_import_counts_add_up",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.created_at:%Y-%m-%d %H:%M})"


class QuarantinedRow(models.Model):
    """A rejected row, kept with its reasons until it is re-processed (personal data in its
    free-text cells is pseudonymised like any stored text)."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    batch = models.ForeignKey(Import, on_delete=models.CASCADE, related_name="quarantine")
    perimeter = models.ForeignKey(Perimeter, on_delete=models.PROTECT, related_name="quarantine")
    row_number = models.PositiveIntegerField()
    raw = models.JSONField(default=dict)
    # [{"field": ..., "value": ..., "message": ..., "accepted": ...}, ...]
    reasons = models.JSONField(default=list)
    resolved_at = models.DateTimeField(null=True, blank=True)
    # Keyed hash of the row as received: the same row imported again into the same
    # perimeter counts as a duplicate instead of filling the quarantine twice.
    fingerprint = models.CharField(max_length=64, blank=True, default="")

    objects = ScopedQuerySet["QuarantinedRow"].as_manager()

    class Meta:
        verbose_name = _("ligne en quarantaine")
        verbose_name_plural = _("lignes en quarantaine")
        ordering = ["batch", "row_number"]
        indexes = [
            # The quarantine screen lists the unresolved rows of one import.
            models.Index(fields=["batch", "resolved_at"], name="feedback_quarantine_open"),
            # An import looks up the fingerprints of its rejects in its perimeter.
            models.Index(fields=["perimeter", "fingerprint"], name="feedback_quarantine_print"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["batch", "row_number"], name="feedback_quarantinedrow_one_per_row"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.batch.file_name} ligne {self.row_number}"


class CallbackContact(models.Model):
    """Contact details of a customer who consented to be called back, stored apart from the
    feedback, readable only by those who call customers back (managers, analysts, admins),
    deleted after ``expires_at``."""

    view_action = "run"  # scoping: never viewers; store managers call their customers back

    feedback = models.OneToOneField(Feedback, on_delete=models.CASCADE, related_name="contact")
    perimeter = models.ForeignKey(Perimeter, on_delete=models.CASCADE, related_name="+")
    # Encrypted with POULS_CONTACT_KEY (kept outside the database): a dump holds only tokens.
    contact = EncryptedTextField(_("coordonnées"))
    expires_at = models.DateTimeField()

    objects = ScopedQuerySet["CallbackContact"].as_manager()

    class Meta:
        verbose_name = _("coordonnées de rappel")
        verbose_name_plural = _("coordonnées de rappel")
        indexes = [
            # The retention purge deletes expired contacts.
            models.Index(fields=["expires_at"], name="feedback_contact_expires"),
        ]

    def __str__(self) -> str:
        return f"contact {self.feedback_id}"
