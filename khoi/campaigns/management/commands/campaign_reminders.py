"""``manage.py campaign_reminders [--date YYYY-MM-DD]``: run from a daily timer."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from khoi import clock
from khoi.campaigns.reminders import send_missing_reminders


class Command(BaseCommand):
    help = "Email the communes that have not reported the last ended period of a campaign."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="the day to act as today (YYYY-MM-DD)")

    def handle(self, *args: Any, **options: Any) -> None:
        today = clock.today()
        if options["date"]:
            try:
                today = datetime.date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError(_("Invalid date: write it as YYYY-MM-DD.")) from exc
        count = send_missing_reminders(today)
        self.stdout.write(
            _("Reminders sent to %(n)s communes and wards (on %(day)s).")
            % {"n": count, "day": today.strftime("%d/%m/%Y")}
        )
