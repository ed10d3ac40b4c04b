from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from khoi.documents import reports
from khoi.documents.models import PeriodicReport
from khoi.documents.periods import PeriodError, parse_period
from khoi.org.models import JointOffice


class Command(BaseCommand):
    help = (
        "Write the periodic report of an office: "
        "report --office CODE --period 2017-10|2017-Q3|2017-H1|2017-9M|2017 "
        "--format docx|xlsx|pdf --output FILE"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--office", required=True, help="office code, e.g. quang-yen")
        parser.add_argument("--period", required=True)
        parser.add_argument("--format", choices=["docx", "xlsx", "pdf"], default="docx")
        parser.add_argument("--output", required=True)

    def _fail(self, message: str) -> None:
        self.stderr.write(message)
        sys.exit(2)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            period = parse_period(options["period"])
        except PeriodError as exc:
            self._fail(
                _("%(message)s (code: %(code)s)") % {"message": exc.message, "code": exc.code}
            )
            return
        office = JointOffice.objects.select_related("unit").filter(code=options["office"]).first()
        if office is None:
            self._fail(
                _("There is no joint office with the code “%(code)s”.")
                % {"code": options["office"]}
            )
            return
        versions = list(
            PeriodicReport.objects.select_related("office__unit", "document")
            .filter(office=office, period=period.code)
            .order_by("-version")
        )
        # the issued version in force, else the latest draft, else a transient draft
        report = next((r for r in versions if r.status == PeriodicReport.Status.ISSUED), None)
        report = report or (versions[0] if versions else reports.transient_report(office, period))
        try:
            data = reports.render(report, options["format"])
        except reports.ConversionError as exc:
            self._fail(str(exc))
            return
        Path(options["output"]).write_bytes(data)
        self.stdout.write(
            _("Wrote %(file)s (%(size)s bytes): %(title)s, %(start)s–%(end)s.")
            % {"file": options["output"], "size": len(data), "title": report.title,
               "start": f"{report.start_on:%d/%m/%Y}", "end": f"{report.end_on:%d/%m/%Y}"}
        )  # fmt: skip
