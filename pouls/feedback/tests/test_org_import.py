"""The organisation imported from an HR export: counts add up, errors are quarantined with
their reasons, a re-import updates in place and applies moves, rollups follow."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from pouls.feedback.importers.org import do_import_org, recognise_columns
from pouls.feedback.models import Import, QuarantinedRow
from pouls.org.models import Perimeter, Person
from pouls.rollups.fill import rebuild_all
from pouls.rollups.models import MetricValue
from pouls.testing import Personas, make_feedback, make_grant, make_user

HEADER = [
    "Matricule",
    "Nom",
    "Prénom",
    "E-mail",
    "Fonction",
    "Région",
    "Magasin",
    "Équipe",
    "Manager",
]
REGIONS = 8
STORES_PER_REGION = 5
TEAMS_PER_STORE = 2
SELLERS_PER_TEAM = 6


def generate(moved_stores: dict[int, int] | None = None, moved_people: int = 0) -> list[list[str]]:
    """An HR export: 8 region directors, 40 store managers, 80 teams of 6 sellers (528
    people, 128 perimeters). ``moved_stores`` maps a store number to its new region;
    ``moved_people`` sellers of store 0 go to store 1's first team."""
    moved_stores = moved_stores or {}
    rows = []
    for r in range(REGIONS):
        rows.append([f"D{r:03d}", f"Directeur{r}", "Rémi", f"d{r}@ex.fr", "Directeur régional"])
        rows[-1] += [f"Région {r}", "", "", ""]
    for s in range(REGIONS * STORES_PER_REGION):
        region = moved_stores.get(s, s // STORES_PER_REGION)
        store = [f"Région {region}", f"Magasin {s}"]
        rows.append([f"M{s:03d}", f"Gérant{s}", "Anne", f"m{s}@ex.fr", "Responsable magasin"])
        rows[-1] += [*store, "", f"D{region:03d}"]
        for t in range(TEAMS_PER_STORE):
            for k in range(SELLERS_PER_TEAM):
                n = (s * TEAMS_PER_STORE + t) * SELLERS_PER_TEAM + k
                where, boss = [*store, f"Équipe {t}"], f"M{s:03d}"
                if s == 0 and n < moved_people:
                    other = moved_stores.get(1, 1 // STORES_PER_REGION)
                    where, boss = [f"Région {other}", "Magasin 1", "Équipe 0"], "M001"
                rows.append([f"V{n:04d}", f"Vendeur{n}", "Léa", f"v{n}@ex.fr", "Vendeuse"])
                rows[-1] += [*where, boss]
    return rows


def plant_errors(rows: list[list[str]]) -> dict[str, int]:
    """Errors an HR export really has; how many rows each reason should quarantine."""
    for i in range(4):  # missing names
        rows.append([f"X{i}", "", "", f"x{i}@ex.fr", "Vendeur", "Région 0", "Magasin 0", "", ""])
    for i in range(5):  # unknown manager
        rows.append(
            [f"Y{i}", "Nom", "Yan", f"y{i}@ex.fr", "Vendeur", "Région 1", "Magasin 5", "", "Z999"]
        )
    for i in range(3):  # bad e-mails
        rows.append(
            [f"B{i}", "Nom", "Bea", "pas-un-mail@", "Vendeur", "Région 2", "Magasin 10", "", ""]
        )
    for i in range(2):  # an id seen twice, with other values
        rows.append(
            [f"V{i:04d}", "Autre", "Nom", f"autre{i}@ex.fr", "Vendeur", "Région 3", "", "", ""]
        )
    for i in range(6):  # the same row twice: a duplicate, not an error
        rows.append(list(rows[100 + i]))
    return {
        "nom et prénom manquants": 4,
        "manager inconnu": 5,
        "e-mail invalide": 3,
        "matricule ou e-mail déjà vu ligne 2": 0,  # counted below by prefix
        "duplicates": 6,
    }


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="cp1252", newline="") as handle:  # a Windows export
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


@pytest.fixture
def root(db: Any) -> Perimeter:
    return Perimeter.objects.create(ref="GRP", name="Groupe", kind=Perimeter.Kind.GROUP)


def _rollups() -> set[tuple[Any, ...]]:
    return set(
        MetricValue.objects.values_list(
            "perimeter_id", "period", "start", "dimension", "value", "feedback", "promoters"
        )
    )


def test_columns_are_recognised_in_french_and_english() -> None:
    english = ["Employee ID", "Last name", "First name", "Email", "Role", "Store", "Team"]
    assert set(recognise_columns(english)) == {
        "employee_id",
        "last_name",
        "first_name",
        "email",
        "role",
        "store",
        "team",
    }
    assert recognise_columns(HEADER)["email"] == "E-mail"
    assert recognise_columns(HEADER)["team"] == "Équipe"


def test_org_import_reimport_with_moves_and_rollups(
    root: Perimeter, tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    rows = generate()
    expected = plant_errors(rows)
    path = write_csv(tmp_path / "rh.csv", rows)

    preview = do_import_org(path, root=root, dry_run=True)
    assert preview.people_created == 528 and Person.objects.count() == 0
    assert not Import.objects.exists()

    summary = do_import_org(path, root=root)
    assert summary.read == len(rows) == 528 + 4 + 5 + 3 + 2 + 6
    assert summary.read == summary.accepted + summary.quarantined + summary.duplicates
    assert (summary.accepted, summary.duplicates) == (528, expected["duplicates"])
    for reason in ("nom et prénom manquants", "manager inconnu", "e-mail invalide"):
        assert summary.reasons[reason] == expected[reason]
    assert sum(v for k, v in summary.reasons.items() if k.startswith("matricule ou")) == 2
    batch = Import.objects.get(kind=Import.Kind.ORG)
    assert (batch.read, batch.accepted, batch.quarantined) == (summary.read, 528, 14)
    assert QuarantinedRow.objects.filter(batch=batch).count() == 14
    assert Person.objects.count() == 528
    assert Perimeter.objects.exclude(pk=root.pk).count() == 8 + 40 + 80 >= 100
    seller = Person.objects.get(employee_id="V0100")
    assert seller.manager is not None and seller.manager.employee_id == "M008"
    assert seller.perimeter.kind == Perimeter.Kind.TEAM
    assert seller.perimeter.parent is not None and seller.perimeter.parent.ref == "MAG-MAGASIN-8"
    assert Person.objects.get(employee_id="M008").manager.employee_id == "D001"  # type: ignore[union-attr]

    # Feedback in every store, rollups built.
    stores = list(Perimeter.objects.filter(kind=Perimeter.Kind.STORE))
    for i, store in enumerate(stores * 3):
        make_feedback(
            perimeter=(store.children.first() or store) if i % 2 else store,
            nps=i % 11,
            received_at=dt.datetime(2026, 9, 1, 10, tzinfo=dt.UTC) + dt.timedelta(days=i % 20),
        )
    rebuild_all()
    before = _rollups()
    pks = dict(Perimeter.objects.values_list("ref", "pk"))
    people = dict(Person.objects.values_list("employee_id", "pk"))

    # Re-import: stores 0 and 1 move to region 7, store 12 to region 4, 5 sellers change store.
    moves = {0: 7, 1: 7, 12: 4}
    rows2 = generate(moved_stores=moves, moved_people=5)
    # The seller of store 0's team moves to store 1's team, which itself moved region.
    path2 = write_csv(tmp_path / "rh2.csv", rows2)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        again = do_import_org(path2, root=root)
    assert callbacks, "rollups must be rebuilt after a reorganisation"
    assert again.read == again.accepted == 528
    assert (again.people_created, again.perimeters_created) == (0, 0)
    assert (again.perimeters_moved, again.people_moved) == (3, 5)
    assert dict(Perimeter.objects.values_list("ref", "pk")) == pks
    assert dict(Person.objects.values_list("employee_id", "pk")) == people
    region7 = Perimeter.objects.get(ref="REG-REGION-7")
    for ref in ("MAG-MAGASIN-0", "MAG-MAGASIN-1"):
        store = Perimeter.objects.get(ref=ref)
        assert store.parent_id == region7.pk and store.path.startswith(region7.path)
        for team in Perimeter.objects.filter(parent=store):
            assert team.path.startswith(store.path) and team.depth == 3
    moved = Person.objects.get(employee_id="V0000")
    assert moved.perimeter.ref == "MAG-MAGASIN-1-EQUIPE-0"
    assert moved.manager.employee_id == "M001"  # type: ignore[union-attr]
    assert Person.objects.get(employee_id="M000").manager.employee_id == "D007"  # type: ignore[union-attr]

    after = _rollups()
    assert after != before  # region 0 lost two stores, region 7 gained them
    MetricValue.objects.all().delete()
    rebuild_all()
    assert _rollups() == after

    # Importing the same file again changes nothing.
    same = do_import_org(path2, root=root)
    assert (same.people_updated, same.perimeters_updated, same.perimeters_moved) == (0, 0, 0)


def test_close_missing_is_explicit(root: Perimeter, tmp_path: Path) -> None:
    do_import_org(write_csv(tmp_path / "a.csv", generate()), root=root)
    # Region 7's last store and its people are gone from the next full export.
    rows = [row for row in generate() if row[6] != "Magasin 39"]
    path = write_csv(tmp_path / "b.csv", rows)
    kept = do_import_org(path, root=root)
    assert kept.people_deactivated == kept.perimeters_closed == 0
    assert Person.objects.filter(is_active=False).count() == 0
    closed = do_import_org(path, root=root, close_missing=True)
    assert closed.people_deactivated == 1 + TEAMS_PER_STORE * SELLERS_PER_TEAM
    assert closed.perimeters_closed == 1 + TEAMS_PER_STORE
    assert Perimeter.objects.get(ref="MAG-MAGASIN-39").closed_on is not None
    assert Perimeter.objects.get(ref="MAG-MAGASIN-38").closed_on is None
    # Back in the next export: reopened and reactivated in place.
    back = do_import_org(write_csv(tmp_path / "c.csv", generate()), root=root)
    assert back.people_created == back.perimeters_created == 0
    assert Perimeter.objects.filter(closed_on__isnull=False).count() == 0
    assert not Person.objects.filter(is_active=False).exists()


def test_xlsx_and_cli(root: Perimeter, tmp_path: Path) -> None:
    from pouls.cli import main

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Employee ID", "Last name", "First name", "Email", "Role", "Store", "Manager"])
    sheet.append(["E1", "Martin", "Paul", "paul@ex.fr", "Store manager", "Lyon", ""])
    sheet.append(["E2", "Durand", "Léa", "lea@ex.fr", "Sales advisor", "Lyon", "E1"])
    sheet.append(["E3", "", "", "x@ex.fr", "Seller", "Lyon", "E1"])
    path = tmp_path / "hr.xlsx"
    book.save(path)
    result = CliRunner().invoke(main, ["import", "org", str(path), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "lues 3 = acceptées 2 + en quarantaine 1 + doublons 0" in result.output
    assert not Person.objects.exists()
    result = CliRunner().invoke(main, ["import", "org", str(path), "--into", "GRP", "--strict"])
    assert result.exit_code == 1
    assert "ligne 4 : nom et prénom manquants" in result.output
    lea = Person.objects.get(employee_id="E2")
    assert lea.kind == Person.Kind.ADVISOR and lea.perimeter.ref == "MAG-LYON"


def test_web_upload_preview_confirm_within_the_admins_perimeters(
    client: Client, personas: Personas, tmp_path: Path, settings: Any
) -> None:
    settings.UPLOAD_DIR = tmp_path / "uploads"
    rows = [
        ["E1", "Martin", "Paul", "paul@ex.fr", "Gérant", "", "Magasin Arras", "", ""],
        ["E2", "Durand", "Léa", "lea@ex.fr", "Vendeuse", "", "Magasin Arras", "Caisse", "E1"],
        ["E3", "Petit", "Jo", "jo@", "Vendeur", "", "Magasin Arras", "", "E1"],
    ]
    data = write_csv(tmp_path / "rh.csv", rows).read_bytes()
    client.force_login(personas.alice)
    assert client.get(reverse("feedback-org-import")).status_code == 200
    upload = SimpleUploadedFile("rh.csv", data, content_type="text/csv")
    response = client.post(
        reverse("feedback-org-import"), {"perimeter": personas.nord.pk, "file": upload}
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "acceptées 2 + en quarantaine 1 + doublons 0" in text and "e-mail invalide" in text
    assert not Person.objects.filter(employee_id__startswith="E").exists()  # a preview
    response = client.post(reverse("feedback-org-import"), {"confirm": "1"})
    assert response.status_code == 302
    lea = Person.objects.get(employee_id="E2")
    assert lea.perimeter.path.startswith(personas.nord.path)
    assert lea.manager == Person.objects.get(employee_id="E1")
    assert not list((tmp_path / "uploads").iterdir())  # the raw file is gone

    # An admin of Région Nord only cannot import under Région Sud.
    nadia = make_user("nadia")
    make_grant(nadia, personas.nord, "admin")
    client.force_login(nadia)
    upload = SimpleUploadedFile("rh.csv", data, content_type="text/csv")
    response = client.post(
        reverse("feedback-org-import"), {"perimeter": personas.sud.pk, "file": upload}
    )
    assert response.status_code == 400
    client.force_login(personas.bob)
    assert client.get(reverse("feedback-org-import")).status_code == 403
