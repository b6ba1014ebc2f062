"""Filters of the feedback list (one test per parameter in tests/test_feedback.py)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from pouls.feedback.models import Feedback
from pouls.org.models import Perimeter

NPS_CATEGORIES = {
    "detractor": Q(nps__lte=6),
    "passive": Q(nps__in=(7, 8)),
    "promoter": Q(nps__gte=9),
}


class FeedbackFilter(django_filters.FilterSet):  # type: ignore[misc]  # django-filter has no stubs
    perimeter = django_filters.UUIDFilter(
        method="in_subtree", label=_("Périmètre (code) : lui et tout ce qu'il contient.")
    )
    since = django_filters.DateFilter(field_name="received_at", lookup_expr="date__gte")
    until = django_filters.DateFilter(field_name="received_at", lookup_expr="date__lte")
    source_kind = django_filters.ChoiceFilter(choices=Feedback.SourceKind.choices)
    channel = django_filters.ChoiceFilter(choices=Feedback.Channel.choices)
    theme = django_filters.CharFilter(method="with_theme", label=_("Thème (identifiant)."))
    sentiment = django_filters.CharFilter(field_name="annotation__sentiment_label")
    nps_category = django_filters.ChoiceFilter(
        method="in_category",
        choices=[(k, k) for k in NPS_CATEGORIES],
        label=_("detractor, passive ou promoter."),
    )
    q = django_filters.CharFilter(field_name="text", lookup_expr="icontains", label=_("Texte."))

    class Meta:
        model = Feedback
        fields: tuple[str, ...] = ()

    def in_subtree(self, queryset: QuerySet[Feedback], name: str, value: Any) -> QuerySet[Feedback]:
        # The perimeter is looked up within the user's scope (the queryset already is).
        perimeter = Perimeter.objects.for_user(self.request.user).filter(code=value).first()
        if perimeter is None:
            return queryset.none()
        return queryset.filter(perimeter__path__startswith=perimeter.path)

    def with_theme(self, queryset: QuerySet[Feedback], name: str, value: str) -> QuerySet[Feedback]:
        return queryset.filter(themes__theme=value).distinct()

    def in_category(
        self, queryset: QuerySet[Feedback], name: str, value: str
    ) -> QuerySet[Feedback]:
        return queryset.filter(NPS_CATEGORIES[value])
