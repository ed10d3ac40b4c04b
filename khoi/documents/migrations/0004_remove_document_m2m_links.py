from django.db import migrations


class Migration(migrations.Migration):
    """The plan, activity and meeting links now live in DocumentLink (0003 copied them)."""

    dependencies = [
        ("documents", "0003_links_incoming_numbers_frozen_reports"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="document",
            name="activities",
        ),
        migrations.RemoveField(
            model_name="document",
            name="meetings",
        ),
        migrations.RemoveField(
            model_name="document",
            name="plans",
        ),
    ]
