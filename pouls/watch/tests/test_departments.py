"""Internal dysfunctions from field reports are signals for the department that owns them,
end to end: sellers file reports addressed to a back-office department, the texts are
analysed, rolled up and scanned, and the signal shows in that department's feed only."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from pouls.annotations.services import annotate_pending
from pouls.feedback.actions import do_file_field_report
from pouls.feedback.models import Feedback
from pouls.rollups.fill import refresh
from pouls.testing import Personas, make_feedback, make_grant, make_perimeter, make_user
from pouls.watch.detection import detect, last_complete_week
from pouls.watch.queries import whats_new

CALM = [3, 2, 4, 3, 2, 3, 4, 2, 3, 3, 2, 4, 3, 2, 3, 3]
REPORTS = [
    "Livraison en retard encore une fois, le client est furieux.",
    "Le client attend sa livraison depuis trois semaines, toujours rien.",
    "Encore une livraison en retard, le client a annulé sa commande.",
]


@pytest.mark.django_db
def test_a_surge_of_dysfunction_reports_is_a_signal_of_the_department_only(
    personas: Personas,
) -> None:
    logistics = make_perimeter(name="Service Logistique", kind="department", parent=personas.group)
    dora = make_user("dora-logistique")
    make_grant(dora, logistics)
    week = last_complete_week()
    zone = timezone.get_current_timezone()
    for k, count in enumerate(CALM):
        monday = week - dt.timedelta(weeks=len(CALM) - k)
        for i in range(count):
            make_feedback(
                perimeter=logistics,
                nps=None,
                source_kind="field_report",
                text=REPORTS[i % len(REPORTS)],
                received_at=dt.datetime.combine(monday + dt.timedelta(days=i), dt.time(10), zone),
            )
    surge = [
        do_file_field_report(
            personas.bob,
            perimeter=personas.lille,
            category="dysfunction",
            text=REPORTS[i % len(REPORTS)],
            department=logistics,
        ).pk
        for i in range(16)
    ]
    # Filed during the last complete week (the action stamps "now").
    Feedback.objects.filter(pk__in=surge).update(
        received_at=dt.datetime.combine(week + dt.timedelta(days=2), dt.time(15), zone)
    )
    annotate_pending()
    refresh()
    detect(week)
    for reader, sees in ((dora, True), (personas.alice, True), (personas.bob, False)):
        signals = {(s.signal.perimeter.name, s.signal.theme) for s in whats_new(reader).signals}
        assert (("Service Logistique", "delivery") in signals) is sees, reader
    assert not {s.signal.perimeter.name for s in whats_new(personas.bob).signals} - {
        "Site Lille"
    }, "the sender's store sees none of the department's signals"
