"""Must show (b): nothing in the database links an answer to a person or a token.

Answers are given through the real respondent pages, after e-mail invitations, printed links
and a reminder; then every table is read back (raw SQL through ``connection.introspection``
and ``dumpdata``) and searched."""

from __future__ import annotations

import io
import logging
import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse

from pouls.climate.actions import do_invite_people, do_remind, do_write_answer_batch
from pouls.climate.models import Invitation, Response
from pouls.climate.tests.builders import answers_for, make_campaign, print_links
from pouls.testing import Personas, make_person, make_user

RESPONSE_TABLES = {
    "climate_response",
    "climate_comment",
    "climate_publication",
    "climate_pendinganswer",
}
TOKEN = re.compile(r"/q/([A-Za-z0-9_-]{20,})/")


def _post_answer(client: Client, campaign, token: str, level: int) -> None:  # type: ignore[no-untyped-def]
    data = {f"i_{k}": str(v) for k, v in answers_for(campaign, level).items()}
    data |= {"c_role": "encadrement", "t_general": f"Merci de m'écrire à camille{level}@exemple.fr"}
    response = client.post(reverse("climate-answer", args=[token]), data)
    assert response.status_code == 302, response.content.decode()[:500]


def _token(body: str) -> str:
    found = TOKEN.search(body)
    assert found is not None
    return found[1]


def _rows(table: str) -> list[tuple[object, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
        return list(cursor.fetchall())


@pytest.fixture
def answered(
    personas: Personas, client: Client, caplog: pytest.LogCaptureFixture
) -> dict[str, list[str]]:
    caplog.set_level(logging.DEBUG)
    campaign = make_campaign(owner=personas.nord, demographics=["role"], name="Dump")
    people = []
    for i in range(6):
        user = make_user(f"vendeur{i}")
        people.append(
            make_person(
                perimeter=personas.lille, first_name=f"Prénom{i}", last_name=f"Nom{i}", user=user
            )
        )
    do_invite_people(campaign, lambda t: f"http://testserver/q/{t}/")
    tokens = [_token(str(m.body)) for m in mail.outbox]
    tokens += [
        link.split("/")[-2]
        for link in print_links(campaign, personas.roubaix, 3, lambda t: f"http://x/q/{t}/")
    ]
    first = tokens[:3] + tokens[6:8]
    for level, token in enumerate(first):
        _post_answer(client, campaign, token, level)
    mail.outbox.clear()
    do_remind(campaign, lambda t: f"http://testserver/q/{t}/")
    reminded = [_token(str(m.body)) for m in mail.outbox]
    assert len(reminded) == 3  # only the three e-mailed people who had not answered
    _post_answer(client, campaign, reminded[0], 4)
    # A used token is refused without a 4xx (Django would log the path holding it).
    again = client.post(reverse("climate-answer", args=[first[0]]), {})
    assert again.status_code == 200 and "plus actif" in again.content.decode()
    do_write_answer_batch(campaign.pk, final=True)  # the worker's last batch, at closing
    return {
        "tokens": tokens + reminded,
        "hashes": list(Invitation.objects.values_list("token_hash", flat=True)),
        "emails": [p.user.email for p in people if p.user],
        "people": [str(p.code) for p in people] + [p.last_name for p in people],
        "invitations": [str(c) for c in Invitation.objects.values_list("code", flat=True)],
        "log": [caplog.text],
    }


def test_response_tables_hold_no_token_person_email_or_invitation(
    answered: dict[str, list[str]],
) -> None:
    assert Response.objects.count() == 6
    secrets = (
        answered["tokens"]
        + answered["hashes"]
        + answered["emails"]
        + answered["people"]
        + answered["invitations"]
    )
    for table in connection.introspection.table_names():
        text = repr(_rows(table))
        if table in RESPONSE_TABLES:
            assert not [s for s in secrets if s in text], table
        # The token itself is nowhere in the database (only its hash, on the invitation).
        assert not [t for t in answered["tokens"] if t in text], table
    dump = io.StringIO()
    call_command("dumpdata", "climate", stdout=dump)
    climate_records = dump.getvalue()
    assert not [t for t in answered["tokens"] if t in climate_records]
    assert "exemple.fr" not in repr(_rows("climate_comment"))  # e-mails in comments are masked


def test_response_tables_have_no_link_column_and_no_timestamp(
    answered: dict[str, list[str]],
) -> None:
    with connection.cursor() as cursor:
        for table in RESPONSE_TABLES:
            relations = connection.introspection.get_relations(cursor, table)
            targets = {target for _col, (_field, target) in relations.items()}
            assert targets <= {"climate_campaign", "org_perimeter"}, (table, targets)
            columns = connection.introspection.get_table_description(cursor, table)
            kinds = {
                c.name: connection.introspection.get_field_type(c.type_code, c) for c in columns
            }
            assert "DateTimeField" not in kinds.values(), (table, kinds)
            assert kinds["id"] not in {"AutoField", "BigAutoField", "IntegerField"}, table
    # No time on the invitation either: participation is a boolean.
    with connection.cursor() as cursor:
        columns = connection.introspection.get_table_description(cursor, "climate_invitation")
        types = {connection.introspection.get_field_type(c.type_code, c) for c in columns}
    assert not types & {"DateTimeField", "DateField", "TimeField"}


def test_response_primary_keys_are_random_not_ordered(answered: dict[str, list[str]]) -> None:
    ids = [str(i) for i in Response.objects.values_list("id", flat=True)]
    assert all(re.fullmatch(r"[0-9a-f-]{36}", i) and i[14] == "4" for i in ids)  # UUID4


def test_no_token_and_no_ip_in_the_logs(answered: dict[str, list[str]]) -> None:
    log = answered["log"][0]
    assert not [t for t in answered["tokens"] if t in log]
    assert "127.0.0.1" not in log and "REMOTE_ADDR" not in log


def test_the_server_and_request_log_lines_of_a_link_are_redacted() -> None:
    seen: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            seen.append(record.getMessage())

    handler = Keep()
    loggers = [logging.getLogger(n) for n in ("django.server", "django.request")]
    for logger in loggers:
        logger.addHandler(handler)
    try:
        path = "/q/secret-token-123456789/"
        loggers[0].info('"%s" %s %s', f"GET {path} HTTP/1.1", "200", "512")
        loggers[1].warning("Not Found: %s", path)
    finally:
        for logger in loggers:
            logger.removeHandler(handler)
    assert len(seen) == 2
    assert all("secret-token" not in m and "/q/[jeton]/" in m for m in seen)
