"""The role model (viewer / manager / analyst / admin): what each may do, the one predicate,
the migration of existing grants, and a menu that shows only what the roles allow."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from pouls.briefings.actions import do_create_briefing, do_mark_presented
from pouls.briefings.models import Briefing
from pouls.callbacks.actions import do_log_call
from pouls.callbacks.models import CallLog
from pouls.feedback.models import CallbackContact, Feedback
from pouls.lib.scoping import ROLES_FOR_ACTION, may_act, may_act_somewhere
from pouls.org.models import Grant
from pouls.testing import (
    Personas,
    make_callback,
    make_feedback,
    make_person,
    make_seller,
)

# What each role may do on its own perimeter: the whole matrix, written out.
EXPECTED = {
    "viewer": {"view"},
    "manager": {"view", "run"},
    "analyst": {"view", "run", "analyze", "change"},
    "admin": {"view", "run", "analyze", "change", "delete", "admin"},
}


@pytest.mark.parametrize("role", list(EXPECTED))
def test_each_role_may_do_exactly_its_actions(personas: Personas, role: str) -> None:
    user = personas.charlie
    Grant.objects.create(user=user, perimeter=personas.roubaix, role=role)
    allowed = {a for a in ROLES_FOR_ACTION if may_act(user, a, personas.roubaix.pk)}  # type: ignore[arg-type]
    assert allowed == EXPECTED[role]
    # Nothing outside the granted subtree, whatever the role.
    assert not any(may_act(user, a, personas.lille.pk) for a in ROLES_FOR_ACTION)  # type: ignore[arg-type]


def test_inactive_and_anonymous_may_do_nothing(personas: Personas) -> None:
    from django.contrib.auth.models import AnonymousUser

    personas.alice.is_active = False
    assert not may_act(personas.alice, "view", personas.group.pk)
    assert not may_act(AnonymousUser(), "view", personas.group.pk)
    assert not may_act_somewhere(AnonymousUser(), "view")


def _contact_callback(p: Personas) -> Any:
    feedback = make_feedback(perimeter=p.lille, nps=2, text="Personne pour m'aider.")
    Feedback.objects.filter(pk=feedback.pk).update(callback_consent=True)
    CallbackContact.objects.create(
        feedback=feedback,
        perimeter=p.lille,
        contact="06 11 22 33 44",
        expires_at=timezone.now() + dt.timedelta(days=30),
    )
    return make_callback(feedback=feedback)


def test_a_manager_runs_the_rituals_of_his_store(personas: Personas) -> None:
    briefing = do_create_briefing(
        personas.dave, personas.lille, "weekly", dt.date(2026, 11, 9), author=personas.dave
    )
    do_mark_presented(personas.dave, briefing)
    callback = _contact_callback(personas)
    do_log_call(personas.dave, callback, outcome="reached", note="")
    assert CallLog.objects.filter(author=personas.dave).count() == 1
    assert CallbackContact.objects.for_user(personas.dave).count() == 1


def test_a_manager_cannot_run_another_store(personas: Personas) -> None:
    with pytest.raises(PermissionDenied):
        do_create_briefing(
            personas.dave, personas.roubaix, "weekly", dt.date(2026, 11, 9), author=personas.dave
        )
    assert not Briefing.objects.exists()


def test_a_viewer_neither_runs_rituals_nor_reads_contacts(personas: Personas) -> None:
    with pytest.raises(PermissionDenied):
        do_create_briefing(
            personas.bob, personas.lille, "weekly", dt.date(2026, 11, 9), author=personas.bob
        )
    callback = _contact_callback(personas)
    with pytest.raises(PermissionDenied):
        do_log_call(personas.bob, callback, outcome="reached", note="")
    assert not CallbackContact.objects.for_user(personas.bob).exists()


def test_a_manager_prepares_the_briefing_in_the_browserless_client(
    client: Client, personas: Personas
) -> None:
    client.force_login(personas.dave)
    url = reverse("briefings-briefing-create", args=[personas.lille.code])
    response = client.post(url, {"period": "weekly", "sections": "chiffres"})
    assert response.status_code == 302
    briefing = Briefing.objects.get()
    mark = reverse("briefings-briefing-mark-presented", args=[briefing.code])
    assert client.post(mark).status_code == 302
    # What a manager may not do: import, correct themes, manage access, export.
    upload = client.get(reverse("feedback-import-upload")).content.decode()
    assert "Site Lille" not in upload  # no perimeter to import into
    feedback = make_feedback(perimeter=personas.lille)
    correct = reverse("web-theme-correction", args=[feedback.code])
    assert client.post(correct, {"theme": "delivery", "present": "0"}).status_code == 403
    export = reverse("feedback-export-csv", args=[personas.lille.code])
    assert client.get(export).status_code == 403


def _menu(client: Client, user: Any) -> str:
    client.force_login(user)
    body = client.get(reverse("web-home-view")).content.decode()
    return body[body.index('<nav class="user">') : body.index("</nav>")]


def test_the_menu_shows_only_what_the_roles_allow(client: Client, personas: Personas) -> None:
    nothing = _menu(client, personas.charlie)
    for entry in ("Imports", "Enquêtes", "Climat", "Remontée terrain", "Mon pouls", "Quoi de neuf"):
        assert entry not in nothing
    bob = _menu(client, personas.bob)
    assert "Quoi de neuf" in bob and "Imports" not in bob and "Mon pouls" not in bob
    assert "Imports" in _menu(client, personas.carol)
    assert "Imports" not in _menu(client, personas.dave)


def test_mon_pouls_only_for_people_linked_to_a_seller(client: Client, personas: Personas) -> None:
    make_person(perimeter=personas.lille, kind="manager", user=personas.dave)
    assert "Mon pouls" not in _menu(client, personas.dave)
    sam, _ = make_seller(personas)
    assert "Mon pouls" in _menu(client, sam)


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_managers_the_manager_role_and_back() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate([("org", "0002_grant_manager_role")])
    old = executor.loader.project_state([("org", "0002_grant_manager_role")]).apps
    User = old.get_model("auth", "User")
    Perimeter = old.get_model("org", "Perimeter")
    Person = old.get_model("org", "Person")
    OldGrant = old.get_model("org", "Grant")
    store = Perimeter.objects.create(ref="S1", name="Site", kind="store", path="0000001.")
    other = Perimeter.objects.create(ref="S2", name="Autre", kind="store", path="0000002.")
    boss, reader = User.objects.create(username="boss"), User.objects.create(username="reader")
    Person.objects.create(
        perimeter=store, first_name="B", last_name="Oss", kind="manager", user=boss
    )
    OldGrant.objects.create(user=boss, perimeter=store, role="viewer")
    OldGrant.objects.create(user=boss, perimeter=other, role="viewer")  # not his store
    OldGrant.objects.create(user=reader, perimeter=store, role="viewer")
    executor = MigrationExecutor(connection)
    executor.migrate([("org", "0003_managers_get_manager_role")])
    roles = dict(Grant.objects.values_list("perimeter__ref", "role").filter(user__username="boss"))
    assert roles == {"S1": "manager", "S2": "viewer"}
    assert Grant.objects.get(user__username="reader").role == "viewer"
    executor = MigrationExecutor(connection)
    executor.migrate([("org", "0002_grant_manager_role")])
    assert set(OldGrant.objects.values_list("role", flat=True)) == {"viewer"}
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
