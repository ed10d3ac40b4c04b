"""Each housing case names the ledger entries that paid its tranches.

Existing cases are linked to their payments: the fund's expenditures carrying the case's
decision number, in posting order, not reversed — the first of the tranche 1 amount is
tranche 1 (cases at "first tranche paid" or later), the next of the tranche 2 amount is
tranche 2 (cases at "second tranche paid" or later). A case whose payment cannot be found
this way stays unlinked (the workflow still runs; only the reversal rule cannot see it).
"""

from __future__ import annotations

from typing import Any

import django.db.models.deletion
from django.db import migrations, models

AFTER_T1 = ("tranche1", "accepted", "tranche2", "handed_over", "settled")
AFTER_T2 = ("tranche2", "handed_over", "settled")


def link(apps: Any, schema_editor: Any) -> None:
    Case = apps.get_model("fund", "HousingCase")
    Entry = apps.get_model("fund", "Entry")
    reversed_ids = set(
        Entry.objects.filter(reverses__isnull=False).values_list("reverses_id", flat=True)
    )
    used: set[int] = set()
    for case in Case.objects.filter(status__in=AFTER_T1).exclude(decision_notation=""):
        t1 = case.amount * case.tranche1_percent // 100
        t2 = case.amount - t1
        paid = [
            e
            for e in Entry.objects.filter(
                fund_id=case.fund_id, kind="expenditure", decision_ref=case.decision_notation
            ).order_by("seq")
            if e.pk not in reversed_ids and e.pk not in used
        ]
        first = next((e for e in paid if e.amount == t1), None)
        if first is None:
            continue
        case.tranche1_entry = first
        used.add(first.pk)
        if case.status in AFTER_T2:
            second = next((e for e in paid if e.amount == t2 and e.seq > first.seq), None)
            if second is not None:
                case.tranche2_entry = second
                used.add(second.pk)
        case.save(update_fields=["tranche1_entry", "tranche2_entry"])


class Migration(migrations.Migration):
    dependencies = [("fund", "0011_ledger_hmac_fundledger")]

    operations = [
        migrations.AddField(
            model_name="housingcase",
            name="tranche1_entry",
            field=models.OneToOneField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="tranche1_of",
                to="fund.entry",
            ),
        ),  # fmt: skip
        migrations.AddField(
            model_name="housingcase",
            name="tranche2_entry",
            field=models.OneToOneField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="tranche2_of",
                to="fund.entry",
            ),
        ),  # fmt: skip
        migrations.RunPython(link, migrations.RunPython.noop),
    ]
