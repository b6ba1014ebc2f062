from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from pouls.activity.imports import do_import_sales
from pouls.activity.models import ActivityFact, SalesFact
from pouls.feedback.importers.mapping import MappingError
from pouls.feedback.models import Import, QuarantinedRow
from pouls.testing import Personas, make_person

SALESFORCE = (
    "Opportunity Owner,Agence,Close Date,Amount,Orders\n"
    'Camille Durand,Site Lille,2025-11-03,"1 200,50",1\n'
    "Camille Durand,Site Lille,2025-11-03,800,1\n"
    "Camille Durand,Site Lille,2025-11-04,300.25,1\n"
    "Inconnu Total,Site Lille,2025-11-04,100,1\n"
    "Camille Durand,Site Marseille,2025-11-04,100,1\n"
    "Camille Durand,Site Lille,pas une date,100,1\n"
)
ACTIVITY = (
    "Vendeur;Magasin;Jour;Visites;Appels;Comptes rendus\n"
    "Camille Durand;SITE-LILLE;03/11/2025;7;4;2\n"
)


@pytest.fixture
def camille(personas: Personas) -> Personas:
    make_person(perimeter=personas.lille)
    return personas


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_deals_are_summed_per_seller_and_day(camille: Personas, tmp_path: Path) -> None:
    summary = do_import_sales(_write(tmp_path, "sf.csv", SALESFORCE), root=camille.nord)
    assert (summary.read, summary.accepted, summary.quarantined, summary.duplicates) == (6, 3, 3, 0)
    days = {f.date.isoformat(): f for f in SalesFact.objects.all()}
    assert days["2025-11-03"].revenue == Decimal("2000.50") and days["2025-11-03"].orders == 2
    assert days["2025-11-04"].revenue == Decimal("300.25")
    assert [n for n, _ in summary.rejects] == [5, 6, 7]
    batch = Import.objects.get(kind="sales")
    assert (batch.read, batch.accepted, batch.quarantined) == (6, 3, 3)
    kept = {q.row_number: q for q in QuarantinedRow.objects.filter(batch=batch)}
    assert set(kept) == {5, 6, 7} and "Inconnu Total" in kept[5].reasons[0]["message"]


def test_the_same_file_twice_changes_nothing(camille: Personas, tmp_path: Path) -> None:
    path = _write(tmp_path, "sf.csv", SALESFORCE)
    do_import_sales(path, root=camille.nord)
    again = do_import_sales(path, root=camille.nord)
    assert (again.accepted, again.duplicates, again.quarantined) == (0, 3, 3)
    assert SalesFact.objects.count() == 2


def test_an_activity_file_leaves_sales_alone(camille: Personas, tmp_path: Path) -> None:
    do_import_sales(_write(tmp_path, "sf.csv", SALESFORCE), root=camille.nord)
    summary = do_import_sales(_write(tmp_path, "act.csv", ACTIVITY), root=camille.nord)
    assert summary.accepted == 1
    fact = ActivityFact.objects.get()
    assert (fact.visits, fact.calls, fact.reports_filed) == (7, 4, 2)
    assert SalesFact.objects.get(date="2025-11-03").revenue == Decimal("2000.50")


def test_a_file_without_figures_is_refused(camille: Personas, tmp_path: Path) -> None:
    with pytest.raises(MappingError, match="aucune colonne"):
        do_import_sales(
            _write(tmp_path, "x.csv", "Magasin,Date\nSite Lille,2025-11-03\n"), root=camille.nord
        )
