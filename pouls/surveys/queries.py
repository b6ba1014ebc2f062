"""Reads of the surveys app: scoped for people, by token for the public form."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from pouls.surveys.models import Invitation, Survey, SurveyAnswer, SurveyLink


def visible_surveys(user: Any) -> QuerySet[Survey]:
    """Surveys whose perimeter the user may see, or with a link in the user's scope: a store
    manager reaches the QR codes of the store in a survey run by the group (and only them:
    ``list_links`` is scoped too)."""
    own = Survey.objects.for_user(user).values("pk")
    linked = SurveyLink.objects.for_user(user).values("survey_id")
    return Survey.objects.filter(Q(pk__in=own) | Q(pk__in=linked))


def get_survey_for_user_or_404(user: Any, code: str) -> Survey:
    survey = visible_surveys(user).select_related("perimeter").filter(code=code).first()
    if survey is None:
        raise Http404
    return survey


def list_surveys(user: Any) -> QuerySet[Survey]:
    return (
        visible_surveys(user)
        .select_related("perimeter")
        # Only the links and answers the user may see: a store manager must not count the
        # whole group's.
        .annotate(
            link_count=Count(
                "links", filter=Q(links__in=SurveyLink.objects.for_user(user)), distinct=True
            ),
            answer_count=Count(
                "answers",
                filter=Q(answers__in=SurveyAnswer.objects.for_user(user)),
                distinct=True,
            ),
        )
        .order_by("-created_at")
    )


def list_links(user: Any, survey: Survey) -> QuerySet[SurveyLink]:
    """The survey's links the user may see (a store manager sees only their store's)."""
    return (
        SurveyLink.objects.for_user(user)
        .filter(survey=survey)
        .select_related("perimeter", "person")
        .order_by("perimeter__path", "person__last_name", "person__first_name")
    )


def get_public_link(token: str) -> SurveyLink:
    """The open survey link with this public token, else 404. The token is the capability:
    customers have no account, so this read is deliberately unscoped."""
    link = (
        SurveyLink.objects.select_related("survey", "perimeter", "person")
        .filter(token=token, survey__is_open=True)
        .first()
    )
    if link is None:
        raise Http404
    if link.person is not None and not link.person.is_active:
        # A seller who left: their printed QR code still reaches the store, but their name is
        # no longer shown and answers are no longer credited to them.
        link.person = None
    return link


def get_invitation(link: SurveyLink, token: str) -> Invitation | None:
    """The invitation of ``link`` with this token (public, by token), or None."""
    if not token:
        return None
    return (
        Invitation.objects.select_related("callback__feedback")
        .filter(link=link, token=token[:64])
        .first()
    )
