from __future__ import annotations

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("workcalendar", "0001_initial"), ("petitions", "0007_holiday_override_moved")]

    operations = [migrations.AlterModelTable(name="holidayoverride", table=None)]
