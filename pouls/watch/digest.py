"""The daily e-mail digest: the reader's own « Quoi de neuf ? », through Django's e-mail
framework (console backend in the demo). Built by the same scoped function as the page."""

from __future__ import annotations

import datetime as dt
import logging
import smtplib

from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone

from pouls.watch.models import DigestSubscription
from pouls.watch.queries import whats_new

logger = logging.getLogger(__name__)


def send_digests(today: dt.date | None = None) -> int:
    """Send today's digest to every subscriber not yet served today; how many were sent.
    Empty feeds are not sent: an e-mail saying "nothing new" trains people to ignore it."""
    today = today or timezone.localdate()
    sent = 0
    subscriptions = DigestSubscription.objects.filter(daily=True).select_related("user")
    for subscription in subscriptions.exclude(last_sent=today):
        user = subscription.user
        if not user.is_active or not user.email:
            continue
        feed = whats_new(user, today)
        if not feed.empty:
            body = render_to_string("watch/digest.txt", {"feed": feed, "user": user})
            try:
                send_mail(f"Pouls — quoi de neuf au {today:%d/%m/%Y}", body, None, [user.email])
            except (smtplib.SMTPException, OSError):
                # One refused address must not stop the others; it is tried again next run.
                logger.warning("digest not sent to user %s", user.pk)
                continue
            sent += 1
        subscription.last_sent = today
        subscription.save(update_fields=["last_sent"])
    logger.info("digests sent: %d", sent)
    return sent
