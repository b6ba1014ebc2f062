"""Writes of the climate app: create, invite, launch, remind, close, answer, and the batch
writer that moves pending answers into the results (``do_write_answer_batch``)."""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pouls.climate.instruments import campaign_instruments
from pouls.climate.models import (
    Campaign,
    Comment,
    Invitation,
    PendingAnswer,
    Response,
    ResultGroup,
)
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
    distributor: Any = None,
) -> Campaign:
    campaign = Campaign(
        distributor=distributor,
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


def do_set_distributor(campaign: Campaign, distributor: Any) -> Campaign:
    """Choose who hands out printed links (the form checked they see no result perimeter;
    ``Campaign.objects.for_distributor`` checks it again at every use)."""
    if campaign.status == Campaign.Status.CLOSED:
        raise CampaignStateError(_("La campagne est clôturée."))
    campaign.distributor = distributor
    campaign.save(update_fields=["distributor"])
    logger.info("climate distributor set campaign=%s", campaign.code)
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


def _require_distributor(user: Any, campaign: Campaign) -> None:
    """Links that do not go to a known person's own address (printed slips, pasted
    addresses) are only for the campaign's distributor, who sees no results: whoever reads
    results could otherwise answer in others' place and subtract (padding)."""
    if not Campaign.objects.for_distributor(user).filter(pk=campaign.pk).exists():
        raise PermissionDenied


def do_invite_emails(
    user: Any,
    campaign: Campaign,
    perimeter: Perimeter,
    emails: list[str],
    link: Callable[[str], str],
) -> int:
    """E-mail a one-time link to each address not yet invited to this campaign (the
    distributor only: the addresses are typed by hand, so they could be the typist's)."""
    _require(
        campaign,
        Campaign.Status.LAUNCHED,
        _("Les invitations partent une fois la campagne lancée."),
    )
    _require_distributor(user, campaign)
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
    user: Any, campaign: Campaign, perimeter: Perimeter, count: int, link: Callable[[str], str]
) -> list[str]:
    """``count`` one-time links for a team without e-mail; shown once, never stored; for
    the campaign's distributor only."""
    _require(
        campaign, Campaign.Status.LAUNCHED, _("Les liens s'impriment une fois la campagne lancée.")
    )
    _require_distributor(user, campaign)
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
        # The last answers are written with every earlier batch in one shuffle.
        _enqueue_batch(campaign, final=True)
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
    """Mark the invitation used, then buffer the answer, in two transactions.

    Steps: re-check the token is unused under a row lock and flag it (commit); store the
    answer as a ``PendingAnswer`` that holds no link to the invitation (commit); once a
    batch's floor is pending, queue the worker that writes the batch shuffled. Callers must
    not wrap this in a transaction: the two writes would then share a transaction id."""
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
    with transaction.atomic():
        PendingAnswer.objects.create(
            campaign=campaign,
            perimeter=invitation.perimeter,
            answers=answers,
            categories=categories,
            comments=cleaned,
        )
        if PendingAnswer.objects.filter(campaign=campaign).count() >= campaign.batch_floor():
            _enqueue_batch(campaign, final=False)


def _enqueue_batch(campaign: Campaign, *, final: bool) -> None:
    from pouls.climate.tasks import write_answer_batch

    pk = campaign.pk
    transaction.on_commit(lambda: write_answer_batch.enqueue(pk, final))


def do_write_answer_batch(
    campaign_id: int, *, final: bool = False, floor: int | None = None
) -> int:
    """Move the pending answers of a campaign into ``Response`` and ``Comment`` rows, in one
    transaction and in a random order (scores and comments shuffled apart), when at least
    ``floor`` (default ``Campaign.batch_floor``) are pending; returns how many were written.

    Every row of a batch has the same transaction id (PostgreSQL ``xmin``) and the batch's
    day; insertion order (SQLite rowid, PostgreSQL ``ctid``) is a fresh shuffle; answered
    invitations are rewritten in the same transaction, so their ``xmin`` no longer dates
    their answer. ``final`` (at closing) writes whatever is pending and rewrites every
    earlier batch into the same shuffle, with the same ids (the publication history names
    them) and one day, so batch boundaries vanish too. ``floor`` other than the default is
    for tests and the demo."""
    shuffle = secrets.SystemRandom().shuffle
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().filter(pk=campaign_id).first()
        if campaign is None:
            return 0
        pending = list(PendingAnswer.objects.filter(campaign=campaign))
        need = campaign.batch_floor() if floor is None else floor
        if not final and (not pending or len(pending) < need):
            return 0
        day = timezone.localdate()
        responses = [
            Response(
                campaign=campaign,
                perimeter_id=p.perimeter_id,
                day=day,
                answers=p.answers,
                categories=p.categories,
            )
            for p in pending
        ]
        comments = [
            Comment(campaign=campaign, perimeter_id=p.perimeter_id, question=q, text=t)
            for p in pending
            for q, t in p.comments.items()
        ]
        if final:
            responses += [_again(r, day) for r in Response.objects.filter(campaign=campaign)]
            comments += list(Comment.objects.filter(campaign=campaign))
            Response.objects.filter(campaign=campaign).delete()
            Comment.objects.filter(campaign=campaign).delete()
        shuffle(responses)
        shuffle(comments)
        PendingAnswer.objects.filter(pk__in=[p.pk for p in pending]).delete()
        Response.objects.bulk_create(responses)
        Comment.objects.bulk_create(comments)
        # A no-op on values, but a new row version: the answer's own transaction id is gone.
        Invitation.objects.filter(campaign=campaign, answered=True).update(answered=True)
    logger.info(
        "climate answer batch campaign=%s written=%s final=%s", campaign.code, len(pending), final
    )
    return len(pending)


def _again(response: Response, day: Any) -> Response:
    response.day = day
    return response
