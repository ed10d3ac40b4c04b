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
