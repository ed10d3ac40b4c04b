from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from khoi.campaigns import services
from khoi.campaigns.models import Campaign, Indicator
from khoi.org import services as org_services
from khoi.org.models import ResidentialArea


def setup_campaign(world: Any) -> dict[str, Any]:
    """A movement of the office with three quarterly indicators; two areas in Hà An."""
    staff = world.users["staff"]
    campaign = services.do_create_campaign(
        staff,
        world.office,
        kind=Campaign.Kind.MOVEMENT,
        title="Toàn dân đoàn kết",
        start_on=datetime.date(2017, 1, 1),
        organizations=[world.front, world.women],
    )
    areas = [
        org_services.do_add_residential_area(None, world.commune, n, ResidentialArea.Kind.AREA)
        for n in ("Khu 1", "Khu 2")
    ]
    count = services.do_add_indicator(
        staff,
        campaign,
        code="1",
        name="Buổi tuyên truyền",
        kind="number",
        level="commune",
        period_kind=Indicator.PeriodKind.QUARTER,
        min_value=Decimal(0),
        max_value=Decimal(100),
    )
    pct = services.do_add_indicator(
        staff,
        campaign,
        code="2",
        name="Hộ gia đình văn hóa",
        kind="percent",
        level="area",
        period_kind=Indicator.PeriodKind.QUARTER,
        min_value=Decimal(0),
        max_value=Decimal(100),
    )
    yes = services.do_add_indicator(
        staff,
        campaign,
        code="3",
        name="Có mô hình tự quản",
        kind="yesno",
        level="area",
        period_kind=Indicator.PeriodKind.QUARTER,
    )
    return {"campaign": campaign, "areas": areas, "count": count, "pct": pct, "yes": yes}


def full_cells(c: dict[str, Any], n: str = "5") -> list[services.CellInput]:
    a1, a2 = c["areas"]
    return [
        services.CellInput(c["count"].pk, value=n),
        services.CellInput(c["pct"].pk, a1.pk, numerator="80", denominator="100"),
        services.CellInput(c["pct"].pk, a2.pk, numerator="30", denominator="50"),
        services.CellInput(c["yes"].pk, a1.pk, value="Có"),
        services.CellInput(c["yes"].pk, a2.pk, value="Không"),
    ]
