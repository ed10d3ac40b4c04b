"""The kept province totals: written with the figures, equal to the computed roll-up and to
a total counted by hand, read in one query."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from khoi.campaigns import rollup, services
from khoi.campaigns.models import Campaign, Indicator, ProvinceTotal, Value
from khoi.campaigns.tests.factories import full_cells, setup_campaign
from khoi.org import services as org_services
from khoi.org.models import Membership, Organization
from khoi.testing.factories import START, person, unit

pytestmark = pytest.mark.django_db
Q = "2017-Q3"


def _reporter(commune: Any, username: str) -> Any:
    org = org_services.do_create_organization(
        None, kind=Organization.Kind.FRONT, name=f"Ủy ban MTTQ {commune.name}", unit=commune
    )
    p = person(f"Cán bộ {username}", commune, username)
    org_services.do_add_membership(
        None, p, role=Membership.Role.REPORTER, start_on=START, organization=org
    )
    return p.user


@pytest.fixture
def c(world: Any) -> dict[str, Any]:
    return setup_campaign(world)


def test_the_kept_totals_equal_the_figures_and_a_hand_count(
    world: Any, c: dict[str, Any], django_assert_num_queries: Any
) -> None:
    far_province = unit("Tỉnh Lạng Sơn", 1)
    far_commune = unit("Xã Tân Thanh", 3, far_province)
    campaign, count, pct, yes = c["campaign"], c["count"], c["pct"], c["yes"]
    services.do_save_figures(
        world.users["reporter"], campaign, world.commune, Q, full_cells(c, "7")
    )
    tien_phong = _reporter(world.commune2, "tienphong")
    services.do_save_figures(
        tien_phong, campaign, world.commune2, Q, [services.CellInput(count.pk, value="4")]
    )
    # another province's office, campaign and commune
    admin = world.users["admin"]
    far_office = org_services.do_create_office(
        None, code="lang-son", name="Cơ quan Khối Lạng Sơn", unit=far_province,
        established_on=None, organizations=[],
    )  # fmt: skip
    far_campaign = services.do_create_campaign(
        admin, far_office, kind=Campaign.Kind.CAMPAIGN, title="Hàng Việt",
        start_on=datetime.date(2017, 1, 1), organizations=[],
    )  # fmt: skip
    far_count = services.do_add_indicator(
        admin, far_campaign, code="1", name="Buổi tuyên truyền", kind="number", level="commune",
        period_kind=Indicator.PeriodKind.QUARTER, min_value=Decimal(0), max_value=Decimal(500),
    )  # fmt: skip
    services.do_save_figures(
        _reporter(far_commune, "tanthanh"), far_campaign, far_commune, Q,
        [services.CellInput(far_count.pk, value="100")],
    )  # fmt: skip
    inds = [count, pct, yes, far_count]
    with django_assert_num_queries(1):
        kept = rollup.totals_by_province(inds, [Q])
    assert kept == rollup.computed_totals_by_province(inds, [Q])
    here, far = world.province.pk, far_province.pk
    # by hand: Hà An 7 + Tiền Phong 4; Hà An's areas 80/100 and 30/50; one "yes" of two
    assert kept[(here, count.pk, Q)].number == Decimal(11)
    assert kept[(far, far_count.pk, Q)].number == Decimal(100)
    assert (far, count.pk, Q) not in kept and (here, far_count.pk, Q) not in kept
    assert kept[(here, pct.pk, Q)].value("percent") == Decimal("73.33")  # 110 / 150
    assert (kept[(here, yes.pk, Q)].yes, kept[(here, yes.pk, Q)].answers) == (1, 2)
    # a correction replaces the commune's figure in its province's total, not adds to it
    services.do_save_figures(
        tien_phong, campaign, world.commune2, Q, [services.CellInput(count.pk, value="9")]
    )
    assert rollup.totals_by_province([count], [Q])[(here, count.pk, Q)].number == Decimal(16)
    national = rollup.unit_totals([count, far_count], [Q], None)
    assert (national[(count.pk, Q)].number, national[(far_count.pk, Q)].number) == (16, 100)
    assert rollup.unit_totals([count], [Q], world.province)[(count.pk, Q)].number == Decimal(16)
    assert rollup.unit_totals([count], [Q], world.town)[(count.pk, Q)].number == Decimal(16)
    assert rollup.province_totals_drift() == []
    call_command("campaign_totals")


def test_a_figure_written_past_the_services_is_found_and_the_rebuild_mends_it(
    world: Any, c: dict[str, Any]
) -> None:
    services.do_save_figures(
        world.users["reporter"], c["campaign"], world.commune, Q, full_cells(c, "7")
    )
    assert ProvinceTotal.objects.filter(province=world.province).count() == 3
    Value.objects.filter(indicator=c["count"]).update(number=Decimal(8))
    assert rollup.province_totals_drift() == [(world.province.pk, c["count"].pk, Q)]
    with pytest.raises(CommandError):
        call_command("campaign_totals")
    call_command("campaign_totals", "--rebuild")
    assert rollup.province_totals_drift() == []
    total = rollup.totals_by_province([c["count"]], [Q])[(world.province.pk, c["count"].pk, Q)]
    assert total.number == Decimal(8)
