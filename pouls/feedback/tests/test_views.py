from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from pouls.feedback.models import Feedback, Import
from pouls.lib.exports import safe_cell
from pouls.testing import Personas

# The worker closes its database connections after each task, as in production: such a test
# cannot run inside a transaction.
runs_the_worker = pytest.mark.django_db(transaction=True)
DATA = Path(__file__).resolve().parents[2] / "feedback" / "tests" / "data"
US_DATES = (
    "Magasin,Date,NPS,Commentaire\n"
    'Site Lille,11/20/2025,9,=HYPERLINK("http://x")\n'
    "Site Lille,11/21/2025,3,Trop d'attente\n"
    "Site Lille,05/03/2025,8,Date ambiguë mais valide\n"
)


def _upload(client: Client, personas: Personas, name: str, content: bytes, **extra: str) -> Import:
    """Upload, confirm the guessed column mapping, run the worker; returns the import."""
    response = client.post(
        reverse("feedback-import-upload"),
        {"perimeter": personas.nord.pk, "file": SimpleUploadedFile(name, content), **extra},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    batch = Import.objects.get()
    assert batch.status == Import.Status.PENDING
    page = client.get(response["Location"])
    if page.status_code == 200:
        initial = page.context["form"].initial
        data = {k: v for k, v in initial.items() if v not in (None, "", [], False)}
        assert client.post(response["Location"], data).status_code == 302
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    batch.refresh_from_db()
    return batch


@runs_the_worker
def test_an_upload_runs_in_the_worker_and_reports_the_identity(
    client: Client, personas: Personas, settings: object, tmp_path: Path
) -> None:
    settings.UPLOAD_DIR = tmp_path  # type: ignore[attr-defined]
    client.force_login(personas.carol)
    batch = _upload(client, personas, "messy.csv", (DATA / "messy_fr.csv").read_bytes())
    assert batch.status == Import.Status.DONE
    assert (batch.read, batch.accepted, batch.quarantined, batch.duplicates) == (12, 3, 8, 1)
    assert list(tmp_path.iterdir()) == []  # the raw upload is deleted once imported
    page = client.get(reverse("feedback-import-detail", args=[batch.code])).content.decode()
    assert "vouliez-vous dire « Site Lille »" in page


@runs_the_worker
def test_a_corrected_mapping_releases_rows_from_quarantine(
    client: Client, personas: Personas, settings: object, tmp_path: Path
) -> None:
    settings.UPLOAD_DIR = tmp_path  # type: ignore[attr-defined]
    client.force_login(personas.carol)
    batch = _upload(client, personas, "us.csv", US_DATES.encode())
    assert (batch.accepted, batch.quarantined) == (1, 2)  # read day first: 11/20 is no date
    client.post(
        reverse("feedback-import-reprocess", args=[batch.code]), {"mapping": "day_first: false"}
    )
    batch.refresh_from_db()
    assert (batch.read, batch.accepted, batch.quarantined, batch.duplicates) == (3, 3, 0, 0)
    assert Feedback.objects.count() == 3


@runs_the_worker
def test_the_quarantine_export_neutralises_formulas(
    client: Client, personas: Personas, settings: object, tmp_path: Path
) -> None:
    settings.UPLOAD_DIR = tmp_path  # type: ignore[attr-defined]
    client.force_login(personas.carol)
    batch = _upload(client, personas, "us.csv", US_DATES.encode())
    body = client.get(reverse("feedback-quarantine-export", args=[batch.code])).content.decode()
    assert "'=HYPERLINK" in body and ";=HYPERLINK" not in body
    book = client.get(reverse("feedback-quarantine-export-xlsx", args=[batch.code])).content
    cells = [
        (cell.value, cell.data_type)
        for row in load_workbook(io.BytesIO(book)).worksheets[0].iter_rows()
        for cell in row
        if isinstance(cell.value, str) and "HYPERLINK" in cell.value
    ]
    assert cells and all(str(value).startswith("'=") and kind == "s" for value, kind in cells)


@pytest.mark.parametrize("value", ["=1+1", "+33", "-2", "@SUM(A1)", "\t=x"])
def test_formula_prefixes_are_quoted(value: str) -> None:
    assert safe_cell(value) == "'" + value
    assert safe_cell("Bonjour") == "Bonjour" and safe_cell(3) == 3


@runs_the_worker
def test_a_broken_file_fails_cleanly_with_a_message(
    client: Client, personas: Personas, settings: object, tmp_path: Path
) -> None:
    settings.UPLOAD_DIR = tmp_path  # type: ignore[attr-defined]
    client.force_login(personas.carol)
    batch = _upload(client, personas, "photo.csv", b"\x89PNG\x00\x00binary")
    assert batch.status == Import.Status.FAILED and "binaire" in batch.message
    page = client.get(reverse("feedback-import-detail", args=[batch.code]))
    assert page.status_code == 200 and "binaire" in page.content.decode()


def test_wrong_uploads_are_refused_by_the_form(client: Client, personas: Personas) -> None:
    client.force_login(personas.carol)
    response = client.post(
        reverse("feedback-import-upload"),
        {
            "perimeter": personas.marseille.pk,
            "file": SimpleUploadedFile("x.pdf", b"%PDF"),
            "mapping": "columns: [1",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"perimeter", "file", "mapping"}
    assert not Import.objects.exists()


def test_a_viewer_cannot_upload(client: Client, personas: Personas) -> None:
    client.force_login(personas.bob)
    response = client.post(
        reverse("feedback-import-upload"),
        {"perimeter": personas.lille.pk, "file": SimpleUploadedFile("a.csv", b"a;b\n1;2\n")},
    )
    assert response.status_code == 200 and "perimeter" in response.context["form"].errors


@runs_the_worker
def test_an_unexpected_crash_marks_the_import_failed(
    client: Client, personas: Personas, settings: object, tmp_path: Path, monkeypatch: object
) -> None:
    from pouls.feedback import tasks

    def crash(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(tasks, "do_import_feedback", crash)  # type: ignore[attr-defined]
    settings.UPLOAD_DIR = tmp_path  # type: ignore[attr-defined]
    client.force_login(personas.carol)
    batch = _upload(client, personas, "us.csv", US_DATES.encode())
    assert batch.status == Import.Status.FAILED and "inattendue" in batch.message
    assert list(tmp_path.iterdir()) == []


def test_the_mapping_screen_shows_columns_and_a_masked_sample(
    client: Client, personas: Personas, settings: object, tmp_path: Path
) -> None:
    settings.UPLOAD_DIR = tmp_path  # type: ignore[attr-defined]
    client.force_login(personas.carol)
    response = client.post(
        reverse("feedback-import-upload"),
        {
            "perimeter": personas.nord.pk,
            "file": SimpleUploadedFile("m.csv", (DATA / "messy_fr.csv").read_bytes()),
        },
    )
    page = client.get(response["Location"])
    body = page.content.decode()
    assert "Note NPS" in body and "Commentaire" in body
    assert "client.un@example.com" not in body  # the sample is pseudonymised
    assert page.context["form"].initial["nps"] == "Note NPS"
    # A choice that makes no sense is refused with the reason, nothing is queued.
    refused = client.post(response["Location"], {"received_at": "Commentaire", "text": ["Magasin"]})
    assert refused.status_code == 200
    assert "aucune colonne de périmètre" in " ".join(refused.context["form"].non_field_errors())
    assert Import.objects.get().status == Import.Status.PENDING
