from __future__ import annotations

from django.contrib import admin

from khoi.campaigns.models import AwardForm, BaseSalary, CriteriaSet, CulturalTitle

# Statutory and policy data, edited by site administrators (each row carries its source and
# dates in force). Everything else changes through the pages and services (audited).


@admin.register(BaseSalary)
class BaseSalaryAdmin(admin.ModelAdmin):
    list_display = ("amount", "valid_from", "source")


@admin.register(AwardForm)
class AwardFormAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "coefficient", "valid_from", "valid_until", "source")
    list_filter = ("kind", "nominee")


@admin.register(CulturalTitle)
class CulturalTitleAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level")


@admin.register(CriteriaSet)
class CriteriaSetAdmin(admin.ModelAdmin):
    list_display = ("title", "version", "valid_from", "valid_until", "source")
