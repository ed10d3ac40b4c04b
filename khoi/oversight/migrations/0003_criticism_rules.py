"""The default statutory periods of social criticism (data with their source; the site
administrator corrects them). Keep this data migration when the app's migrations are
regenerated: it only calls ``khoi.oversight.criticism_rules.load``."""

from __future__ import annotations

from typing import Any

from django.db import migrations


def load(apps: Any, schema_editor: Any) -> None:
    from khoi.oversight.criticism_rules import load as load_rules

    load_rules(apps)


class Migration(migrations.Migration):
    dependencies = [("oversight", "0002_criticism")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
