"""The household register as other apps see it (``khoi.registry.HouseholdDirectory``):
a card per readable household (head's name, residential area, page) and a name search.
Identity numbers and phones never leave this app this way."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from khoi.fund import access
from khoi.lib.vntext import fold
from khoi.registry import HouseholdCard, HouseholdDirectory


def describe(user: Any, ids: list[int]) -> dict[int, HouseholdCard]:
    rows = access.households_for_user(user).filter(pk__in=ids)
    return {
        h.pk: HouseholdCard(
            id=h.pk,
            unit_id=h.unit_id,
            head_name=h.head_name,
            area_name=h.area_name,
            url=reverse("fund:household_detail", args=[h.pk]),
        )
        for h in rows.only("pk", "unit_id", "head_name", "area_name")
    }


def search(user: Any, text: str, unit_ids: list[int]) -> Any:
    qs = access.households_for_user(user).filter(head_name_folded__contains=fold(text))
    if unit_ids:
        qs = qs.filter(unit_id__in=unit_ids)
    return qs.values("pk")


DIRECTORY = HouseholdDirectory(describe=describe, search=search)
