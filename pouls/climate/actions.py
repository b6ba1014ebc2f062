"""Writes of the climate app: create, invite, launch, remind, close, answer."""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Callable, Iterable
from typing import Any

from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pouls.climate.instruments import campaign_instruments
from pouls.climate.models import Campaign, Comment, Invitation, Response, ResultGroup
from pouls.lib.privacy import pseudonymise
from pouls.lib.scoping import save_for_user
from pouls.org.models import Perimeter, Person

logger = logging.getLogger(__name__)


class CampaignStateError(ValueError):
    """An action that the campaign's status does not allow; the message is French."""


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def do_create_campaign(
    user: Any,
    *,
    perimeter: Perimeter,
    name: str,
    instruments: dict[str, str],
    targets: Iterable[Perimeter],
    demographics: list[str],
    min_scores: int,
    min_comments: int,
) -> Campaign:
    campaign = Campaign(
        perimeter=perimeter,
        name=name,
        instruments=instruments,
        demographics=demographics,
        min_scores=min_scores,
        min_comments=min_comments,
    )
    with transaction.atomic():
        save_for_user(campaign, user)
        campaign.targets.set(list(targets))
    logger.info("climate campaign created code=%s", campaign.code)
    return campaign


def _require(campaign: Campaign, status: str, message: str) -> None:
    if campaign.status != status:
        raise CampaignStateError(message)


def _target_perimeters(campaign: Campaign) -> list[Perimeter]:
    """Every perimeter under a target (trusted: the campaign was checked by the caller)."""
    from django.db.models import Q

    query = Q(pk__in=[])
    for target in campaign.targets.all():
        query |= Q(path__startswith=target.path)
    return list(Perimeter.objects.filter(query))


def _new_invitation(campaign: Campaign, perimeter: Perimeter, **fields: Any) -> str:
    """Create an invitation and return its token (only its hash is stored)."""
    token = secrets.token_urlsafe(24)
    Invitation.objects.create(
        campaign=campaign, perimeter=perimeter, token_hash=hash_token(token), **fields
    )
    return token


def do_invite_people(campaign: Campaign, link: Callable[[str], str]) -> int:
    """E-mail a one-time link to every active person with an e-mail address in the target
    perimeters who has no invitation yet; returns how many were sent.

    The person's e-mail is their login's; people without a login or an address need printed
    links."""
    _require(
        campaign,
        Campaign.Status.LAUNCHED,
        _("Les invitations partent une fois la campagne lancée."),
    )
    already = set(
        Invitation.objects.filter(campaign=campaign, person__isnull=False).values_list(
            "person_id", flat=True
        )
    )
    people = (
        Person.objects.filter(perimeter__in=_target_perimeters(campaign), is_active=True)
        .exclude(user__isnull=True)
        .exclude(user__email="")
        .exclude(pk__in=already)
        .select_related("user", "perimeter")
    )
    sent = 0
    for person in people:
        assert person.user is not None
        with transaction.atomic():
            token = _new_invitation(
                campaign,
                person.perimeter,
                person=person,
                email=person.user.email,
                channel=Invitation.Channel.EMAIL,
            )
            _send(campaign, person.user.email, link(token), reminder=False)
        sent += 1
    logger.info("climate invitations sent campaign=%s count=%s", campaign.code, sent)
    return sent


def do_invite_emails(
    campaign: Campaign, perimeter: Perimeter, emails: list[str], link: Callable[[str], str]
) -> int:
    """E-mail a one-time link to each address not yet invited to this campaign."""
    _require(
        campaign,
        Campaign.Status.LAUNCHED,
        _("Les invitations partent une fois la campagne lancée."),
    )
    known = set(Invitation.objects.filter(campaign=campaign).values_list("email", flat=True))
    sent = 0
    for email in emails:
        if email in known:
            continue
        with transaction.atomic():
            token = _new_invitation(
                campaign, perimeter, email=email, channel=Invitation.Channel.EMAIL
            )
            _send(campaign, email, link(token), reminder=False)
        sent += 1
    logger.info("climate e-mail invitations campaign=%s count=%s", campaign.code, sent)
    return sent


def _send(campaign: Campaign, email: str, url: str, *, reminder: bool) -> None:
    subject = (_("Rappel : %(name)s") if reminder else _("Votre avis : %(name)s")) % {
        "name": campaign.name
    }
    body = _(
        "Bonjour,\n\nVous êtes invité·e à répondre au questionnaire « %(name)s ».\n"
        "Vos réponses sont confidentielles : aucun résultat n'est montré pour moins de "
        "%(scores)s répondants, ni aucun commentaire pour moins de %(comments)s.\n\n"
        "Votre lien personnel, valable une seule fois :\n%(url)s\n"
    ) % {
        "name": campaign.name,
        "scores": campaign.min_scores,
        "comments": campaign.min_comments,
        "url": url,
    }
    send_mail(subject, body, None, [email])


def do_print_links(
    campaign: Campaign, perimeter: Perimeter, count: int, link: Callable[[str], str]
) -> list[str]:
    """``count`` one-time links for a team without e-mail; shown once, never stored."""
    _require(
        campaign, Campaign.Status.LAUNCHED, _("Les liens s'impriment une fois la campagne lancée.")
    )
    links = []
    with transaction.atomic():
        for _n in range(count):
            token = _new_invitation(campaign, perimeter, channel=Invitation.Channel.PRINT)
            links.append(link(token))
    logger.info("climate printed links campaign=%s count=%s", campaign.code, count)
    return links


def do_remind(campaign: Campaign, link: Callable[[str], str]) -> int:
    """A new link by e-mail to those who have not answered (the old token is replaced: only
    its hash was kept, so the old link cannot be re-sent)."""
    _require(
        campaign, Campaign.Status.LAUNCHED, _("Seule une campagne en cours peut être relancée.")
    )
    pending = Invitation.objects.filter(
        campaign=campaign, answered=False, channel=Invitation.Channel.EMAIL
    ).exclude(email="")
    count = 0
    for invitation in pending:
        token = secrets.token_urlsafe(24)
        with transaction.atomic():
            invitation.token_hash = hash_token(token)
            invitation.reminders += 1
            invitation.save(update_fields=["token_hash", "reminders"])
            _send(campaign, invitation.email, link(token), reminder=True)
        count += 1
    logger.info("climate reminders campaign=%s count=%s", campaign.code, count)
    return count


def do_launch_campaign(campaign: Campaign) -> Campaign:
    """Freeze instruments, thresholds and categories; create the result groups (targets,
    their descendants and their ancestors up to the owner)."""
    _require(
        campaign, Campaign.Status.DRAFT, _("Seule une campagne en brouillon peut être lancée.")
    )
    if not campaign.instruments or not campaign.targets.exists():
        raise CampaignStateError(_("Choisissez au moins un questionnaire et un périmètre cible."))
    perimeters = {p.pk: p for p in _target_perimeters(campaign)}
    for target in campaign.targets.all():
        for ancestor in target.ancestors().filter(path__startswith=campaign.perimeter.path):
            perimeters[ancestor.pk] = ancestor
    with transaction.atomic():
        ResultGroup.objects.bulk_create(
            [ResultGroup(campaign=campaign, perimeter=p) for p in perimeters.values()]
        )
        campaign.status = Campaign.Status.LAUNCHED
        campaign.launched_on = timezone.localdate()
        campaign.save(update_fields=["status", "launched_on"])
    logger.info("climate campaign launched code=%s groups=%s", campaign.code, len(perimeters))
    return campaign


def do_close_campaign(campaign: Campaign) -> Campaign:
    _require(
        campaign, Campaign.Status.LAUNCHED, _("Seule une campagne en cours peut être clôturée.")
    )
    with transaction.atomic():
        campaign.status = Campaign.Status.CLOSED
        campaign.closed_on = timezone.localdate()
        campaign.save(update_fields=["status", "closed_on"])
        # Addresses were only kept for reminders: none are sent after closing.
        Invitation.objects.filter(campaign=campaign).update(email="")
    logger.info("climate campaign closed code=%s", campaign.code)
    return campaign


def find_invitation(token: str) -> Invitation | None:
    """The open invitation of this token, or None (unknown, used, or campaign not running)."""
    return (
        Invitation.objects.select_related("campaign", "perimeter")
        .filter(token_hash=hash_token(token), answered=False, campaign__status="launched")
        .first()
    )


def do_answer(
    invitation: Invitation,
    answers: dict[str, int],
    categories: dict[str, str],
    comments: dict[str, str],
) -> None:
    """Record an answer and mark the invitation used, with nothing linking the two.

    Steps: re-check the token is unused under a row lock; flag the invitation; store the
    response (random UUID, day only) and the pseudonymised comments (their own rows)."""
    campaign = invitation.campaign
    expected = {item.id for i in campaign_instruments(campaign) for item in i.items}
    if set(answers) != expected:
        raise CampaignStateError(_("Réponse incomplète."))
    texts = {k: v.strip() for k, v in comments.items() if v.strip()}
    cleaned = dict(zip(texts, pseudonymise(list(texts.values())), strict=True))
    with transaction.atomic():
        used = Invitation.objects.select_for_update().filter(pk=invitation.pk, answered=False)
        if not used.update(answered=True):
            raise CampaignStateError(_("Ce lien a déjà servi."))
        Response.objects.create(
            campaign=campaign,
            perimeter=invitation.perimeter,
            day=timezone.localdate(),
            answers=answers,
            categories=categories,
        )
        Comment.objects.bulk_create(
            [
                Comment(campaign=campaign, perimeter=invitation.perimeter, question=q, text=t)
                for q, t in cleaned.items()
            ]
        )
