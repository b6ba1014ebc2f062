"""UI views for what comes in: imports and their quarantine (analysts and admins of the
perimeter), and sellers' field reports (anyone with a perimeter)."""

from __future__ import annotations

import secrets
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pouls.feedback.actions import do_file_field_report
from pouls.feedback.forms import (
    MAPPED_FIELDS,
    ColumnMappingForm,
    FieldReportForm,
    ImportUploadForm,
    OrgImportForm,
)
from pouls.feedback.importers.mapping import MappingError, load_mapping, resolve
from pouls.feedback.importers.pipeline import do_reprocess_quarantine, file_source
from pouls.feedback.importers.preview import Preview, preview_upload
from pouls.feedback.importers.readers import FileRejected
from pouls.feedback.models import Import
from pouls.feedback.queries import scoped_feedback
from pouls.feedback.tasks import import_feedback_file
from pouls.lib.audit import do_audit
from pouls.lib.exports import FEEDBACK_HEADER, feedback_rows, to_csv, to_xlsx
from pouls.lib.http import AuthedRequest
from pouls.lib.scoping import get_for_user_or_404, may_act_somewhere, save_for_user
from pouls.org.models import Perimeter
from pouls.org.queries import list_subtree_ids


@login_required
@require_GET
def import_list(request: AuthedRequest) -> HttpResponse:
    imports = Import.objects.for_user(request.user, "analyze").select_related("perimeter")[:200]
    return render(request, "feedback/imports.html", {"imports": imports})


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request: AuthedRequest) -> HttpResponse:
    form = ImportUploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        batch = _start_import(request, form)
        return redirect("feedback-import-mapping", code=batch.code)
    return render(request, "feedback/import_upload.html", {"form": form})


def _start_import(request: AuthedRequest, form: ImportUploadForm) -> Import:
    """Save the upload apart and record the import (scope re-checked); the user then
    confirms the column mapping before anything is imported."""
    upload = form.cleaned_data["file"]
    settings.UPLOAD_DIR.mkdir(parents=True, exist_ok=True)
    name = f"{uuid.uuid4().hex}{Path(upload.name).suffix.lower()}"
    digest = _save(upload, Path(settings.UPLOAD_DIR) / name)
    batch = Import(
        perimeter=form.cleaned_data["perimeter"],
        created_by=request.user,
        file_name=Path(upload.name).name[:255],
        file_sha256=digest,
        upload_name=name,
        preset=form.cleaned_data["preset"] or "",
        source=file_source(
            form.cleaned_data["preset"], form.cleaned_data["survey"], form.cleaned_data["perimeter"]
        ),
    )
    save_for_user(batch, request.user)
    return batch


def _save(upload: object, path: Path) -> str:
    import hashlib

    digest = hashlib.sha256()
    with path.open("wb") as out:
        for chunk in upload.chunks():  # type: ignore[attr-defined]
            digest.update(chunk)
            out.write(chunk)
    return digest.hexdigest()


FIELD_LABELS = {
    **MAPPED_FIELDS,
    "text": _lazy("Verbatim"),
    "ligne": _lazy("Ligne"),
    "source_kind": _lazy("Source"),
    "channel": _lazy("Canal"),
}


@login_required
@require_GET
def import_detail(request: AuthedRequest, code: str) -> HttpResponse:
    batch = get_for_user_or_404(Import, request.user, code, "analyze")
    rows = list(batch.quarantine.filter(resolved_at__isnull=True).order_by("row_number")[:500])
    for row in rows:  # reasons name fields by their id; people read them in French
        row.reasons = [
            {**r, "label": FIELD_LABELS.get(r["field"], r["field"])} for r in row.reasons
        ]
    context = {
        "batch": batch,
        "rows": rows,
        "form": ColumnMappingForm(
            header=_quarantine_header(batch),
            user=request.user,
            initial=ColumnMappingForm.initial_from(batch.mapping or {}),
        ),
    }
    return render(request, "feedback/import_detail.html", context)


@login_required
@require_POST
def import_reprocess(request: AuthedRequest, code: str) -> HttpResponse:
    batch = get_for_user_or_404(Import, request.user, code, "change")
    form = ColumnMappingForm(request.POST, header=_quarantine_header(batch), user=request.user)
    if form.is_valid():
        try:
            summary = do_reprocess_quarantine(batch, form.mapping(), user=request.user)
        except MappingError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                _("%(n)s ligne(s) sortie(s) de quarantaine.")
                % {"n": summary.accepted + summary.duplicates},
            )
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("feedback-import-detail", code=batch.code)


def _quarantine_header(batch: Import) -> list[str]:
    """The columns of an import's open quarantine, as its rows were received."""
    raws = batch.quarantine.filter(resolved_at__isnull=True).values_list("raw", flat=True)
    return list(dict.fromkeys(k for raw in raws.iterator() for k in raw))


@login_required
@require_GET
def quarantine_export(request: AuthedRequest, code: str, fmt: str = "csv") -> HttpResponse:
    """The unresolved quarantined rows of an import, as received (masked), with reasons."""
    batch = get_for_user_or_404(Import, request.user, code, "analyze")
    rows = list(batch.quarantine.filter(resolved_at__isnull=True).order_by("row_number"))
    do_audit(
        request.user,
        "export.downloaded",
        perimeter=batch.perimeter_id,
        target=str(batch.code),
        detail={"kind": "quarantine", "format": fmt, "rows": len(rows)},
    )
    columns = list(dict.fromkeys(k for q in rows for k in q.raw))
    header = ["ligne", "motifs", *columns]
    table = (
        [
            q.row_number,
            " | ".join(
                f"{r['field']} : {r['message']} (attendu : {r['accepted']})" for r in q.reasons
            ),
            *(_cell(q.raw.get(c, "")) for c in columns),
        ]
        for q in rows
    )
    if fmt == "xlsx":
        response = HttpResponse(
            to_xlsx(header, table),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        response = HttpResponse(to_csv(header, table), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="quarantaine-{batch.code}.{fmt}"'
    return response


def _cell(value: object) -> object:
    # A raw cell may hold a list (extra cells of a broken line): a spreadsheet wants text.
    return value if value is None or isinstance(value, str | int | float) else str(value)


@login_required
@require_http_methods(["GET", "POST"])
def field_report_new(request: AuthedRequest) -> HttpResponse:
    form = FieldReportForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        do_file_field_report(
            request.user,
            perimeter=form.cleaned_data["perimeter"],
            category=form.cleaned_data["category"],
            text=form.cleaned_data["text"],
            department=form.cleaned_data["department"],
        )
        messages.success(request, _("Merci, votre remontée est enregistrée."))
        return redirect("feedback-field-report-new")
    return render(request, "feedback/field_report.html", {"form": form})


EXPORT_LIMIT = 200_000


@login_required
@require_GET
def feedback_export(request: AuthedRequest, code: str, fmt: str) -> HttpResponse:
    """The perimeter's feedback (pseudonymised) as CSV or XLSX, for analysts and admins."""
    perimeter = get_for_user_or_404(Perimeter, request.user, code, "analyze")
    ids = list_subtree_ids(request.user, perimeter)
    queryset = (
        scoped_feedback(request.user, ids).select_related("perimeter").order_by("-received_at")
    )[:EXPORT_LIMIT]
    rows = feedback_rows(queryset.iterator(chunk_size=2000))
    name = f"pouls-{perimeter.ref}-{timezone.localdate():%Y%m%d}"
    if fmt == "xlsx":
        response = HttpResponse(
            to_xlsx(FEEDBACK_HEADER, rows),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        response = HttpResponse(
            to_csv(FEEDBACK_HEADER, rows), content_type="text/csv; charset=utf-8"
        )
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    do_audit(
        request.user,
        "export.downloaded",
        perimeter=perimeter,
        target=str(perimeter.code),
        detail={"kind": "feedback", "format": fmt},
    )
    return response


@login_required
@require_http_methods(["GET", "POST"])
def import_mapping(request: AuthedRequest, code: str) -> HttpResponse:
    """Step 2 of an upload: the file's columns, a sample (pseudonymised), one select per field."""
    batch = get_for_user_or_404(Import, request.user, code, "change")
    if batch.status != Import.Status.PENDING or not batch.upload_name:
        return redirect("feedback-import-detail", code=batch.code)
    path = Path(settings.UPLOAD_DIR) / batch.upload_name
    try:
        preview = preview_upload(path, batch.mapping or None, batch.preset or None)
    except (FileRejected, MappingError) as exc:
        _abandon(batch, path, str(exc))
        return redirect("feedback-import-detail", code=batch.code)
    form = ColumnMappingForm(
        request.POST or None,
        header=preview.header,
        labels=preview.labels,
        user=request.user,
        initial=preview.initial,
    )
    if request.method == "POST" and form.is_valid():
        mapping = {**(batch.mapping or {}), **form.mapping()}
        try:
            resolve(load_mapping(mapping, preset=batch.preset or None), preview.header)
        except MappingError as exc:
            form.add_error(None, str(exc))
        else:
            batch.mapping = mapping
            batch.save(update_fields=["mapping"])
            import_feedback_file.enqueue(str(batch.code), str(path))
            do_audit(
                request.user, "import.run", perimeter=batch.perimeter_id, target=str(batch.code)
            )
            messages.info(request, _("Import en file d'attente : cette page se met à jour."))
            return redirect("feedback-import-detail", code=batch.code)
    context = {"batch": batch, "form": form, "preview": preview, "mapped": _mapped(preview, form)}
    return render(request, "feedback/import_mapping.html", context)


def _mapped(preview: Preview, form: ColumnMappingForm) -> list[dict[str, Any]]:
    """Every mapped column with its field, question text and the sample's values."""
    index = {h: i for i, h in enumerate(preview.header)}
    rows = []
    for name, chosen in form.chosen().items():
        for column in chosen if isinstance(chosen, list) else [chosen]:
            if column in index:
                rows.append(
                    {
                        "field": FIELD_LABELS.get(name, name),
                        "column": column,
                        "question": preview.labels.get(column, ""),
                        "values": [row[index[column]] for row in preview.sample],
                    }
                )
    return rows


def _abandon(batch: Import, path: Path, message: str) -> None:
    path.unlink(missing_ok=True)
    batch.status, batch.message, batch.upload_name = Import.Status.FAILED, message, ""
    batch.finished_at = timezone.now()
    batch.save(update_fields=["status", "message", "upload_name", "finished_at"])


_ORG_IMPORT = "org_import"  # session key: the uploaded file waiting for confirmation


def _org_upload_path(token: str) -> Path:
    return Path(settings.UPLOAD_DIR) / f"org-{token}"


@login_required
@require_http_methods(["GET", "POST"])
def org_import(request: AuthedRequest) -> HttpResponse:
    """Upload an HR export -> preview (a dry run: the real counts, nothing stored) ->
    confirm. The file waits in UPLOAD_DIR under a random name kept in the session only."""
    from pouls.feedback.importers.org import do_import_org

    if not may_act_somewhere(request.user, "admin"):
        raise PermissionDenied
    pending = request.session.get(_ORG_IMPORT)
    if request.method == "POST" and "confirm" in request.POST and pending:
        root = get_for_user_or_404(Perimeter, request.user, pending["perimeter"], "admin")
        path = _org_upload_path(pending["token"]).with_suffix(pending["suffix"])
        del request.session[_ORG_IMPORT]
        try:
            summary = do_import_org(
                path, root=root, user=request.user, close_missing=pending["close_missing"]
            )
        except FileRejected as exc:
            messages.error(request, str(exc))
            return redirect("feedback-org-import")
        finally:
            path.unlink(missing_ok=True)
        messages.success(
            request,
            _("Organisation importée : %(accepted)d personnes, %(quarantined)d en quarantaine.")
            % {"accepted": summary.accepted, "quarantined": summary.quarantined},
        )
        return redirect("org-access-home")
    form = OrgImportForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        suffix = Path(upload.name).suffix.lower()[:8]
        token = secrets.token_hex(16)
        path = _org_upload_path(token).with_suffix(suffix)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
        root = form.cleaned_data["perimeter"]
        close_missing = form.cleaned_data["close_missing"]
        try:
            summary = do_import_org(path, root=root, dry_run=True, close_missing=close_missing)
        except FileRejected as exc:
            path.unlink(missing_ok=True)
            form.add_error("file", str(exc))
        else:
            request.session[_ORG_IMPORT] = {
                "token": token,
                "suffix": suffix,
                "perimeter": str(root.code),
                "close_missing": close_missing,
            }
            context = {"summary": summary, "root": root, "close_missing": close_missing}
            return render(request, "feedback/org_import_preview.html", context)
    status = 400 if form.is_bound else 200
    return render(request, "feedback/org_import.html", {"form": form}, status=status)
