"""Award history kept per office; achievement keys scoped to the office and the achievement."""

from __future__ import annotations

from typing import Any

import django.db.models.deletion
from django.db import migrations, models

from khoi.lib.vntext import fold


def forwards(apps: Any, schema_editor: Any) -> None:
    JointOffice = apps.get_model("org", "JointOffice")
    AwardRecord = apps.get_model("campaigns", "AwardRecord")
    Proposal = apps.get_model("campaigns", "Proposal")
    offices = list(JointOffice.objects.values_list("pk", flat=True)[:2])
    if len(offices) == 1:  # one office: its history is the only history there is
        AwardRecord.objects.filter(office__isnull=True).update(office_id=offices[0])
    for p in Proposal.objects.all().iterator():
        what = fold(p.achievement)[:150]
        campaign = p.campaign_id or "-"
        key = f"{p.office_id}|{fold(p.nominee_name)[:200]}|{campaign}|{p.year}|{what}"[:400]
        Proposal.objects.filter(pk=p.pk).update(achievement_key=key)


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0004_award_sources_checked"),
        ("org", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="awardrecord",
            name="office",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="org.jointoffice",
            ),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
