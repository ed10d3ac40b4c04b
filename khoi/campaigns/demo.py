"""The seed's 2017 campaign and movement, the KDC văn hóa ATGT model, a year of quarterly
figures from the town's communes, a cluster ranking and a few commendation proposals.

The campaign, movement and model names are the seed's; every figure is illustrative
(generated deterministically, marked as such in the descriptions). Idempotent.
"""

from __future__ import annotations

import datetime
import hashlib
from decimal import Decimal
from typing import Any

from django.db import transaction

from khoi.campaigns import access, rollup, services
from khoi.campaigns.models import Campaign, Indicator, Submission, Value
from khoi.org import services as org_services
from khoi.org.models import (
    AdminUnit,
    JointOffice,
    Membership,
    Organization,
    Person,
    ResidentialArea,
)

D = datetime.date
ILLUSTRATIVE = "Số liệu minh họa (demo), không phải số liệu thật."


def _n(*parts: object, low: int = 0, high: int = 100) -> int:
    digest = hashlib.sha256("|".join(map(str, parts)).encode()).digest()
    return low + int.from_bytes(digest[:4], "big") % (high - low + 1)


def _reporters(communes: list[AdminUnit]) -> dict[int, Any]:
    rows = Membership.objects.filter(
        role=Membership.Role.REPORTER, organization__unit__in=communes, person__user__isnull=False
    ).select_related("person__user", "organization")
    return {m.organization.unit_id: m.person.user for m in rows}  # type: ignore[union-attr]


@transaction.atomic
def load_campaigns_demo() -> None:
    office = JointOffice.objects.filter(code="quang-yen").select_related("unit").first()
    if office is None or Campaign.objects.filter(office=office).exists():
        return
    head = Person.objects.get(full_name="Lê Đức Trà").user
    # Statutory rows come from migration 0002; a flushed database (transactional tests)
    # has lost them, so load them again (idempotent).
    from django.apps import apps

    from khoi.campaigns.statutory import load

    load(apps)
    orgs = list(office.organizations.all())
    communes = list(access.office_communes(office).order_by("name"))
    ha_an = next((c for c in communes if "Hà An" in c.name), communes[0])
    for name in ("Khu 1", "Khu 2", "Khu 3"):
        if not ResidentialArea.objects.filter(commune=ha_an, name=name).exists():
            org_services.do_add_residential_area(head, ha_an, name, ResidentialArea.Kind.AREA)
    # every commune reports the area-level indicators: each gets two illustrative areas
    # (the seed names only Hà An's), unless it already has some
    with_areas = set(
        ResidentialArea.objects.filter(commune__in=communes).values_list("commune_id", flat=True)
    )
    for c in communes:
        if c.pk not in with_areas:
            for name in ("Khu dân cư số 1 (minh họa)", "Khu dân cư số 2 (minh họa)"):
                org_services.do_add_residential_area(head, c, name, ResidentialArea.Kind.AREA)
    campaign = services.do_create_campaign(
        head,
        office,
        kind=Campaign.Kind.CAMPAIGN,
        title="Người Việt Nam ưu tiên dùng hàng Việt Nam",
        start_on=D(2017, 1, 1),
        organizations=orgs,
        description=ILLUSTRATIVE,
        criteria="Tuyên truyền về cuộc vận động trong cán bộ, hội viên và nhân dân\n"
        "Doanh nghiệp, cơ sở kinh doanh đăng ký hưởng ứng\nNgười tiêu dùng ưu tiên hàng Việt",
    )
    services.do_issue_launch_document(
        head, campaign, issued_on=D(2017, 2, 10), signer="Nguyễn Văn Hùng"
    )
    movement = services.do_create_campaign(
        head,
        office,
        kind=Campaign.Kind.MOVEMENT,
        title="Toàn dân đoàn kết xây dựng nông thôn mới, đô thị văn minh",
        start_on=D(2017, 1, 1),
        organizations=orgs,
        description=ILLUSTRATIVE,
        criteria="Gia đình văn hóa\nKhu dân cư văn hóa\nHỗ trợ hộ nghèo, xây nhà Đại đoàn kết",
    )
    services.do_issue_launch_document(
        head, movement, issued_on=D(2017, 2, 20), signer="Nguyễn Văn Hùng"
    )
    Q = Indicator.PeriodKind.QUARTER
    c1 = services.do_add_indicator(
        head,
        campaign,
        code="1",
        name="Buổi tuyên truyền về cuộc vận động",
        kind="number",
        level="commune",
        period_kind=Q,
        unit_of_measure="buổi",
        min_value=Decimal(0),
        max_value=Decimal(500),
    )
    c2 = services.do_add_indicator(
        head,
        campaign,
        code="2",
        name="Người được hỏi ưu tiên dùng hàng Việt",
        kind="percent",
        level="commune",
        period_kind=Q,
        min_value=Decimal(0),
        max_value=Decimal(100),
    )
    m1 = services.do_add_indicator(
        head,
        movement,
        code="1",
        name="Hộ đạt danh hiệu Gia đình văn hóa",
        kind="percent",
        level="area",
        period_kind=Q,
        min_value=Decimal(0),
        max_value=Decimal(100),
    )
    m2 = services.do_add_indicator(
        head,
        movement,
        code="2",
        name="Nhà Đại đoàn kết khởi công",
        kind="number",
        level="commune",
        period_kind=Q,
        unit_of_measure="nhà",
        min_value=Decimal(0),
        max_value=Decimal(100),
    )
    m3 = services.do_add_indicator(
        head,
        movement,
        code="3",
        name="Khu dân cư ra mắt mô hình tự quản",
        kind="yesno",
        level="area",
        period_kind=Q,
    )
    for c in communes:
        services.do_set_target(
            head, m2, commune=c, year=2017, value=Decimal(_n(c.pk, "t", low=2, high=6))
        )
    reporters = _reporters(communes)
    areas: dict[int, list[ResidentialArea]] = {}
    for a in ResidentialArea.objects.filter(commune__in=communes).order_by("name"):
        areas.setdefault(a.commune_id, []).append(a)
    # A year of figures up to the demo's October: Q1–Q2 approved, Q3 mostly in.
    for q in (1, 2, 3):
        period = f"2017-Q{q}"
        for i, c in enumerate(communes):
            if q == 3 and i % 6 == 5:
                continue  # not reported yet
            actor = reporters.get(c.pk)
            if actor is None:
                # Communes without a demo login: the same figures, bulk-loaded (no audit
                # entries), so that the demo stays fast.
                _bulk_figures(
                    c, q, i, campaign, movement, (c1, c2, m2, m1, m3), areas.get(c.pk, [])
                )
                continue
            services.do_save_figures(
                actor,
                campaign,
                c,
                period,
                [
                    services.CellInput(c1.pk, value=str(_n(c.pk, q, "c1", low=2, high=20))),
                    services.CellInput(
                        c2.pk, numerator=str(_n(c.pk, q, "c2", low=60, high=95)), denominator="100"
                    ),
                ],
            )
            cells = [services.CellInput(m2.pk, value=str(_n(c.pk, q, "m2", low=0, high=3)))]
            for a in areas.get(c.pk, []):
                households = _n(a.pk, "hh", low=120, high=300)
                cells.append(
                    services.CellInput(
                        m1.pk,
                        a.pk,
                        numerator=str(households * _n(a.pk, q, low=80, high=95) // 100),
                        denominator=str(households),
                    )
                )
                cells.append(
                    services.CellInput(
                        m3.pk, a.pk, value="Có" if _n(a.pk, q, "m3") > 30 else "Không"
                    )
                )
            services.do_save_figures(actor, movement, c, period, cells)
            for camp in (campaign, movement):
                services.do_submit_figures(actor, camp, c, period)
                sub = Submission.objects.get(campaign=camp, commune=c, period=period)
                if q < 3 or i % 3 == 0:
                    services.do_approve_figures(head, sub)
    # the bulk-loaded figures did not go through the services: their province totals are
    # rebuilt from all the figures (the saved ones included) once
    for camp in (campaign, movement):
        rollup.rebuild_province_totals(camp)
    model = services.do_create_model(
        head,
        office,
        name="Khu dân cư văn hóa an toàn giao thông",
        short_name="KDC văn hóa ATGT",
        campaign=movement,
        description=ILLUSTRATIVE,
    )
    for a in areas.get(ha_an.pk, [])[:2]:
        services.do_recognise_model(
            head, model, commune=ha_an, area=a, recognised_on=D(2015, 11, 18)
        )
        services.do_recognise_model(
            head, model, commune=ha_an, area=a, recognised_on=D(2017, 9, 20)
        )
    for c in communes[:5]:
        if c.pk != ha_an.pk:
            services.do_recognise_model(
                head, model, commune=c, area=None, recognised_on=D(2016, 11, 18)
            )
    for a in areas.get(ha_an.pk, []):
        services.do_record_solidarity_day(
            head,
            office,
            area=a,
            year=2016,
            held_on=D(2016, 11, 18),
            participants=_n(a.pk, "p", low=150, high=400),
            funds_raised=_n(a.pk, "f", low=5, high=30) * 1_000_000,
        )
    cluster = services.do_create_cluster(
        head, office, name="Cụm thi đua các xã, phường (minh họa)", kind="communes", units=communes
    )
    services.do_set_scoring_table(
        head,
        cluster,
        year=2017,
        base_points=Decimal(0),
        campaign=movement,
        criteria=[
            services.CriterionInput(
                "Hộ đạt Gia đình văn hóa", Decimal(40), "indicator", indicator=m1
            ),
            services.CriterionInput(
                "Nhà Đại đoàn kết so với chỉ tiêu", Decimal(30), "indicator", indicator=m2
            ),
            services.CriterionInput("Công tác tuyên truyền, vận động", Decimal(30), "manual"),
            services.CriterionInput("Điểm thưởng: mô hình mới", Decimal(5), "manual", kind="bonus"),
        ],
    )
    table = cluster.tables.get(year=2017)
    manual, bonus = list(table.criteria.filter(source="manual").order_by("order"))
    for member in cluster.members.all():
        services.do_score_by_hand(
            head,
            manual,
            member,
            points=Decimal(_n(member.pk, "s", low=18, high=30)),
            note="Chấm theo báo cáo 9 tháng (minh họa)",
        )
        if member.unit_id == ha_an.pk:
            services.do_score_by_hand(
                head, bonus, member, points=Decimal(3), note="Mô hình KDC văn hóa ATGT"
            )
        services.do_record_pledge(
            head,
            member,
            year=2017,
            signed_on=D(2017, 2, 15),
            content="Giao ước thi đua năm 2017 (minh họa)",
        )
    women = next((o for o in orgs if o.kind == Organization.Kind.WOMEN), orgs[0])
    front = next((o for o in orgs if o.kind == Organization.Kind.FRONT), orgs[0])
    services.do_propose_award(
        head,
        office,
        proposer=front,
        form_code="giay-khen-tap-the",
        nominee_name=f"Ban Công tác Mặt trận {ha_an.name} - Khu 1",
        year=2017,
        achievement="Xây dựng mô hình KDC văn hóa ATGT (minh họa)",
        campaign=movement,
    )
    services.do_propose_award(
        head,
        office,
        proposer=women,
        form_code="giay-khen-ca-nhan",
        nominee_name="Nguyễn Thị Lan (minh họa)",
        year=2017,
        achievement="Vận động hội viên ưu tiên dùng hàng Việt (minh họa)",
        campaign=campaign,
    )


def _bulk_figures(
    c: AdminUnit, q: int, i: int, campaign: Campaign, movement: Campaign,
    indicators: tuple[Indicator, ...], areas: list[ResidentialArea],
) -> None:  # fmt: skip
    c1, c2, m2, m1, m3 = indicators
    period = f"2017-Q{q}"
    rows = [
        Value(indicator=c1, commune=c, period=period, year=2017,
              number=Decimal(_n(c.pk, q, "c1", low=2, high=20))),
        Value(indicator=c2, commune=c, period=period, year=2017,
              numerator=Decimal(_n(c.pk, q, "c2", low=60, high=95)), denominator=Decimal(100)),
        Value(indicator=m2, commune=c, period=period, year=2017,
              number=Decimal(_n(c.pk, q, "m2", low=0, high=3))),
    ]  # fmt: skip
    for a in areas:
        households = _n(a.pk, "hh", low=120, high=300)
        rows.append(Value(indicator=m1, commune=c, area=a, period=period, year=2017,
                          numerator=Decimal(households * _n(a.pk, q, low=80, high=95) // 100),
                          denominator=Decimal(households)))  # fmt: skip
        rows.append(Value(indicator=m3, commune=c, area=a, period=period, year=2017,
                          flag=_n(a.pk, q, "m3") > 30))  # fmt: skip
    Value.objects.bulk_create(rows)
    approved = q < 3 or i % 3 == 0
    status = Submission.Status.APPROVED if approved else Submission.Status.SUBMITTED
    Submission.objects.bulk_create(
        Submission(campaign=camp, commune=c, period=period, year=2017, status=status)
        for camp in (campaign, movement)
    )
