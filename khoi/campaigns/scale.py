"""Synthetic campaign figures at scale (shared by ``generate_scale`` and bench/campaigns.py).

``figure`` draws one reported value of an indicator (a number, a percentage's numerator and
denominator, or yes/no). The generator (khoi/ops/scale.py), per commune: three residential
areas, the commune office's emulation movement with ``INDICATORS`` monthly indicators (the
last ``AREA_INDICATORS`` reported by each residential area), a figure for every unit and
month of the year, and a submission per month (mostly approved). No audit entries.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from khoi.ops.scale import ScaleContext, bulk_insert, register_generator

KINDS = ("number", "percent", "yesno")
SUBMISSION_STATUSES = ["approved"] * 6 + ["submitted", "draft", "returned"]
INDICATORS, AREA_INDICATORS, AREAS = 10, 3, 3
INDICATOR_NAMES = [
    "Số hộ gia đình văn hóa", "Tỷ lệ hộ tham gia bảo hiểm y tế", "Có hương ước, quy ước",
    "Số hộ nghèo được hỗ trợ", "Tỷ lệ khu dân cư văn hóa", "Tổ chức Ngày hội Đại đoàn kết",
    "Số người tham gia lao động công ích", "Tỷ lệ hộ phân loại rác tại nguồn",
    "Có mô hình tự quản về an ninh trật tự", "Số buổi sinh hoạt khu dân cư",
]  # fmt: skip


def figure(kind: str, rng: random.Random) -> tuple[int | None, int | None, int | None, bool | None]:
    """(number, numerator, denominator, flag) of one reported value of an indicator."""
    if kind == "number":
        return rng.randint(0, 100), None, None, None
    if kind == "percent":
        den = rng.randint(50, 300)
        return None, rng.randint(0, den), den, None
    return None, None, None, rng.random() < 0.7


def generate_campaigns(ctx: ScaleContext) -> dict[str, int]:
    from khoi.campaigns.models import Campaign, Indicator, Submission, Value
    from khoi.org.models import ResidentialArea

    rng = ctx.rng
    months = [f"{ctx.year}-{m:02d}" for m in range(1, 13)]
    areas = [
        ResidentialArea(commune=c, name=f"Khu dân cư số {a}", name_folded=f"khu dan cu so {a}")
        for c in ctx.communes
        for a in range(1, AREAS + 1)
    ]
    bulk_insert(ResidentialArea, areas)
    campaigns = [
        Campaign(
            office=ctx.offices[c.pk], kind=Campaign.Kind.MOVEMENT,
            title="Toàn dân đoàn kết xây dựng nông thôn mới, đô thị văn minh",
            start_on=dt.date(ctx.year, 1, 1),
        )
        for c in ctx.communes
    ]  # fmt: skip
    bulk_insert(Campaign, campaigns)
    indicators = [
        Indicator(
            campaign=campaign, code=str(i + 1), name=INDICATOR_NAMES[i], kind=KINDS[i % 3],
            level="area" if i >= INDICATORS - AREA_INDICATORS else "commune",
            period_kind="month", min_value=Decimal(0), max_value=Decimal(1000), order=i,
        )
        for campaign in campaigns
        for i in range(INDICATORS)
    ]  # fmt: skip
    bulk_insert(Indicator, indicators)
    values: list[Any] = []
    submissions: list[Any] = []
    for n, commune in enumerate(ctx.communes):
        own = areas[n * AREAS : (n + 1) * AREAS]
        for ind in indicators[n * INDICATORS : (n + 1) * INDICATORS]:
            for unit in own if ind.level == "area" else [None]:
                for period in months:
                    number, numerator, denominator, flag = figure(ind.kind, rng)
                    values.append(
                        Value(
                            indicator=ind, commune=commune, area=unit, period=period,
                            year=ctx.year, number=number, numerator=numerator,
                            denominator=denominator, flag=flag,
                        )
                    )  # fmt: skip
        submissions += [
            Submission(
                campaign=campaigns[n], commune=commune, period=period, year=ctx.year,
                status=rng.choice(SUBMISSION_STATUSES),
            )
            for period in months
            if rng.random() < 0.93
        ]  # fmt: skip
    bulk_insert(Value, values)
    bulk_insert(Submission, submissions)
    from khoi.campaigns.rollup import rebuild_province_totals

    rebuild_province_totals()  # written in bulk, not through the services
    return {
        "org.ResidentialArea": len(areas),
        "campaigns.Campaign": len(campaigns),
        "campaigns.Indicator": len(indicators),
        "campaigns.Value": len(values),
        "campaigns.Submission": len(submissions),
    }


def register() -> None:
    register_generator("campaigns", generate_campaigns, after=("org",))
