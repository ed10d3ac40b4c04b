"""The fund's part of the demo (load_demo): the 2017 Quảng Yên appraisal, as each persona
sees it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from khoi.accounts.models import User
from khoi.fund import services
from khoi.fund.models import Fund, Household


@pytest.fixture
def demo(db: None, settings: Any, tmp_path: Path) -> Fund:
    from khoi.org.demo import load_demo

    settings.MEDIA_ROOT = str(tmp_path / "media")
    load_demo()
    return Fund.objects.get(name="Quỹ Vì người nghèo thị xã Quảng Yên")


def signed_in(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def test_the_demo_reporter_of_ha_an_sees_the_proposal_form(demo: Fund) -> None:
    households = Household.objects.filter(unit__name="Phường Hà An")
    assert households.exists(), "the demo has no household in Phường Hà An"
    hh = households.filter(cases__isnull=True).first() or services.do_create_household(
        None, unit=households[0].unit, head_name="Hộ thử (minh họa)"
    )
    page = signed_in("phuongha-an").get(f"/fund/households/{hh.pk}/").content.decode()
    assert f"/fund/households/{hh.pk}/cases/new/" in page
    assert f'<option value="{demo.pk}">{demo.name}</option>' in page


def test_demo_entries_are_dated_on_or_before_the_demo_day(demo: Fund) -> None:
    from khoi.fund.models import Entry, HousingCase
    from khoi.org.demo import DEMO_DATE

    dates = list(Entry.objects.filter(fund=demo).values_list("date", flat=True))
    assert dates and max(dates) <= DEMO_DATE
    decided = HousingCase.objects.filter(fund=demo, decision_date__isnull=False)
    days = [c.decision_date for c in decided if c.decision_date is not None]
    assert days and max(days) <= DEMO_DATE


def test_demo_household_names_are_marked_illustrative_everywhere(demo: Fund) -> None:
    import io

    from openpyxl import load_workbook

    households = list(Household.objects.filter(cases__fund=demo))
    assert households and all(h.head_name.endswith("(minh họa)") for h in households)
    assert all(m["name"].endswith("(minh họa)") for h in households for m in h.members)
    public = Client().get(f"/public/funds/{demo.pk}/?year=2017").content.decode()
    sheet = load_workbook(
        io.BytesIO(Client().get(f"/public/funds/{demo.pk}/xlsx/?year=2017").content)
    )
    cells = [str(c.value) for ws in sheet.worksheets for row in ws.iter_rows() for c in row]
    supported = [h for h in households if h.cases.filter(status="tranche1").exists()]
    assert supported
    for h in supported:  # the supported households are disclosed, marked
        assert h.head_name in public and h.head_name in cells
    page = signed_in("canbo").get(f"/fund/{demo.pk}/?year=2017").content.decode()
    assert "(minh họa)" in page  # the tranche's beneficiary line names the marked household
