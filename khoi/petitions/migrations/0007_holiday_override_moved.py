"""HolidayOverride now belongs to ``khoi.workcalendar`` (state only; the table is renamed
by workcalendar 0002)."""

from __future__ import annotations

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("petitions", "0006_project_index"), ("workcalendar", "0001_initial")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="HolidayOverride")],
            database_operations=[],
        )
    ]
