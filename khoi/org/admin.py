"""Reference data is browsed here; changes go through the app's pages so they are audited."""

from __future__ import annotations

from django.contrib import admin

from khoi.audit.admin import ReadOnlyAdmin
from khoi.org.models import AdminUnit, JointOffice, Organization, Person, UnitSuccession


@admin.register(AdminUnit)
class AdminUnitAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "era", "level", "parent"]
    list_filter = ["era", "level"]
    search_fields = ["name", "name_folded", "code"]
    list_select_related = ["parent"]


@admin.register(UnitSuccession)
class UnitSuccessionAdmin(ReadOnlyAdmin):
    list_display = ["former", "current", "partial"]
    list_select_related = ["former", "current"]


@admin.register(Organization)
class OrganizationAdmin(ReadOnlyAdmin):
    list_display = ["name", "kind", "unit"]
    list_filter = ["kind"]
    list_select_related = ["unit"]


@admin.register(JointOffice)
class JointOfficeAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "unit", "established_on"]


@admin.register(Person)
class PersonAdmin(ReadOnlyAdmin):
    list_display = ["full_name", "unit", "is_active"]
    search_fields = ["name_folded"]
    list_select_related = ["unit"]
