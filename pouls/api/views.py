"""The REST API (``/api/v1/``): one scoped base class, explicit serializers, paginated lists.

Every request goes through the perimeter scoping of its user (the token's owner): a row
outside the scope is a 404, a write without the role or with a read-only token a 403.
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from pathlib import Path
from typing import Any

from django.db import models
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from pouls.annotations.services import theme_labels
from pouls.api import serializers as S
from pouls.api.filters import FeedbackFilter
from pouls.callbacks.actions import do_log_call
from pouls.callbacks.models import Callback
from pouls.climate.models import Campaign
from pouls.feedback.importers.mapping import MappingError
from pouls.feedback.importers.pipeline import do_import_feedback
from pouls.feedback.importers.readers import FileRejected
from pouls.feedback.models import Feedback, QuarantinedRow
from pouls.lib.dates import week_start
from pouls.lib.scoping import Action
from pouls.org.models import Perimeter, Person
from pouls.rollups.queries import (
    THEME_WEEKS,
    nps_counts,
    nps_of,
    split_whole_weeks,
    theme_shares,
    weekly_trend,
)
from pouls.surveys.models import SurveyLink
from pouls.watch.models import ThemeSignal

ANSWER_FIELDS = tuple(S.AnswerSerializer().fields)


class ScopedViewSet(viewsets.GenericViewSet):  # type: ignore[type-arg]
    """The one base class: the queryset is the model's rows the user may act on, for the
    action the HTTP method asks (GET view, POST/PUT/PATCH change, DELETE delete)."""

    lookup_field = "code"
    model: type[models.Model]
    # Which scoping action a write of this resource needs (a call log needs only to see the
    # callback: do_log_call checks the right to run it).
    write_action: Action = "change"

    def scope_action(self) -> Action:
        method = self.request.method or "GET"
        if method in ("GET", "HEAD", "OPTIONS"):
            return "view"
        return "delete" if method == "DELETE" else self.write_action

    def get_queryset(self) -> QuerySet[Any]:
        manager = self.model.objects  # type: ignore[attr-defined]  # every API model is scoped
        queryset: QuerySet[Any] = manager.for_user(self.request.user, self.scope_action())
        return queryset


class PerimeterViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Perimeters visible to you (the tree: each one names its parent)."""

    model = Perimeter
    serializer_class = S.PerimeterSerializer

    def get_queryset(self) -> QuerySet[Any]:
        return super().get_queryset().select_related("parent").order_by("path")

    @extend_schema(
        responses=S.FiguresSerializer,
        parameters=[
            OpenApiParameter("days", int, description=_("Fenêtre en jours (défaut 90).")),
        ],
    )
    @action(detail=True, methods=["get"])
    def figures(self, request: Request, code: str) -> Response:
        """NPS (interval and n), weekly trend and theme shares: the dashboard's figures,
        from the same rollup functions."""
        perimeter = self.get_object()
        try:
            days = int(request.query_params.get("days", 90))
        except ValueError:
            raise ValidationError({"days": _("Nombre de jours entier attendu.")}) from None
        if not 1 <= days <= 3660:
            raise ValidationError({"days": _("Entre 1 et 3660 jours.")})
        # The dashboard's "N last days": today and the N - 1 days before.
        since = timezone.localdate() - dt.timedelta(days=days - 1)
        counts = nps_counts(request.user, [perimeter.pk], since)
        today = timezone.localdate()
        points = weekly_trend(request.user, perimeter.pk, week_start(since))
        whole, apart = split_whole_weeks(points, since, today, today)
        data = {
            "perimeter": perimeter.code,
            "since": since,
            "nps": nps_of(counts, perimeter.pk),
            "trend": whole,
            "left_out": [{"week": p.week, "reason": r, "result": p.result} for p, r in apart],
            "themes": theme_shares(
                request.user, perimeter.pk, THEME_WEEKS, timezone.localdate(), theme_labels()
            ),
            "theme_weeks": THEME_WEEKS,
        }
        return Response(S.FiguresSerializer(data).data)


class FeedbackViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Customer feedback (answers, reviews, mails), pseudonymised, with its analysis."""

    model = Feedback
    serializer_class = S.FeedbackSerializer
    filterset_class = FeedbackFilter

    def get_queryset(self) -> QuerySet[Any]:
        return (
            super()
            .get_queryset()
            .select_related("perimeter", "annotation")
            .prefetch_related("themes")
            .order_by("-received_at", "-pk")
        )

    @extend_schema(
        request=S.AnswerBatchSerializer,
        responses={201: S.ImportResultSerializer},
        examples=[
            OpenApiExample(
                "Une réponse après un achat",
                value={
                    "source": "caisse-magasins",
                    "answers": [
                        {
                            "perimeter": "Magasin Lille",
                            "received_at": "2026-12-07T10:12:00+01:00",
                            "source_id": "ticket-48213",
                            "nps": "9",
                            "text": "Conseiller très patient, merci.",
                        }
                    ],
                },
                request_only=True,
            )
        ],
    )
    def create(self, request: Request) -> Response:
        """Push one answer or a batch (up to 10,000): the same validation, pseudonymisation,
        de-duplication by source id and quarantine as a file import;
        read = accepted + quarantined + duplicates."""
        payload = request.data
        if isinstance(payload, dict) and "answers" not in payload:
            payload = {"answers": [payload]}
        batch = S.AnswerBatchSerializer(data=payload)
        batch.is_valid(raise_exception=True)
        root = self._root(batch.validated_data.get("into"))
        summary, import_code = self._import(root, batch.validated_data)
        rejected = QuarantinedRow.objects.filter(batch__code=import_code).order_by("row_number")
        result = {
            "import_code": import_code,
            "read": summary.read,
            "accepted": summary.accepted,
            "quarantined": summary.quarantined,
            "duplicates": summary.duplicates,
            "rejected": [{"row": r.row_number, "reasons": r.reasons} for r in rejected],
        }
        return Response(S.ImportResultSerializer(result).data, status=status.HTTP_201_CREATED)

    def _root(self, code: Any) -> Perimeter:
        return import_root(self.request.user, code)

    def _import(self, root: Perimeter, data: dict[str, Any]) -> tuple[Any, Any]:
        answers = data["answers"]
        present = [f for f in ANSWER_FIELDS if any(f in a for a in answers)]
        with tempfile.TemporaryDirectory(prefix="pouls-api-") as folder:
            path = Path(folder) / "answers.jsonl"
            with path.open("w", encoding="utf-8") as handle:
                for answer in answers:
                    handle.write(json.dumps(answer, ensure_ascii=False) + "\n")
            mapping = {"columns": {f: f for f in present}, "guess": False}
            try:
                summary = do_import_feedback(
                    path,
                    root=root,
                    user=self.request.user,
                    mapping=mapping,
                    survey=data.get("source") or None,
                )
            except (FileRejected, MappingError) as exc:
                raise ValidationError({"answers": str(exc)}) from None
        return summary, summary.code


def import_root(user: Any, code: Any) -> Perimeter:
    """The perimeter a batch is imported into: ``into`` if writable, else the single
    top-most perimeter the user may change."""
    writable = Perimeter.objects.for_user(user, "change")
    if code is not None:
        found = writable.filter(code=code).first()
        if found is None:
            raise PermissionDenied(_("Vous ne pouvez pas importer dans ce périmètre."))
        return found
    tops = list(writable.order_by("depth", "path")[:2])
    if not tops:
        raise PermissionDenied(_("Vous ne pouvez importer dans aucun périmètre."))
    if len(tops) == 2 and tops[1].depth == tops[0].depth:
        raise ValidationError({"into": _("Précisez le périmètre d'import (« into »).")})
    return tops[0]


class SignalViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Weak signals: surges and slow drifts of complaints per theme and store."""

    model = ThemeSignal
    serializer_class = S.SignalSerializer

    def get_queryset(self) -> QuerySet[Any]:
        return super().get_queryset().select_related("perimeter").order_by("-last_seen", "pk")


class CallbackViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Customers to call back (consenting detractors and negative passives)."""

    model = Callback
    serializer_class = S.CallbackSerializer
    write_action = "view"

    def get_queryset(self) -> QuerySet[Any]:
        queryset = super().get_queryset().select_related("perimeter", "feedback")
        if self.request.query_params.get("open") == "true":
            queryset = queryset.filter(closed_at__isnull=True)
        return queryset.order_by("due_at", "pk")

    @extend_schema(request=S.CallLogSerializer, responses={201: S.CallLogSerializer})
    @action(detail=True, methods=["post"])
    def calls(self, request: Request, code: str) -> Response:
        """Log a call; a closing outcome closes the callback (the note is pseudonymised)."""
        callback = self.get_object()
        entry = S.CallLogSerializer(data=request.data)
        entry.is_valid(raise_exception=True)
        log = do_log_call(
            request.user,
            callback,
            outcome=entry.validated_data["outcome"],
            note=entry.validated_data.get("note", ""),
        )
        return Response(S.CallLogSerializer(log).data, status=status.HTTP_201_CREATED)


class PersonViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Sellers, advisors and managers of your perimeters (name, function; no e-mail)."""

    model = Person
    serializer_class = S.PersonSerializer

    def get_queryset(self) -> QuerySet[Any]:
        return super().get_queryset().select_related("perimeter").order_by("last_name", "pk")


class SurveyLinkViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Survey links (one per store and per seller) with the public form's address."""

    model = SurveyLink
    serializer_class = S.SurveyLinkSerializer

    def get_queryset(self) -> QuerySet[Any]:
        queryset = super().get_queryset().select_related("survey", "perimeter", "person")
        return queryset.order_by("survey_id", "perimeter__path", "pk")


class ClimateResultViewSet(viewsets.GenericViewSet):  # type: ignore[type-arg]
    """Employee climate results: only what the publication gate publishes for you (groups
    under the threshold, or that would be deduced by difference, come without figures)."""

    serializer_class = S.ClimateResultSerializer
    # For the schema generator only (it reads the model); the rows come from the gate.
    queryset = Campaign.objects.none()

    @extend_schema(
        parameters=[
            OpenApiParameter("campaign", str, description=_("Code d'une campagne (facultatif)."))
        ]
    )
    def list(self, request: Request) -> Response:
        from pouls.climate.queries import list_campaigns

        campaigns = [row.campaign for row in list_campaigns(request.user)]
        wanted = request.query_params.get("campaign")
        if wanted is not None:
            campaigns = [c for c in campaigns if str(c.code) == wanted]
        page = self.paginate_queryset(campaigns)
        rows = [_climate_result(request.user, c) for c in page or []]
        from pouls.lib.audit import do_audit

        for campaign, row in zip(page or [], rows, strict=True):
            if any(g["published"] for g in row["groups"]):
                # Like the results pages: reading published climate figures is audited.
                do_audit(
                    request.user,
                    "climate.viewed",
                    perimeter=campaign.perimeter_id,
                    target=str(campaign.code),
                )
        return self.get_paginated_response(S.ClimateResultSerializer(rows, many=True).data)


def _climate_result(user: Any, campaign: Any) -> dict[str, Any]:
    """One campaign's groups through the publication gate: figures of published groups
    only, computed from exactly the answers the gate decided on."""
    from pouls.climate.publication import published_for_user
    from pouls.climate.queries import group_result, load_answers

    published = published_for_user(user, campaign)
    answers = load_answers(published, published.scores)
    groups = []
    for gid, group in published.groups.items():
        row: dict[str, Any] = {
            "group": gid,
            "label": group.label,
            "published": gid in published.scores,
            "reason": published.hidden.get(gid, ""),
            "n": None,
            "instruments": [],
        }
        if gid in published.scores:
            result = group_result(published, gid, answers)
            row["n"] = result.n
            row["instruments"] = [
                {
                    "instrument": f.instrument.id,
                    "overall": f.overall,
                    "dimensions": [
                        {"id": d.id, "label": d.label, "mean": d.mean} for d in f.dimensions
                    ],
                }
                for f in result.instruments
            ]
        groups.append(row)
    return {
        "campaign": campaign.code,
        "name": campaign.name,
        "status": str(campaign.status),
        "groups": groups,
    }


# API field -> a column name the sales importer recognises (pouls.activity.imports.COLUMNS).
SALES_COLUMNS = {
    "date": "date",
    "perimeter": "store",
    "person": "owner",
    "revenue": "revenue",
    "revenue_target": "revenue target",
    "orders": "orders",
    "quotes": "quotes",
    "visits": "visits",
    "calls": "calls",
    "reports_filed": "reports",
}


class SalesViewSet(viewsets.GenericViewSet):  # type: ignore[type-arg]
    """Sales and activity facts, batch upsert keyed on store, person and day."""

    serializer_class = S.SalesBatchSerializer

    @extend_schema(
        request=S.SalesBatchSerializer,
        responses={201: S.SalesResultSerializer},
        examples=[
            OpenApiExample(
                "Le chiffre d'un vendeur sur une journée",
                value={
                    "rows": [
                        {
                            "date": "2026-12-07",
                            "perimeter": "Magasin Lille",
                            "person": "Inès Roux",
                            "revenue": "1234.50",
                            "orders": "7",
                        }
                    ]
                },
                request_only=True,
            )
        ],
    )
    def create(self, request: Request) -> Response:
        """Upsert a batch (up to 10,000 rows) through the sales file import (same matching
        of stores and people in your scope, same quarantine of unreadable rows);
        read = accepted + quarantined + duplicates."""
        from pouls.activity.imports import do_import_sales

        batch = S.SalesBatchSerializer(data=request.data)
        batch.is_valid(raise_exception=True)
        root = import_root(request.user, batch.validated_data.get("into"))
        rows = batch.validated_data["rows"]
        present = [f for f in SALES_COLUMNS if any(f in r for r in rows)]
        with tempfile.TemporaryDirectory(prefix="pouls-api-") as folder:
            path = Path(folder) / "sales.jsonl"
            with path.open("w", encoding="utf-8") as handle:
                for row in rows:
                    line = {SALES_COLUMNS[f]: row.get(f) for f in present}
                    handle.write(json.dumps(line, ensure_ascii=False) + "\n")
            try:
                summary = do_import_sales(path, root=root, user=request.user)
            except (FileRejected, MappingError) as exc:
                raise ValidationError({"rows": str(exc)}) from None
        result = {
            "read": summary.read,
            "accepted": summary.accepted,
            "quarantined": summary.quarantined,
            "duplicates": summary.duplicates,
            "rejected": [{"row": n, "reason": r} for n, r in summary.rejects],
        }
        return Response(S.SalesResultSerializer(result).data, status=status.HTTP_201_CREATED)
