"""The national housing amounts, searched for once more (2026-12-01, second search).

What the project's search tool (stored public web pages and documentation) returned:

- vnews.gov.vn, 20/01/2022: the Prime Minister "has just signed the decision approving the
  national target programme for sustainable poverty reduction 2021–2025" (at least 75,000
  billion VND, 48,000 billion from the central budget). The page names neither the
  decision's number nor its date nor any housing amount. The number 90/QĐ-TTg of
  18/01/2022 that the earlier rows cite was **not** found in any page returned.
- vietnamplus.vn, 19/08/2025: the 2024–2025 drive to eliminate temporary and dilapidated
  houses was completed in all 34 provinces by 17/08/2025 (334,234 houses built or
  repaired), against the target of Resolution 42-NQ/TW of 24/11/2023 of the Party Central
  Committee. The page gives no amount per house and no decision setting one.
- baogialai.com.vn (April 2025, Mang Yang district): in the drive, "each house built is
  supported with 60 million VND and a repair with 30 million VND" — a press report of the
  amounts, not the text that sets them (searched again by the integrator).
- giaoducthoidai.vn: Decision 22/2013/QĐ-TTg of 26/4/2013 (housing for people with
  meritorious services) gives 40 / 20 million VND (rebuild / repair) — another programme,
  not used here.
- Nothing else was found for 60 / 30 million VND (new / repair), for Decision 21/2024/QĐ-TTg,
  for Decision 167/2008/QĐ-TTg or for Decision 33/2015/QĐ-TTg and their amounts.

So no amount could be confirmed: every national row stays ``verified=False``; its source
now says what was found and what was not (no article is cited, none was read). The
office enters the amounts of its province in the admin, with the source and ``verified``
once the text has been read.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

_PRESS_ONLY = "; tra cứu 01/12/2026: văn bản quy định mức này chưa tìm thấy, chưa xác minh"
_NOT_FOUND = "; tra cứu lại 01/12/2026: không tìm thấy văn bản quy định mức này, chưa xác minh"

SOURCES = {
    (2016, "new"): (
        "40 triệu đồng/hộ: mức thường nêu của Dự án 5 (nhà ở), CTMTQG giảm nghèo bền vững "
        "2021–2025 (Thủ tướng ký phê duyệt CT theo vnews.gov.vn 20/01/2022; số, ngày, điều "
        "của quyết định chưa đọc được)" + _NOT_FOUND
    ),
    (2016, "repair"): (
        "20 triệu đồng/hộ: mức thường nêu của Dự án 5 (nhà ở), CTMTQG giảm nghèo bền vững "
        "2021–2025 (Thủ tướng ký phê duyệt CT theo vnews.gov.vn 20/01/2022; số, ngày, điều "
        "của quyết định chưa đọc được)" + _NOT_FOUND
    ),
    (2024, "new"): (
        "60 triệu đồng/căn xây mới: phong trào xóa nhà tạm, nhà dột nát 2024–2025 (mục tiêu "
        "NQ 42-NQ/TW 24/11/2023); mức này do báo Gia Lai (baogialai.com.vn, 4/2025, huyện "
        "Mang Yang) nêu" + _PRESS_ONLY
    ),
    (2024, "repair"): (
        "30 triệu đồng/căn sửa chữa: phong trào xóa nhà tạm, nhà dột nát 2024–2025 (mục tiêu "
        "NQ 42-NQ/TW 24/11/2023); mức này do báo Gia Lai (baogialai.com.vn, 4/2025, huyện "
        "Mang Yang) nêu" + _PRESS_ONLY
    ),
}

MAX_SOURCE = 300  # HousingAmount.source


def load(apps: Any, schema_editor: Any) -> None:
    amount = apps.get_model("fund", "HousingAmount")
    for (year_from, kind), source in SOURCES.items():
        assert len(source) <= MAX_SOURCE, (year_from, kind, len(source))
        amount.objects.filter(province=None, kind=kind, year_from=year_from, verified=False).update(
            source=source
        )


class Migration(migrations.Migration):
    dependencies = [("fund", "0009_running_costs_cap_label")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
