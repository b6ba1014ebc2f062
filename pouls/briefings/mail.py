"""Scheduled briefings: each one is built *as its recipient* (their scope only), stored, then
e-mailed as Markdown. A schedule whose perimeter the recipient may not see is skipped."""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from dataclasses import dataclass

from django.core.mail import send_mail
from django.utils import timezone

from pouls.briefings.actions import do_create_briefing
from pouls.briefings.models import BriefingSchedule, Period
from pouls.briefings.queries import default_start
from pouls.briefings.render import render_markdown
from pouls.lib.dates import week_start
from pouls.org.models import Perimeter

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class SendReport:
    sent: int
    skipped: int


def _due(schedule: BriefingSchedule, today: dt.date) -> bool:
    if schedule.last_sent is None:
        return True
    if schedule.period == Period.DAILY:
        return schedule.last_sent < today
    return schedule.last_sent < week_start(today)


def send_scheduled_briefings(today: dt.date | None = None) -> SendReport:
    """Steps per due schedule: check the recipient still sees the perimeter; build the last
    whole period's briefing within the recipient's scope; store it; e-mail its Markdown."""
    today = today or timezone.localdate()
    sent = skipped = 0
    schedules = BriefingSchedule.objects.filter(active=True).select_related("user", "perimeter")
    for schedule in schedules.order_by("pk"):
        if not _due(schedule, today):
            continue
        user = schedule.user
        visible = Perimeter.objects.for_user(user).filter(pk=schedule.perimeter_id).exists()
        if not user.is_active or not user.email or not visible:
            logger.warning(
                "briefing schedule %s skipped: recipient cannot receive it", schedule.code
            )
            skipped += 1
            continue
        start = default_start(schedule.period, today, user=user, perimeter=schedule.perimeter)
        briefing = do_create_briefing(user, schedule.perimeter, schedule.period, start)
        try:
            send_mail(
                f"Pouls — point d'équipe {schedule.perimeter.name}, {briefing.snapshot['label']}",
                render_markdown(briefing.snapshot),
                None,
                [user.email],
            )
        except (smtplib.SMTPException, OSError):
            # One refused address must not stop the others; the schedule is tried again.
            logger.warning("briefing schedule %s: e-mail not sent", schedule.code)
            skipped += 1
            continue
        schedule.last_sent = today
        schedule.save(update_fields=["last_sent"])
        sent += 1
    logger.info("scheduled briefings sent: %d, skipped: %d", sent, skipped)
    return SendReport(sent, skipped)
