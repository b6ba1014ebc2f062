"""Writes of people and access: invitations, accounts, grants, the login <-> seller link and
the perimeter tree. Each checks ``may_act(admin, "admin", ...)`` and leaves an audit event."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import User
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from pouls.lib.audit import do_audit
from pouls.lib.scoping import forget_scope, may_act
from pouls.org.models import Account, AuditEvent, Grant, Perimeter, Person

logger = logging.getLogger(__name__)

# Builds an absolute URL from a path (the view passes request.build_absolute_uri).
AbsoluteUrl = Callable[[str], str]


def _require_admin(user: Any, perimeter_id: int | None) -> None:
    if not may_act(user, "admin", perimeter_id):
        raise PermissionDenied


def set_password_url(user: User, absolute: AbsoluteUrl) -> str:
    """The set-password link (Django's password reset confirm view); it expires after
    ``PASSWORD_RESET_TIMEOUT`` and once the password is set."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return absolute(reverse("password_reset_confirm", args=[uid, token]))


def _send_invitation(admin: Any, account: Account, absolute: AbsoluteUrl) -> None:
    user = account.user
    context = {
        "name": user.first_name or user.get_username(),
        "inviter": admin.get_full_name() or admin.get_username(),
        "perimeter": account.perimeter.name,
        "url": set_password_url(user, absolute),
        "login": user.get_username(),
        "days": max(1, round(_timeout_days())),
    }
    send_mail(
        _("Votre accès à Pouls"),
        render_to_string("org/invitation_email.txt", context),
        None,
        [user.email],
    )
    logger.info("invitation sent for account %s", account.code)


def _timeout_days() -> float:
    from django.conf import settings

    return float(settings.PASSWORD_RESET_TIMEOUT) / 86400


@transaction.atomic
def do_invite_user(
    admin: Any,
    *,
    email: str,
    first_name: str,
    last_name: str,
    perimeter: Perimeter,
    role: str,
    person: Person | None,
    absolute: AbsoluteUrl,
) -> Account:
    """Create the login (no usable password), its account in ``perimeter``, its grant and
    its link to a seller record; e-mail the set-password link."""
    _require_admin(admin, perimeter.pk)
    email = email.strip().lower()
    if User.objects.filter(username__iexact=email).exists():
        raise ValidationError(_("Un compte existe déjà pour cette adresse e-mail."))
    user = User(username=email, email=email, first_name=first_name, last_name=last_name)
    user.set_unusable_password()
    user.save()
    account = Account.objects.create(
        user=user, perimeter=perimeter, invited_by=admin, invited_at=timezone.now()
    )
    Grant.objects.create(user=user, perimeter=perimeter, role=role)
    if person is not None:
        _link(admin, account, person)
    do_audit(
        admin,
        AuditEvent.Action.USER_INVITED,
        perimeter=perimeter,
        target=email,
        detail={"role": role},
    )
    # Last step, inside the transaction: if the e-mail cannot leave, no invitation is kept
    # and the admin sees the error, rather than an account nobody can open.
    _send_invitation(admin, account, absolute)
    return account


def do_resend_invitation(admin: Any, account: Account, absolute: AbsoluteUrl) -> None:
    _require_admin(admin, account.perimeter_id)
    account.invited_at = timezone.now()
    account.save(update_fields=["invited_at"])
    do_audit(
        admin,
        AuditEvent.Action.USER_REINVITED,
        perimeter=account.perimeter,
        target=account.user.get_username(),
    )
    _send_invitation(admin, account, absolute)


def do_set_active(admin: Any, account: Account, active: bool) -> None:
    """Deactivate (the login stops working at once, sessions included) or reactivate."""
    _require_admin(admin, account.perimeter_id)
    if account.user_id == admin.pk:
        raise ValidationError(_("Vous ne pouvez pas désactiver votre propre compte."))
    account.user.is_active = active
    account.user.save(update_fields=["is_active"])
    action = AuditEvent.Action.USER_REACTIVATED if active else AuditEvent.Action.USER_DEACTIVATED
    do_audit(admin, action, perimeter=account.perimeter, target=account.user.get_username())


@transaction.atomic
def do_set_grant(admin: Any, account: Account, perimeter: Perimeter, role: str) -> Grant:
    """Give (or change) the account's role on ``perimeter``, within the admin's perimeters."""
    _require_admin(admin, perimeter.pk)
    _require_admin(admin, account.perimeter_id)
    if account.user_id == admin.pk:
        raise ValidationError(_("Vous ne pouvez pas modifier vos propres droits."))
    previous = Grant.objects.filter(user_id=account.user_id, perimeter=perimeter).first()
    grant, _created = Grant.objects.update_or_create(
        user_id=account.user_id, perimeter=perimeter, defaults={"role": role}
    )
    detail = {"role": role, "previous_role": previous.role if previous else None}
    do_audit(
        admin,
        AuditEvent.Action.GRANT_SET,
        perimeter=perimeter,
        target=account.user.get_username(),
        detail=detail,
    )
    forget_scope(account.user)
    return grant


def do_remove_grant(admin: Any, grant: Grant) -> None:
    _require_admin(admin, grant.perimeter_id)
    if grant.user_id == admin.pk:
        raise ValidationError(_("Vous ne pouvez pas retirer vos propres droits."))
    do_audit(
        admin,
        AuditEvent.Action.GRANT_REMOVED,
        perimeter=grant.perimeter_id,
        target=grant.user.get_username(),
        detail={"previous_role": grant.role},
    )
    grant.delete()


def _link(admin: Any, account: Account, person: Person) -> None:
    _require_admin(admin, person.perimeter_id)
    if person.user_id is not None and person.user_id != account.user_id:
        raise ValidationError(_("Cette fiche est déjà reliée à un autre compte."))
    Person.objects.filter(user_id=account.user_id).exclude(pk=person.pk).update(user=None)
    person.user_id = account.user_id
    person.save(update_fields=["user"])


@transaction.atomic
def do_link_person(admin: Any, account: Account, person: Person | None) -> None:
    """Link the login to a seller / manager record chosen by name (None: unlink)."""
    _require_admin(admin, account.perimeter_id)
    if person is None:
        Person.objects.filter(user_id=account.user_id).update(user=None)
    else:
        _link(admin, account, person)
    do_audit(
        admin,
        AuditEvent.Action.USER_LINKED,
        perimeter=person.perimeter_id if person else account.perimeter_id,
        target=account.user.get_username(),
        detail={"kind": person.kind if person else None},
    )


def _after_reorganisation() -> None:
    from pouls.chain import after_reorganisation

    after_reorganisation()


@transaction.atomic
def do_create_perimeter(
    admin: Any, *, parent: Perimeter, name: str, kind: str, ref: str
) -> Perimeter:
    _require_admin(admin, parent.pk)
    perimeter = Perimeter.objects.create(parent=parent, name=name, kind=kind, ref=ref)
    forget_scope(admin)
    do_audit(
        admin,
        AuditEvent.Action.PERIMETER_CREATED,
        perimeter=perimeter,
        target=str(perimeter.code),
        detail={"kind": kind, "ref": ref},
    )
    return perimeter


@transaction.atomic
def do_change_perimeter(
    admin: Any, perimeter: Perimeter, *, name: str, parent: Perimeter | None
) -> Perimeter:
    """Rename and/or move a perimeter (with its subtree). A move rebuilds the rollups, since
    every ancestor's figures change."""
    _require_admin(admin, perimeter.pk)
    old_parent = perimeter.parent
    moved = parent is not None and parent.pk != perimeter.parent_id
    if moved:
        assert parent is not None
        # Both ends of a move must be the admin's: the old place (checked above) and the new.
        _require_admin(admin, parent.pk)
        if parent.path.startswith(perimeter.path):
            raise ValidationError(_("Un périmètre ne peut pas être placé sous l’un des siens."))
        if perimeter.parent_id is None:
            raise ValidationError(_("La racine de l’organisation ne se déplace pas."))
        perimeter.parent = parent
    perimeter.name = name
    perimeter.save()
    forget_scope(admin)
    do_audit(
        admin,
        AuditEvent.Action.PERIMETER_CHANGED,
        perimeter=perimeter,
        target=str(perimeter.code),
        detail={
            "parent": str(parent.code) if moved and parent else None,
            "old_parent": str(old_parent.code) if moved and old_parent else None,
        },
    )
    if moved:
        transaction.on_commit(_after_reorganisation)
    return perimeter


def do_close_perimeter(admin: Any, perimeter: Perimeter) -> Perimeter:
    """Close a store or team: its history stays and is still counted in its ancestors'."""
    _require_admin(admin, perimeter.pk)
    if perimeter.parent_id is None:
        raise ValidationError(_("La racine de l’organisation ne se ferme pas."))
    perimeter.closed_on = timezone.localdate()
    perimeter.save(update_fields=["closed_on"])
    do_audit(
        admin, AuditEvent.Action.PERIMETER_CLOSED, perimeter=perimeter, target=str(perimeter.code)
    )
    return perimeter


def do_audit_export(admin: Any) -> None:
    """The trail's own export is traced too (who took a copy of who did what)."""
    do_audit(admin, AuditEvent.Action.EXPORT_DOWNLOADED, detail={"kind": "audit"})
