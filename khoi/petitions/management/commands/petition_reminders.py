"""``manage.py petition_reminders [--date YYYY-MM-DD] [--days-before N]``: daily timer."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from khoi import clock
from khoi.petitions.reminders import send_deadline_reminders


class Command(BaseCommand):
    help = "Email reminders for petition deadlines due soon or overdue (once a day each)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="the day to act as today (YYYY-MM-DD)")
        parser.add_argument(
            "--days-before", type=int, default=2, help="working days before the due date"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = clock.today()
        if options["date"]:
            try:
                today = datetime.date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError(_("Invalid date: give it as YYYY-MM-DD.")) from exc
        if options["days_before"] < 0:
            raise CommandError(_("The number of working days before cannot be negative."))
        count = send_deadline_reminders(today, options["days_before"])
        self.stdout.write(
            _("Sent reminders for %(n)s petition deadlines (%(day)s).")
            % {"n": count, "day": f"{today:%d/%m/%Y}"}
        )
