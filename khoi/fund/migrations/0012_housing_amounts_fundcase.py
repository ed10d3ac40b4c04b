"""The housing amounts rewritten from the legal research of 2026-12-02 (search tools only).

``source`` now holds the citation only (it is printed on the case page and the decision);
``programme`` says which programme and which households a level is for; ``note`` says what
was and was not verified. Every row stays ``verified=False``: only press reports quoting
the texts were read, never the texts themselves.

National rows after this migration:

- 40 / 20 million VND (new / repair), 2022–2025: Project 5 (housing) of the national target
  programme for sustainable poverty reduction 2021–2025, poor and near-poor households of
  poor districts. Decision 90/QĐ-TTg of 18/01/2022 approves the programme (its number, date
  and signer were found; the excerpt shows no amount); Circular 01/2022/TT-BXD (in force
  15/8/2022) guides the housing support and is quoted for the 40 / 20 million; Circular
  55/2023/TT-BTC (15/8/2023) for "up to 40 million per household" from the State budget.
- 60 / 30 million VND, 2024–2025: the 2024–2025 drive to eliminate temporary and dilapidated
  houses, poor and near-poor households: decided by the Prime Minister at the first meeting
  of the Central Steering Committee on 10/11/2024, raising 50 / 25 million. No document
  number was found: the citation says so.
- Before 2022: **no national grant row**. Decision 33/2015/QĐ-TTg (phase 2 of Programme 167,
  from 1/10/2015) gave a preferential **loan** of up to 25 million VND per household, not a
  grant; the grants of those years were set by provinces and the Front's own funds, so the
  office enters its province's level (admin) or the amount by hand when proposing a case.

Province rows: Quảng Ninh, new build, 2016–2020: 25 million VND non-refundable from the
province's budget (alongside the 25 million loan of Decision 33/2015/QĐ-TTg), reported by
the CAND newspaper on 2/11/2016 for 154 households. Created for every level-1 unit coded 22
that exists when this runs (the demo loads the units later and calls ``load`` again). No
Quảng Ninh repair level was found: the demo adds an illustrative one of its own.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations, models

PROGRAMME_P5 = "Dự án 5 CTMTQG giảm nghèo bền vững 2021–2025: hộ nghèo, cận nghèo huyện nghèo"
SOURCE_P5 = (
    "QĐ 90/QĐ-TTg ngày 18/01/2022 (Dự án 5); TT 01/2022/TT-BXD (hiệu lực 15/8/2022); "
    "TT 55/2023/TT-BTC"
)
NOTE_P5 = (
    "Tra cứu 02/12/2026 (chỉ đọc báo, chưa đọc văn bản): QĐ 90/QĐ-TTg 18/01/2022 — số, ngày, "
    "người ký thấy trên dulieuphapluat.vn, trích đoạn không nêu mức nhà ở; mức 40/20 triệu "
    "từ 15/8/2022 theo TT 01/2022/TT-BXD (en.vietnamplus.vn); TT 55/2023/TT-BTC 'hỗ trợ xây "
    "nhà đến 40 triệu đồng/hộ' (baotuyenquang.com.vn). Chỉ áp dụng cho Dự án 5."
)
PROGRAMME_DRIVE = "Phong trào xóa nhà tạm, nhà dột nát 2024–2025: hộ nghèo, cận nghèo"
SOURCE_DRIVE = (
    "Quyết định của Thủ tướng tại phiên họp thứ nhất Ban Chỉ đạo Trung ương ngày 10/11/2024 "
    "(không tìm thấy số văn bản)"
)
NOTE_DRIVE = (
    "Tra cứu 02/12/2026 (chỉ đọc báo): nâng từ 50/25 triệu lên 60/30 triệu, hiệu lực ngay "
    "(en.vneconomy.vn; baogialai.com.vn). Không tìm thấy số, ngày của văn bản quy định; cũng "
    "không tìm thấy văn bản quy định mức 50/25 triệu trước đó."
)
NATIONAL = [
    # kind, from, to, amount, programme, source, note
    ("new", 2022, 2025, 40_000_000, PROGRAMME_P5, SOURCE_P5, NOTE_P5),
    ("repair", 2022, 2025, 20_000_000, PROGRAMME_P5, SOURCE_P5, NOTE_P5),
    ("new", 2024, 2025, 60_000_000, PROGRAMME_DRIVE, SOURCE_DRIVE, NOTE_DRIVE),
    ("repair", 2024, 2025, 30_000_000, PROGRAMME_DRIVE, SOURCE_DRIVE, NOTE_DRIVE),
]

QUANG_NINH_CODE = "22"
QUANG_NINH = [
    (
        "new", 2016, 2020, 25_000_000,
        "QĐ 33/2015/QĐ-TTg giai đoạn 2, hộ có hoàn cảnh đặc biệt khó khăn: phần hỗ trợ của tỉnh",
        "25 triệu đồng hỗ trợ không hoàn lại từ ngân sách tỉnh (QĐ 33/2015/QĐ-TTg giai đoạn 2), "
        "theo báo CAND 2/11/2016",
        "Tra cứu 02/12/2026 (chỉ đọc báo): en.cand.com.vn 2/11/2016 — 154 hộ được vay 25 triệu "
        "đồng và hỗ trợ không hoàn lại 25 triệu đồng từ ngân sách tỉnh. Khoản vay không tính "
        "vào mức này. Chưa đọc văn bản của tỉnh quy định mức; năm áp dụng 2016–2020 theo giai "
        "đoạn 2 của QĐ 33/2015/QĐ-TTg.",
    ),
]  # fmt: skip

MAX_SOURCE = 300  # HousingAmount.source


def load(apps: Any, schema_editor: Any) -> None:
    amount = apps.get_model("fund", "HousingAmount")
    unit = apps.get_model("org", "AdminUnit")
    # the earlier national rows (0006, sources rewritten by 0008 / 0010) go: none was verified
    amount.objects.filter(
        province=None, verified=False, programme="", year_from__in=[2016, 2024]
    ).delete()
    for kind, start, end, value, programme, source, note in NATIONAL:
        assert len(source) <= MAX_SOURCE
        amount.objects.update_or_create(
            kind=kind, province=None, year_from=start, programme=programme,
            defaults={"year_to": end, "amount": value, "source": source, "note": note,
                      "verified": False},
        )  # fmt: skip
    for province in unit.objects.filter(level=1, code=QUANG_NINH_CODE):
        for kind, start, end, value, programme, source, note in QUANG_NINH:
            assert len(source) <= MAX_SOURCE
            amount.objects.get_or_create(
                kind=kind, province=province, year_from=start, programme=programme,
                defaults={"year_to": end, "amount": value, "source": source, "note": note,
                          "verified": False},
            )  # fmt: skip


class Migration(migrations.Migration):
    dependencies = [
        ("fund", "0011_poverty_standard_2026_fundcase"),
        ("org", "0002_deputy_and_delegation"),
    ]

    operations = [
        migrations.AddField(
            model_name="housingamount",
            name="note",
            field=models.TextField(blank=True, verbose_name="verification note"),
        ),
        migrations.AddField(
            model_name="housingamount",
            name="programme",
            field=models.CharField(
                blank=True, max_length=200, verbose_name="programme and beneficiaries"
            ),
        ),
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
