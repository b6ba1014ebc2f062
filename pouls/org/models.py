"""The organisation: a perimeter tree, the people in it and who may see what (grants)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pouls.lib.scoping import ScopedQuerySet

PATH_STEP = 7  # digits per level: "0000012." — ids up to 10 million


def path_segment(pk: int) -> str:
    return f"{pk:0{PATH_STEP}d}."


def path_prefixes(path: str) -> list[str]:
    """The materialized paths of ``path``'s ancestors and of itself, from the root down
    ("1.4.9." -> ["1.", "1.4.", "1.4.9."])."""
    return [path[: i + 1] for i, c in enumerate(path) if c == "."]


class Perimeter(models.Model):
    """A node of the organisation tree, stored as a materialized path.

    Descendants of ``p`` are ``path__startswith=p.path`` (same SQL on SQLite and PostgreSQL).
    """

    class Kind(models.TextChoices):
        GROUP = "group", _("Groupe")
        REGION = "region", _("Région")
        STORE = "store", _("Magasin / agence")
        TEAM = "team", _("Équipe")
        DEPARTMENT = "department", _("Service support")

    scope_field = "pk"

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    ref = models.CharField(
        _("référence"), max_length=64, unique=True, help_text=_("Code métier, ex. MAG-LIL-01")
    )
    name = models.CharField(_("nom"), max_length=200)
    kind = models.CharField(_("type"), max_length=16, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    # Set by save(); editable=False keeps it out of forms and the admin.
    path = models.CharField(max_length=255, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    # A closed store keeps its history (rows, rollups) but takes no new people nor data.
    closed_on = models.DateField(_("fermé le"), null=True, blank=True)

    objects = ScopedQuerySet["Perimeter"].as_manager()

    class Meta:
        ordering = ["path"]
        verbose_name = _("périmètre")
        verbose_name_plural = _("périmètres")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(parent=models.F("pk")), name="org_perimeter_not_own_parent"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        """Save, then compute the path from the parent's (needs the pk on creation)."""
        with transaction.atomic():
            if self.pk is None:
                self.path = f"tmp-{uuid.uuid4().hex}"
                super().save(*args, **kwargs)
                kwargs = {}
            old_path = self.path
            parent_path = self.parent.path if self.parent is not None else ""
            if parent_path.startswith(old_path):
                raise ValueError("a perimeter cannot be moved under its own descendant")
            self.path = parent_path + path_segment(self.pk)
            self.depth = self.path.count(".") - 1
            super().save(*args, **kwargs)  # type: ignore[arg-type]
            if old_path != self.path and not old_path.startswith("tmp-"):
                self._move_descendants(old_path)

    def _move_descendants(self, old_path: str) -> None:
        for child in Perimeter.objects.filter(path__startswith=old_path).exclude(pk=self.pk):
            child.path = self.path + child.path[len(old_path) :]
            child.depth = child.path.count(".") - 1
            super(Perimeter, child).save(update_fields=["path", "depth"])

    def ancestors(self) -> models.QuerySet[Perimeter]:
        """Ancestors from the root down, excluding self (unscoped: callers scope them)."""
        prefixes = path_prefixes(self.path)[:-1]
        return Perimeter.objects.filter(path__in=prefixes).order_by("depth")


class Person(models.Model):
    """A seller, advisor or manager, linked to a login or not."""

    class Kind(models.TextChoices):
        SELLER = "seller", _("Vendeur·se")
        ADVISOR = "advisor", _("Conseiller·ère")
        MANAGER = "manager", _("Manager")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    perimeter = models.ForeignKey(Perimeter, on_delete=models.PROTECT, related_name="people")
    first_name = models.CharField(_("prénom"), max_length=100)
    last_name = models.CharField(_("nom"), max_length=100)
    kind = models.CharField(_("fonction"), max_length=16, choices=Kind.choices)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
    )
    is_active = models.BooleanField(_("actif"), default=True)

    objects = ScopedQuerySet["Person"].as_manager()

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("personne")
        verbose_name_plural = _("personnes")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(first_name="") | ~models.Q(last_name=""),
                name="org_person_has_a_name",
            )
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class Grant(models.Model):
    """``user`` may act with ``role`` on ``perimeter`` and all its descendants (what each role
    may do: ``pouls.lib.scoping``)."""

    class Role(models.TextChoices):
        VIEWER = "viewer", _("Lecture")
        MANAGER = "manager", _("Manager (rituels d'équipe)")
        ANALYST = "analyst", _("Analyste")
        ADMIN = "admin", _("Administration")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pouls_grants"
    )
    perimeter = models.ForeignKey(Perimeter, on_delete=models.CASCADE, related_name="grants")
    role = models.CharField(_("rôle"), max_length=16, choices=Role.choices)

    objects = ScopedQuerySet["Grant"].as_manager()

    class Meta:
        verbose_name = _("droit d'accès")
        verbose_name_plural = _("droits d'accès")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "perimeter"], name="org_grant_one_per_perimeter"
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=["viewer", "manager", "analyst", "admin"]),
                name="org_grant_role_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.perimeter}"


class Account(models.Model):
    """A login as the organisation manages it: a public code for URLs, its home perimeter
    (whose admins manage it) and its invitation. Logins made in the terminal have none."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="account"
    )
    perimeter = models.ForeignKey(Perimeter, on_delete=models.PROTECT, related_name="accounts")
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    invited_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedQuerySet["Account"].as_manager()

    class Meta:
        verbose_name = _("compte")
        verbose_name_plural = _("comptes")
        constraints = [
            models.UniqueConstraint(fields=["user"], name="org_account_one_per_user"),
        ]

    def __str__(self) -> str:
        return self.user.get_full_name() or self.user.get_username()


class AuditEvent(models.Model):
    """Who did what, when, on which perimeter (``pouls.lib.audit.do_audit``). Holds codes and
    counts only, never a customer's personal data; kept ``POULS_AUDIT_RETENTION_DAYS``."""

    class Action(models.TextChoices):
        USER_INVITED = "user.invited", _("Invitation envoyée")
        USER_REINVITED = "user.reinvited", _("Invitation renvoyée")
        USER_DEACTIVATED = "user.deactivated", _("Compte désactivé")
        USER_REACTIVATED = "user.reactivated", _("Compte réactivé")
        USER_LINKED = "user.linked", _("Compte relié à une fiche")
        GRANT_SET = "grant.set", _("Droit accordé ou modifié")
        GRANT_REMOVED = "grant.removed", _("Droit retiré")
        PERIMETER_CREATED = "perimeter.created", _("Périmètre créé")
        PERIMETER_CHANGED = "perimeter.changed", _("Périmètre renommé ou déplacé")
        PERIMETER_CLOSED = "perimeter.closed", _("Périmètre fermé")
        EXPORT_DOWNLOADED = "export.downloaded", _("Export téléchargé")
        CONTACT_READ = "contact.read", _("Coordonnées client lues")
        CLIMATE_VIEWED = "climate.viewed", _("Résultats climat consultés")
        IMPORT_RUN = "import.run", _("Import lancé")
        IMPORT_UNDONE = "import.undone", _("Import annulé")
        ERASURE = "erasure", _("Effacement de données")

    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Kept when the actor's login is deleted: the trail must still say who it was.
    actor_name = models.CharField(max_length=150)
    action = models.CharField(max_length=32, choices=Action.choices)
    perimeter = models.ForeignKey(
        Perimeter, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    target = models.CharField(max_length=200, blank=True)  # a code or a login, never a customer
    detail = models.JSONField(default=dict, blank=True)

    objects = ScopedQuerySet["AuditEvent"].as_manager()

    view_action = "admin"  # scoping: only the admins of the perimeter read its trail

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("événement d'audit")
        verbose_name_plural = _("journal d'audit")
        indexes = [
            # The trail page: an admin's perimeters, newest first.
            models.Index(fields=["perimeter", "-at"], name="org_audit_perimeter_at"),
            # The retention purge: everything older than a date.
            models.Index(fields=["at"], name="org_audit_at"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(actor_name=""), name="org_auditevent_has_actor"
            )
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action}"
