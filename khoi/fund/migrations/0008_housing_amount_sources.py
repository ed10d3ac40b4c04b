"""The national housing amounts: the sources they are believed to come from, checked honestly.

Re-checked on 2026-12-01 with the project's search tool (public web pages): none of the
decision texts below could be found and read, so every row stays ``verified=False`` and its
source now says which document is believed to set it and that it was not read.

- 40 / 20 million VND (new / repair): the level of Project 5 (housing support for poor and
  near-poor households in poor districts) of the national target programme for sustainable
  poverty reduction 2021–2025, believed to be Decision 90/QĐ-TTg of 18/01/2022. It is
  **not** the level of 2016–2020 (the 2016–2020 policy, Decision 33/2015/QĐ-TTg, was
  a preferential loan, not a grant): the row keeps its years (2016–2023) so that the
  2017 demo keeps an amount, and its source says so.
- 60 / 30 million VND from 2024: the level widely reported for the 2024–2025 drive to
  eliminate temporary and dilapidated houses (launched by the Prime Minister on 13/4/2024),
  believed to follow the level for people with meritorious services (Decision
  21/2024/QĐ-TTg); the drive's own decision for poor households was not found.

Provinces and the Front's own funds set their own levels (the office enters them in the
admin, with the source and ``verified`` once read).
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

SOURCES = {
    (2016, "new"): (
        "40 triệu đồng/hộ: mức của Dự án 5 (hỗ trợ nhà ở), CTMTQG giảm nghèo bền vững "
        "2021–2025, được cho là Quyết định 90/QĐ-TTg ngày 18/01/2022 — chưa đọc được văn bản "
        "(tra cứu 01/12/2026); giai đoạn 2016–2020 là vay ưu đãi theo QĐ 33/2015/QĐ-TTg, "
        "không phải mức này"
    ),
    (2016, "repair"): (
        "20 triệu đồng/hộ: mức của Dự án 5 (hỗ trợ nhà ở), CTMTQG giảm nghèo bền vững "
        "2021–2025, được cho là Quyết định 90/QĐ-TTg ngày 18/01/2022 — chưa đọc được văn bản "
        "(tra cứu 01/12/2026); giai đoạn 2016–2020 là vay ưu đãi theo QĐ 33/2015/QĐ-TTg, "
        "không phải mức này"
    ),
    (2024, "new"): (
        "60 triệu đồng/hộ: mức được nêu rộng rãi của phong trào xóa nhà tạm, nhà dột nát "
        "(Thủ tướng phát động 13/4/2024), được cho là theo mức hỗ trợ người có công "
        "(QĐ 21/2024/QĐ-TTg) — chưa đọc được văn bản (tra cứu 01/12/2026)"
    ),
    (2024, "repair"): (
        "30 triệu đồng/hộ: mức được nêu rộng rãi của phong trào xóa nhà tạm, nhà dột nát "
        "(Thủ tướng phát động 13/4/2024), được cho là theo mức hỗ trợ người có công "
        "(QĐ 21/2024/QĐ-TTg) — chưa đọc được văn bản (tra cứu 01/12/2026)"
    ),
}


def load(apps: Any, schema_editor: Any) -> None:
    amount = apps.get_model("fund", "HousingAmount")
    for (year_from, kind), source in SOURCES.items():
        amount.objects.filter(province=None, kind=kind, year_from=year_from, verified=False).update(
            source=source
        )


class Migration(migrations.Migration):
    dependencies = [("fund", "0007_acceptance_roles")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
