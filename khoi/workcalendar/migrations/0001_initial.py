"""The calendar override table moves here from petitions (state only: the table
``petitions_holidayoverride`` and its rows stay; 0002 renames it)."""

from __future__ import annotations

from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [("petitions", "0006_project_index")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="HolidayOverride",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("date", models.DateField(unique=True, verbose_name="date")),
                        (
                            "is_working_day",
                            models.BooleanField(
                                help_text=(
                                    "Ticked: a working day (e.g. a Saturday worked in exchange)."
                                ),
                                verbose_name="working day",
                            ),
                        ),
                        (
                            "note",
                            models.CharField(blank=True, max_length=200, verbose_name="note"),
                        ),
                    ],
                    options={
                        "verbose_name": "calendar override",
                        "verbose_name_plural": "calendar overrides",
                        "ordering": ["date"],
                        "db_table": "petitions_holidayoverride",
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
