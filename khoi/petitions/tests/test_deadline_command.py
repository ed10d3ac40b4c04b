"""``manage.py deadline`` wraps khoi.lib.deadline_cli with the admin's override table."""

from __future__ import annotations

import datetime
import json

import pytest

from khoi.lib.workdays import PACKAGE_SWAP_MAKEUP_DAYS
from khoi.petitions.management.commands.deadline import Command
from khoi.workcalendar.models import HolidayOverride


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = 0
    try:
        Command().run_from_argv(["manage.py", "deadline", *args])
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.django_db
def test_the_migration_seeds_the_package_swap_days() -> None:
    dates = set(HolidayOverride.objects.values_list("date", flat=True))
    assert {o.date for o in PACKAGE_SWAP_MAKEUP_DAYS} <= dates


@pytest.mark.django_db
def test_the_command_prints_one_json_object(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(["--rule", "complaint-accept", "--start", "2025-01-03"], capsys)
    assert code == 0 and not err
    data = json.loads(out)
    assert data["rule"] == "complaint-accept" and data["counted"] == "working"
    assert data["source"].startswith("Luật Khiếu nại 2011")
    assert data["due"] == "2025-01-17"


@pytest.mark.django_db
def test_the_override_table_changes_the_result(capsys: pytest.CaptureFixture[str]) -> None:
    HolidayOverride.objects.create(
        date=datetime.date(2025, 1, 6), is_working_day=False, note="nghỉ đặc biệt"
    )
    code, out, _ = _run(["--rule", "complaint-accept", "--start", "2025-01-03"], capsys)
    assert code == 0 and json.loads(out)["due"] == "2025-01-20"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "args",
    [
        ["--rule", "nope", "--start", "2025-01-03"],
        ["--rule", "complaint-accept", "--start", "2025-02-30"],
        ["--rule", "complaint-accept", "--start", "03/01/2025"],
        ["--rule", "complaint-accept", "--start", "2025-01-03", "--extensions", "1"],
        ["--rule", "denunciation-resolve", "--start", "2025-01-03", "--extensions", "3"],
    ],
)
def test_bad_input_gives_a_reason_and_exit_code_2(
    args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _run(args, capsys)
    assert code == 2 and not out and err.startswith("Lỗi:")


@pytest.mark.django_db
def test_list_rules(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(["--list-rules"], capsys)
    assert code == 0 and "denunciation-resolve" in out and "reception-reply" in out


def test_the_calendar_works_before_the_database_is_migrated(monkeypatch) -> None:
    """`manage.py deadline` on a fresh clone: no override table yet, the seeded defaults apply."""
    from django.db import DatabaseError

    from khoi.lib.workdays import PACKAGE_SWAP_MAKEUP_DAYS
    from khoi.petitions import services
    from khoi.workcalendar.models import HolidayOverride

    def missing_table(*args: object, **kwargs: object) -> None:
        raise DatabaseError("no such table: petitions_holidayoverride")

    monkeypatch.setattr(HolidayOverride.objects, "all", missing_table)
    calendar = services.work_calendar()
    swapped = PACKAGE_SWAP_MAKEUP_DAYS[-1]
    assert calendar.is_working_day(swapped.date)
