"""Writes of the surveys app: create a survey with its links, invitations, store an answer."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from pouls.chain import after_answer
from pouls.feedback.importers.pipeline import store_answer
from pouls.feedback.models import Feedback
from pouls.lib import privacy
from pouls.lib.scoping import may_act
from pouls.org.models import Perimeter, Person
from pouls.surveys.models import Invitation, Survey, SurveyAnswer, SurveyLink

logger = logging.getLogger(__name__)

CES_SCALE = 5


def _check_admin(user: Any, perimeter_id: int) -> None:
    if not may_act(user, "admin", perimeter_id):
        raise PermissionDenied


def do_create_survey(user: Any, survey: Survey) -> Survey:
    """Save a new survey (admin role on its perimeter) and give a link to each store under
    it and to each active seller or advisor there; a perimeter without stores gets one."""
    with transaction.atomic():
        _check_admin(user, survey.perimeter_id)
        survey.created_by = user
        survey.save()
        do_create_links(survey)
    return survey


def do_create_links(survey: Survey) -> int:
    """Links for the stores and sellers under the survey's perimeter that have none yet
    (run again after people join). Trusted: the caller checked the admin right."""
    root = survey.perimeter
    subtree = Perimeter.objects.filter(path__startswith=root.path)
    stores = list(subtree.filter(kind=Perimeter.Kind.STORE)) or [root]
    people = Person.objects.filter(
        perimeter__path__startswith=root.path,
        is_active=True,
        kind__in=[Person.Kind.SELLER, Person.Kind.ADVISOR],
    )
    have_store = set(
        survey.links.filter(person__isnull=True).values_list("perimeter_id", flat=True)
    )
    have_person = set(survey.links.exclude(person=None).values_list("person_id", flat=True))
    links = [SurveyLink(survey=survey, perimeter=p) for p in stores if p.pk not in have_store]
    links += [
        SurveyLink(survey=survey, perimeter_id=person.perimeter_id, person=person)
        for person in people
        if person.pk not in have_person
    ]
    SurveyLink.objects.bulk_create(links)
    return len(links)


def do_manage_survey(user: Any, survey: Survey, action: str) -> int:
    """Close or reopen a survey, or give links to stores and sellers added since (admin
    role on its perimeter); returns the number of links created."""
    with transaction.atomic():
        _check_admin(user, survey.perimeter_id)
        if action == "liens":
            return do_create_links(survey)
        survey.is_open = action == "rouvrir"
        survey.save(update_fields=["is_open"])
        return 0


def do_create_invitations(user: Any, link: SurveyLink, count: int) -> list[Invitation]:
    """``count`` single-use invitations on ``link`` (admin role on its perimeter)."""
    with transaction.atomic():
        _check_admin(user, link.perimeter_id)
        rows = [Invitation(link=link, perimeter_id=link.perimeter_id) for _ in range(count)]
        return Invitation.objects.bulk_create(rows)


class AlreadyAnswered(Exception):
    """The invitation was used already."""


@dataclass(frozen=True, slots=True)
class Answer:
    nps: int
    why: str
    csat: int | None
    ces: int | None
    consent: bool
    contact: str
    nonce: str


def do_answer_survey(
    link: SurveyLink, answer: Answer, *, invitation: Invitation | None = None
) -> Feedback | None:
    """Store an answer as survey feedback through the import path (pseudonymised,
    de-duplicated, contact kept apart, analysis queued) and queue a detractor's callback.

    Steps: claim the invitation (one answer each; ``AlreadyAnswered`` otherwise); build the
    feedback; store it, keyed by the invitation or by the form's nonce so that a form posted
    twice is stored once (None is returned for the duplicate); queue the callback.
    """
    with transaction.atomic():
        if invitation is not None:
            claimed = Invitation.objects.filter(pk=invitation.pk, used_at__isnull=True).update(
                used_at=timezone.now()
            )
            if not claimed:
                raise AlreadyAnswered
        feedback = _feedback(link, answer, invitation)
        marker = f"inv:{invitation.token}" if invitation else f"form:{answer.nonce}"
        key = "survey:" + hashlib.sha256(f"{link.token}|{marker}".encode()).hexdigest()[:40]
        stored = store_answer(feedback, key=key, contact=answer.contact if answer.consent else "")
        if stored is None:
            if invitation is not None:
                raise AlreadyAnswered
            return None
        SurveyAnswer.objects.create(
            feedback=stored, survey_id=link.survey_id, link=link, perimeter_id=link.perimeter_id
        )
        after_answer(stored.pk)
    logger.info("survey answer stored: link=%s feedback=%s", link.code, stored.code)
    return stored


def _feedback(link: SurveyLink, answer: Answer, invitation: Invitation | None) -> Feedback:
    consent = answer.consent and bool(answer.contact)
    # A follow-up answer belongs to the customer called back: same keyed reference.
    if invitation is not None and invitation.callback is not None:
        ref = invitation.callback.feedback.customer_ref
    else:
        ref = privacy.customer_ref(answer.contact) if consent else ""
    return Feedback(
        perimeter=link.perimeter,
        person=link.person,
        source_kind=Feedback.SourceKind.SURVEY,
        channel=Feedback.Channel.STORE,
        received_at=timezone.now(),
        nps=answer.nps,
        csat=answer.csat,
        ces=answer.ces,
        ces_scale=CES_SCALE if answer.ces is not None else None,
        text=answer.why.strip(),
        callback_consent=consent,
        customer_ref=ref,
    )
