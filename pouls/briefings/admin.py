"""Administrators enter the commission rule in Django's admin, within their own scope."""

from __future__ import annotations

from django.contrib import admin

from pouls.briefings.models import BriefingSchedule, CommissionRule
from pouls.org.admin import ScopedAdmin


@admin.register(CommissionRule)
class CommissionRuleAdmin(ScopedAdmin):
    list_display = ("label", "perimeter", "formula", "updated_at")


@admin.register(BriefingSchedule)
class BriefingScheduleAdmin(ScopedAdmin):
    list_display = ("user", "perimeter", "period", "active", "last_sent")
    list_filter = ("period", "active")
    raw_id_fields = ("user",)
