"""Admin of the calendar overrides; every save and delete goes through the services (audited,
and the open petition clocks the change touches are recomputed)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from khoi.workcalendar import services
from khoi.workcalendar.models import HolidayOverride


@admin.register(HolidayOverride)
class HolidayOverrideAdmin(admin.ModelAdmin[HolidayOverride]):
    list_display = ("date", "is_working_day", "note")
    list_filter = ("is_working_day",)
    search_fields = ("note",)
    date_hierarchy = "date"

    def save_model(
        self, request: HttpRequest, obj: HolidayOverride, form: Any, change: bool
    ) -> None:
        services.do_save_override(
            request.user,
            date=obj.date,
            is_working_day=obj.is_working_day,
            note=obj.note,
            override=obj if change else None,
        )

    def delete_model(self, request: HttpRequest, obj: HolidayOverride) -> None:
        services.do_delete_override(request.user, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[HolidayOverride]) -> None:
        for obj in queryset:
            services.do_delete_override(request.user, obj)
