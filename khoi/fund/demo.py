"""The seed's 2017 Quảng Yên appraisal of new-build and repair support (load_demo).

Every household name here is illustrative ("minh họa"): the seed names no beneficiary.
"""

from __future__ import annotations

import datetime
import importlib
import io

from khoi.accounts.models import User
from khoi.fund import housing, services
from khoi.fund.models import Entry, Fund, HousingAmount, HousingKind
from khoi.org.models import AdminUnit, JointOffice

D = datetime.date
REPORTER_COMMUNES = ("Phường Hà An", "Xã Tiền Phong")
ILLUSTRATIVE = "(tên minh họa)"
# Every demo household's name carries it, wherever the name is shown (case and household
# pages, ledger entries, the public disclosure pages and their .xlsx).
MARK = "(minh họa)"
# Every demo entry is dated on or before the demo's "today" (khoi.org.demo.DEMO_DATE,
# 20/10/2017): the peak month opened on 17/10, the first decision and tranche follow.

HOUSEHOLDS = [
    # head, birth year, area, kind, ticks, members
    ("Nguyễn Văn Thắng", 1952, "Khu 3", "new", ("poverty", "house_state", "land", "priority"),
     [{"name": "Trần Thị Nụ", "birth_year": 1955}]),
    ("Vũ Thị Lành", 1948, "Khu 7", "new", ("poverty", "house_state", "land"), []),
    ("Phạm Văn Toản", 1960, "Thôn 2", "repair", ("poverty", "house_state"),
     [{"name": "Đỗ Thị Mến", "birth_year": 1962}]),
    ("Đào Thị Hồng", 1957, "Thôn 5", "repair", ("poverty", "land"), []),
]  # fmt: skip


def demo_photo() -> bytes:
    """A small real PNG (the photos are decoded when uploaded)."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 6), (150, 110, 70)).save(buffer, "PNG")
    return buffer.getvalue()


def ensure_reference_data() -> None:
    """The poverty standards, housing amounts and criteria the migrations load.

    A database flush (``manage.py flush``, or the reset between transactional tests) empties
    them with everything else; the demo puts them back when they are missing.
    """
    from django.apps import apps

    for name in (
        "0004_poverty_standards",
        "0006_housing_data",
        "0007_acceptance_roles",
        "0008_housing_amount_sources",
        "0011_poverty_standard_2026_fundcase",
        "0012_housing_amounts_fundcase",
    ):
        module = importlib.import_module(f"khoi.fund.migrations.{name}")
        module.load(apps, None)


# No Quảng Ninh repair level of 2016–2017 was found: an illustrative value, for the demo only.
DEMO_REPAIR_SOURCE = "Mức minh họa cho bản demo (không tìm thấy mức sửa chữa của tỉnh)"


def _demo_repair_level(town: AdminUnit) -> None:
    province = town.province
    if province is None:
        return
    HousingAmount.objects.get_or_create(
        kind=HousingKind.REPAIR, province=province, year_from=2016,
        programme="Giá trị minh họa (demo)",
        defaults={"year_to": 2020, "amount": 15_000_000, "source": DEMO_REPAIR_SOURCE,
                  "note": "Không phải số liệu thật: tra cứu 02/12/2026 không tìm thấy mức "
                          "hỗ trợ sửa chữa nhà của tỉnh Quảng Ninh năm 2016–2017.",
                  "verified": False},
    )  # fmt: skip


def load_fund_demo() -> None:
    ensure_reference_data()
    office = JointOffice.objects.filter(code="quang-yen").first()
    if office is None or Fund.objects.filter(office=office).exists():
        return
    head = User.objects.filter(username="truongkhoi").first()
    staff = User.objects.filter(username="canbo").first()
    # the communes of the demo's commune reporters (phuongha-an, tienphong) first, so that
    # each sees households of their own commune and can propose cases for them
    in_town = AdminUnit.objects.subtree(office.unit).filter(level=3)
    communes = list(in_town.filter(name__in=REPORTER_COMMUNES).order_by("name"))
    communes = communes or list(in_town.order_by("name")[:2])
    if head is None or staff is None or not communes:
        return
    _demo_repair_level(office.unit)
    fund = services.do_create_fund(
        None, name="Quỹ Vì người nghèo thị xã Quảng Yên", unit=office.unit,
        level=Fund.Level.TOWN, office=office, running_cost_cap_percent=5,
    )  # fmt: skip
    services.do_add_accountant(None, fund, staff)
    peak = services.do_create_campaign(
        None, fund, name="Tháng cao điểm “Vì người nghèo” năm 2017",
        start_on=D(2017, 10, 17), end_on=D(2017, 11, 18),
    )  # fmt: skip
    for day, kind, name, amount in [
        (D(2017, 10, 17), "organization", "Công ty Than Quảng Yên (minh họa)", 150_000_000),
        (D(2017, 10, 18), "organization", "Ngân hàng chính sách xã hội thị xã (minh họa)", 50_000_000),
        (D(2017, 10, 19), "anonymous", "", 5_000_000),
        (D(2017, 10, 20), "person", "Cán bộ, công chức cơ quan Khối", 12_500_000),
    ]:  # fmt: skip
        services.do_post_receipt(staff, fund, amount=amount, date=day, donor_kind=kind,
                                 donor_name=name, channel=Entry.Channel.TRANSFER,
                                 campaign=peak)  # fmt: skip
    png = demo_photo()
    for i, (name, born, area, kind, ticks, members) in enumerate(HOUSEHOLDS):
        household = services.do_create_household(
            None, unit=communes[i % len(communes)], head_name=f"{name} {MARK}",
            head_birth_year=born, area_name=area,
            members=[{**m, "name": f"{m['name']} {MARK}"} for m in members],
            source=f"Ủy ban MTTQ {ILLUSTRATIVE}",
        )  # fmt: skip
        services.do_set_poverty_status(None, household, year=2017, status="poor")
        case = housing.do_propose_case(staff, household, fund, year=2017, kind=kind,
                                       note=f"Hộ {ILLUSTRATIVE}")  # fmt: skip
        housing.do_verify_case(staff, case)
        housing.do_appraise_case(staff, case, checklist=dict.fromkeys(ticks, True),
                                 photos=[("hien-trang.png", png)])  # fmt: skip
        if i == 0:
            housing.do_approve_case(head, case)
            housing.do_issue_decision(staff, case, issued_on=D(2017, 10, 19))
            housing.do_pay_tranche(staff, case, tranche=1, date=D(2017, 10, 20))
