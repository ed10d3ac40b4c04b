"""The kept province totals hold the approved figures: written on approval and reopening,
equal to the computed approved roll-up and to a total counted by hand, read in one query."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from khoi.campaigns import rollup, services
from khoi.campaigns.models import Campaign, Indicator, ProvinceTotal, Submission, Value
from khoi.campaigns.tests.factories import full_cells, setup_campaign
from khoi.org import services as org_services
from khoi.org.models import Membership, Organization, ResidentialArea
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


def _approve(world: Any, campaign: Campaign, reporter: Any, commune: Any) -> Submission:
    sub = services.do_submit_figures(reporter, campaign, commune, Q)
    services.do_approve_figures(world.users["staff"], sub)
    return sub


@pytest.fixture
def c(world: Any) -> dict[str, Any]:
    return setup_campaign(world)


def test_the_kept_totals_equal_the_approved_figures_and_a_hand_count(
    world: Any, c: dict[str, Any], django_assert_num_queries: Any
) -> None:
    far_province = unit("Tỉnh Lạng Sơn", 1)
    far_commune = unit("Xã Tân Thanh", 3, far_province)
    campaign, count, pct, yes = c["campaign"], c["count"], c["pct"], c["yes"]
    reporter = world.users["reporter"]
    services.do_save_figures(reporter, campaign, world.commune, Q, full_cells(c, "7"))
    tien_phong = _reporter(world.commune2, "tienphong")
    khu3 = org_services.do_add_residential_area(
        None, world.commune2, "Khu 3", ResidentialArea.Kind.AREA
    )
    services.do_save_figures(
        tien_phong, campaign, world.commune2, Q,
        [services.CellInput(count.pk, value="4"),
         services.CellInput(pct.pk, khu3.pk, numerator="20", denominator="50"),
         services.CellInput(yes.pk, khu3.pk, value="Có")],
    )  # fmt: skip
    # a saved draft is not official: nothing kept, and the approved totals are empty
    assert not ProvinceTotal.objects.exists()
    assert rollup.unit_totals([count], [Q], None, approved_only=True) == {}
    # every figure, whatever its state, is still computed on demand
    assert rollup.unit_totals([count], [Q], world.province)[(count.pk, Q)].number == 11
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
    tan_thanh = _reporter(far_commune, "tanthanh")
    services.do_save_figures(
        tan_thanh, far_campaign, far_commune, Q, [services.CellInput(far_count.pk, value="100")]
    )
    far_sub = services.do_submit_figures(tan_thanh, far_campaign, far_commune, Q)
    services.do_approve_figures(admin, far_sub)
    _approve(world, campaign, reporter, world.commune)  # Hà An approved, Tiền Phong a draft
    inds = [count, pct, yes, far_count]
    with django_assert_num_queries(1):
        kept = rollup.totals_by_province(inds, [Q])
    assert kept == rollup.computed_totals_by_province(inds, [Q])
    here, far = world.province.pk, far_province.pk
    # by hand: Hà An 7 (Tiền Phong's 4 is a draft); Hà An's areas 80/100 and 30/50; one
    # "yes" of two
    assert kept[(here, count.pk, Q)].number == Decimal(7)
    assert kept[(far, far_count.pk, Q)].number == Decimal(100)
    assert (far, count.pk, Q) not in kept and (here, far_count.pk, Q) not in kept
    assert kept[(here, pct.pk, Q)].value("percent") == Decimal("73.33")  # 110 / 150
    assert (kept[(here, yes.pk, Q)].yes, kept[(here, yes.pk, Q)].answers) == (1, 2)
    # Tiền Phong approved too: its figure joins its province's total
    tp_sub = _approve(world, campaign, tien_phong, world.commune2)
    with django_assert_num_queries(1):
        national = rollup.unit_totals([count, far_count], [Q], None, approved_only=True)
    assert (national[(count.pk, Q)].number, national[(far_count.pk, Q)].number) == (11, 100)
    with django_assert_num_queries(1):
        province = rollup.unit_totals([count], [Q], world.province, approved_only=True)
    assert province[(count.pk, Q)].number == Decimal(11)
    both = rollup.unit_totals([pct, yes], [Q], world.province, approved_only=True)
    assert both[(pct.pk, Q)].value("percent") == Decimal("65.00")  # 130 / 200
    assert (both[(yes.pk, Q)].yes, both[(yes.pk, Q)].answers) == (2, 3)
    with django_assert_num_queries(1):
        town = rollup.unit_totals([count], [Q], world.town, approved_only=True)
    assert town[(count.pk, Q)].number == Decimal(11)
    # reopened for a correction: out of the official total until approved again, and then
    # the corrected figure replaces the old one, not adds to it
    services.do_reopen_figures(world.users["staff"], tp_sub, "Sai số")
    assert rollup.totals_by_province([count], [Q])[(here, count.pk, Q)].number == Decimal(7)
    services.do_save_figures(
        tien_phong, campaign, world.commune2, Q, [services.CellInput(count.pk, value="9")]
    )
    assert rollup.totals_by_province([count], [Q])[(here, count.pk, Q)].number == Decimal(7)
    assert rollup.unit_totals([count], [Q], None)[(count.pk, Q)].number == Decimal(16)
    _approve(world, campaign, tien_phong, world.commune2)
    national = rollup.unit_totals([count, far_count], [Q], None, approved_only=True)
    assert (national[(count.pk, Q)].number, national[(far_count.pk, Q)].number) == (16, 100)
    # ``campaign`` naming the indicators' own campaign still reads the kept table
    with django_assert_num_queries(1):
        own = rollup.unit_totals(
            [count], [Q], world.province, approved_only=True, campaign=campaign
        )
    assert own[(count.pk, Q)].number == Decimal(16)
    assert rollup.province_totals_drift() == []
    call_command("campaign_totals")


def test_a_figure_written_past_the_services_is_found_and_the_rebuild_mends_it(
    world: Any, c: dict[str, Any]
) -> None:
    reporter = world.users["reporter"]
    services.do_save_figures(reporter, c["campaign"], world.commune, Q, full_cells(c, "7"))
    _approve(world, c["campaign"], reporter, world.commune)
    assert ProvinceTotal.objects.filter(province=world.province).count() == 3
    Value.objects.filter(indicator=c["count"]).update(number=Decimal(8))
    assert rollup.province_totals_drift() == [(world.province.pk, c["count"].pk, Q)]
    with pytest.raises(CommandError):
        call_command("campaign_totals")
    call_command("campaign_totals", "--rebuild")
    assert rollup.province_totals_drift() == []
    total = rollup.totals_by_province([c["count"]], [Q])[(world.province.pk, c["count"].pk, Q)]
    assert total.number == Decimal(8)
    # a submission approved past the services (a bulk load): only the rebuild counts it
    Value.objects.create(
        indicator=c["count"], commune=world.commune2, period=Q, year=2017, number=Decimal(5)
    )
    Submission.objects.create(
        campaign=c["campaign"], commune=world.commune2, period=Q, year=2017,
        status=Submission.Status.APPROVED,
    )  # fmt: skip
    assert rollup.province_totals_drift() == [(world.province.pk, c["count"].pk, Q)]
    assert rollup.rebuild_province_totals(c["campaign"]) == 3
    assert rollup.unit_totals([c["count"]], [Q], None, approved_only=True)[
        (c["count"].pk, Q)
    ].number == Decimal(13)


PERIODS = ["2017-Q3", "2017-Q4"]


@pytest.mark.parametrize("seed", range(4))
def test_kept_equals_computed_approved_through_random_saves_and_decisions(
    world: Any, c: dict[str, Any], seed: int
) -> None:
    """Random sequences of saves, submits, approvals, returns and reopenings of two
    communes and two quarters: after every step the kept table equals the approved figures
    computed, and the national approved total equals a sum kept by hand in the test."""
    rng = random.Random(seed)
    campaign, count, pct, yes = c["campaign"], c["count"], c["pct"], c["yes"]
    staff = world.users["staff"]
    area2 = org_services.do_add_residential_area(
        None, world.commune2, "Khu 3", ResidentialArea.Kind.AREA
    )
    communes = {
        world.commune.pk: (world.commune, world.users["reporter"], c["areas"]),
        world.commune2.pk: (world.commune2, _reporter(world.commune2, "tienphong"), [area2]),
    }
    saved: dict[tuple[int, str], int] = {}  # the count figure of (commune, period)
    inds = [count, pct, yes]
    done = dict.fromkeys(("approve", "return", "reopen"), 0)
    for _step in range(40):
        commune, reporter, areas = communes[rng.choice(list(communes))]
        period = rng.choice(PERIODS)
        found = Submission.objects.filter(campaign=campaign, commune=commune, period=period)
        sub = found.first()
        if sub is None or sub.status in (Submission.Status.DRAFT, Submission.Status.RETURNED):
            if sub is not None and rng.random() < 0.4:
                services.do_submit_figures(reporter, campaign, commune, period)
            else:
                n = rng.randint(0, 100)
                cells = [services.CellInput(count.pk, value=str(n))]
                for a in areas:
                    den = rng.randint(1, 200)
                    cells.append(
                        services.CellInput(
                            pct.pk, a.pk, numerator=str(rng.randint(0, den)), denominator=str(den)
                        )
                    )
                    cells.append(
                        services.CellInput(yes.pk, a.pk, value=rng.choice(["Có", "Không"]))
                    )
                services.do_save_figures(reporter, campaign, commune, period, cells)
                saved[(commune.pk, period)] = n
        elif sub.status == Submission.Status.SUBMITTED:
            if rng.random() < 0.7:
                services.do_approve_figures(staff, sub)
                done["approve"] += 1
            else:
                services.do_return_figures(staff, sub, "Thiếu minh chứng")
                done["return"] += 1
        else:
            services.do_reopen_figures(staff, sub, "Sai số")
            done["reopen"] += 1
        assert rollup.totals_by_province(inds, PERIODS) == rollup.computed_totals_by_province(
            inds, PERIODS
        )
        approved = set(
            Submission.objects.filter(
                campaign=campaign, status=Submission.Status.APPROVED
            ).values_list("commune_id", "period")
        )
        national = rollup.unit_totals(inds, PERIODS, None, approved_only=True)
        for period in PERIODS:
            by_hand = [saved[(k, period)] for k in communes if (k, period) in approved]
            got = national.get((count.pk, period))
            assert (got.number if got else None) == (sum(by_hand) if by_hand else None)
    assert done["approve"] and done["reopen"]  # the sequence went through both ways
    assert rollup.province_totals_drift() == []
    rollup.rebuild_province_totals()
    assert rollup.province_totals_drift() == []
