from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils.timezone import localtime
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
FORMULA = (
    "Magasin,Date,NPS,Commentaire\n"
    'Site Lille,31/02/2025,9,=HYPERLINK("http://x")\n'
    "Site Lille,22/11/2025,3,Trop d'attente\n"
)
AMBIGUOUS = "Magasin,Date,NPS\nSite Lille,05/03/2025,8\n"
QUALTRICS = (
    "StartDate,RecordedDate,ResponseId,Q1_NPS,Q2_Pourquoi,Q3_Magasin\n"
    "Start Date,Recorded Date,Response ID,"
    "Quelle est la probabilité que vous recommandiez Enseigne à un proche ?,Pourquoi ?,"
    "Dans quel magasin êtes-vous allé ?\n"
    '"{""ImportId"":""startDate""}","{""ImportId"":""recordedDate""}",'
    '"{""ImportId"":""_recordId""}","{""ImportId"":""QID1""}","{""ImportId"":""QID2_TEXT""}",'
    '"{""ImportId"":""QID3""}"\n'
    "05/03/2025 10:00,05/03/2025 10:05,R_1,9,Très bon accueil,Site Lille\n"
    "06/03/2025 11:00,06/03/2025 11:02,R_2,3,Trop d'attente,Site Roubaix\n"
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
def test_an_upload_reads_month_first_dates_when_the_file_says_so(
    client: Client, personas: Personas, settings: object, tmp_path: Path
) -> None:
    settings.UPLOAD_DIR = tmp_path  # type: ignore[attr-defined]
    client.force_login(personas.carol)
    batch = _upload(client, personas, "us.csv", US_DATES.encode())
    assert (batch.accepted, batch.quarantined) == (3, 0)  # 11/20 settles the column
    days = {localtime(f.received_at).date().isoformat() for f in Feedback.objects.all()}
    assert days == {"2025-11-20", "2025-11-21", "2025-05-03"}
    assert "mois/jour" in batch.notes[0]
    page = client.get(reverse("feedback-import-detail", args=[batch.code])).content.decode()
    assert "mois/jour" in page


def test_the_mapping_page_never_defaults_to_month_first(
    client: Client, personas: Personas, settings: object, tmp_path: Path
) -> None:
    settings.UPLOAD_DIR = tmp_path  # type: ignore[attr-defined]
    client.force_login(personas.carol)
    for preset in ("qualtrics", "surveymonkey", ""):
        response = client.post(
            reverse("feedback-import-upload"),
            {
                "perimeter": personas.nord.pk,
                "file": SimpleUploadedFile("a.csv", AMBIGUOUS.encode()),
                "preset": preset,
            },
        )
        page = client.get(response["Location"])
        assert page.context["form"].initial["day_first"] == "auto"
        html = page.content.decode()
        assert '<option value="auto" selected>' in html
        assert "YAML" not in html and "textarea" not in html


def test_the_mapping_page_shows_every_mapped_column_with_its_question(
    client: Client, personas: Personas, settings: object, tmp_path: Path
) -> None:
    settings.UPLOAD_DIR = tmp_path  # type: ignore[attr-defined]
    client.force_login(personas.carol)
    response = client.post(
        reverse("feedback-import-upload"),
        {
            "perimeter": personas.nord.pk,
            "file": SimpleUploadedFile("q.csv", QUALTRICS.encode("utf-8-sig")),
            "preset": "qualtrics",
        },
    )
    page = client.get(response["Location"])
    initial = page.context["form"].initial
    assert (initial["nps"], initial["perimeter"], initial["text"]) == (
        "Q1_NPS",
        "Q3_Magasin",
        ["Q2_Pourquoi"],
    )
    mapped = {m["column"]: m for m in page.context["mapped"]}
    assert {"Q1_NPS", "Q2_Pourquoi", "Q3_Magasin", "RecordedDate", "ResponseId"} <= set(mapped)
    assert "probabilité que vous recommandiez" in mapped["Q1_NPS"]["question"]
    assert mapped["Q1_NPS"]["values"] == ["9", "3"]
    assert "Q1_NPS — Quelle est la probabilité" in page.content.decode()
    assert "Dates ambiguës" in page.content.decode()


@runs_the_worker
def test_a_corrected_mapping_releases_rows_from_quarantine(
    client: Client, personas: Personas, settings: object, tmp_path: Path
) -> None:
    settings.UPLOAD_DIR = tmp_path  # type: ignore[attr-defined]
    client.force_login(personas.carol)
    content = "Magasin,Date,NPS\nLile,22/11/2025,9\nLile,23/11/2025,3\n"
    batch = _upload(client, personas, "typo.csv", content.encode())
    assert (batch.accepted, batch.quarantined) == (0, 2)
    page = client.get(reverse("feedback-import-detail", args=[batch.code])).content.decode()
    assert 'name="default_perimeter"' in page and "textarea" not in page
    client.post(
        reverse("feedback-import-reprocess", args=[batch.code]),
        {"received_at": "Date", "nps": "NPS", "default_perimeter": personas.lille.pk},
    )
    batch.refresh_from_db()
    assert (batch.read, batch.accepted, batch.quarantined, batch.duplicates) == (2, 2, 0, 0)
    assert set(Feedback.objects.values_list("perimeter", flat=True)) == {personas.lille.pk}


@runs_the_worker
def test_the_quarantine_export_neutralises_formulas(
    client: Client, personas: Personas, settings: object, tmp_path: Path
) -> None:
    settings.UPLOAD_DIR = tmp_path  # type: ignore[attr-defined]
    client.force_login(personas.carol)
    batch = _upload(client, personas, "us.csv", FORMULA.encode())
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
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"perimeter", "file"}
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


def test_control_characters_leave_exported_cells(client: Client, personas: Personas) -> None:
    from pouls.testing import make_feedback

    make_feedback(perimeter=personas.lille, text="Saut\x0cde page et \x1bescape\tet tab")
    client.force_login(personas.carol)
    for fmt in ("xlsx", "csv"):
        response = client.get(reverse(f"feedback-export-{fmt}", args=[personas.nord.code]))
        assert response.status_code == 200
        if fmt == "xlsx":
            rows = list(load_workbook(io.BytesIO(response.content)).worksheets[0].values)
            assert "Sautde page et escape\tet tab" in rows[1]
        else:
            assert "Sautde page et escape\tet tab" in response.content.decode()
