"""#12's bad input through the API (the service and page tests cover the rest): a
percentage whose numerator exceeds its denominator, values out of range, a locked period;
each refused with a Vietnamese message, nothing saved. And the .xlsx import's numerator
check on other figures than the template's own example."""

from __future__ import annotations

import io
from typing import Any

import pytest
from openpyxl import load_workbook

from khoi.campaigns import importer, services
from khoi.campaigns import periods as P
from khoi.campaigns.models import Submission, Value
from khoi.campaigns.tests.factories import full_cells, setup_campaign

pytestmark = pytest.mark.django_db
Q = "2017-Q3"


@pytest.fixture
def c(world: Any) -> dict[str, Any]:
    return setup_campaign(world)


def _put(client: Any, c: dict[str, Any], commune: Any, cells: list[dict[str, Any]]) -> Any:
    url = f"/api/v1/campaigns/{c['campaign'].pk}/figures/{commune.pk}/{Q}"
    return client.put(url, {"cells": cells}, content_type="application/json")


@pytest.mark.parametrize(
    ("numerator", "denominator", "words"),
    [
        ("51", "50", "lớn hơn mẫu số"),
        ("50,01", "50", "lớn hơn mẫu số"),
        ("1.000", "999", "lớn hơn mẫu số"),
        ("5", "0", "mẫu số"),
        ("-1", "5", "âm"),
        ("5", "", "tử số và mẫu số"),
    ],
)
def test_a_bad_percentage_is_refused_through_the_api(
    world: Any, c: dict[str, Any], as_user: Any, numerator: str, denominator: str, words: str
) -> None:
    area = c["areas"][0]
    cells = [
        {"indicator_id": c["count"].pk, "value": "3"},
        {"indicator_id": c["pct"].pk, "area_id": area.pk, "numerator": numerator,
         "denominator": denominator},
    ]  # fmt: skip
    resp = _put(as_user("reporter"), c, world.commune, cells)
    assert resp.status_code == 422, resp.content
    body = resp.json()
    assert words in (body["detail"] + " ".join(body["errors"].values())).lower(), body
    assert Value.objects.count() == 0  # not even the good cell


def test_a_numerator_equal_to_its_denominator_is_a_full_percentage(
    world: Any, c: dict[str, Any], as_user: Any
) -> None:
    cells = [{"indicator_id": c["pct"].pk, "area_id": c["areas"][0].pk, "numerator": "50",
              "denominator": "50"}]  # fmt: skip
    assert _put(as_user("reporter"), c, world.commune, cells).json() == {"saved": 1}


def test_a_value_out_of_range_is_refused_through_the_api(
    world: Any, c: dict[str, Any], as_user: Any
) -> None:
    for value in ("101", "-1", "abc", "1e9"):
        resp = _put(as_user("reporter"), c, world.commune,
                    [{"indicator_id": c["count"].pk, "value": value}])  # fmt: skip
        assert resp.status_code == 422, value
    assert Value.objects.count() == 0


def test_a_locked_period_refuses_new_figures_through_the_api(
    world: Any, c: dict[str, Any], as_user: Any
) -> None:
    reporter = world.users["reporter"]
    services.do_save_figures(reporter, c["campaign"], world.commune, Q, full_cells(c))
    sub = services.do_submit_figures(reporter, c["campaign"], world.commune, Q)
    services.do_approve_figures(world.users["staff"], sub)
    assert Submission.objects.get(pk=sub.pk).status == Submission.Status.APPROVED
    before = list(Value.objects.values_list("pk", "number", "numerator", "denominator"))
    resp = _put(as_user("reporter"), c, world.commune,
                [{"indicator_id": c["count"].pk, "value": "7"}])  # fmt: skip
    assert resp.status_code == 422
    assert list(Value.objects.values_list("pk", "number", "numerator", "denominator")) == before


def test_the_import_refuses_every_numerator_above_its_denominator(
    world: Any, c: dict[str, Any]
) -> None:
    data = importer.build_template(c["campaign"], world.commune, P.parse(Q))
    wb = load_workbook(io.BytesIO(data))
    ws = wb[importer.SHEET_NAME]
    ws["C3"], ws["D3"] = 50.5, 50  # a decimal above
    ws["C4"], ws["D4"] = "1.001", "1.000"  # dot-grouped thousands, typed as text
    buffer = io.BytesIO()
    wb.save(buffer)
    _cells, problems = importer.parse_workbook(
        buffer.getvalue(), c["campaign"], world.commune, P.parse(Q)
    )
    assert len(problems) == 2, problems
    assert all("lớn hơn mẫu số" in p for p in problems), problems
    assert Value.objects.count() == 0
