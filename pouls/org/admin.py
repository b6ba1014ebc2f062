"""Django admin for perimeters, people and grants, restricted to the admin's own scope."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import ForeignKey, Model, QuerySet
from django.forms import ModelChoiceField
from django.http import HttpRequest

from pouls.lib.scoping import save_for_user
from pouls.org.models import Grant, Perimeter, Person


class ScopedAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Rows and related choices limited to the perimeters the user administers."""

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        manager: Any = self.model._default_manager
        return manager.for_user(request.user, "admin")  # type: ignore[no-any-return]

    def formfield_for_foreignkey(
        self, db_field: ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField[Any] | None:
        if db_field.related_model is Perimeter or db_field.related_model is Person:
            manager: Any = db_field.related_model._default_manager
            kwargs["queryset"] = manager.for_user(request.user, "admin")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: Model, form: Any, change: bool) -> None:
        # Re-check the scope after saving, so nothing is moved out of the admin's reach.
        def _save() -> None:
            super(ScopedAdmin, self).save_model(request, obj, form, change)

        save_for_user(obj, request.user, _save)


@admin.register(Perimeter)
class PerimeterAdmin(ScopedAdmin):
    list_display = ("name", "ref", "kind", "parent", "depth")
    list_filter = ("kind",)
    search_fields = ("name", "ref")
    ordering = ("path",)


@admin.register(Person)
class PersonAdmin(ScopedAdmin):
    list_display = ("last_name", "first_name", "kind", "perimeter", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("last_name", "first_name")
    raw_id_fields = ("user",)


@admin.register(Grant)
class GrantAdmin(ScopedAdmin):
    list_display = ("user", "perimeter", "role")
    list_filter = ("role",)
    search_fields = ("user__username", "perimeter__name")
