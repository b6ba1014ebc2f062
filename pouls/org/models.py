"""The organisation: a perimeter tree, the people in it and who may see what (grants)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models, transaction
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
