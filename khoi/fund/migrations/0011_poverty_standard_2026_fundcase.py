"""The poverty standard for 2026–2030, as data, marked unconfirmed.

Searched on 2026-12-02 with the project's search tool (stored public web pages and
documentation), query "chuẩn nghèo đa chiều giai đoạn 2026-2030":

- tapchikinhtetaichinh.vn, "Dự thảo Nghị định quy định chuẩn nghèo đa chiều quốc gia giai
  đoạn 2026-2030": a **draft** decree prepared by the Ministry of Agriculture and Environment
  (Bộ Nông nghiệp và Môi trường); provinces may set a higher local standard. No number, no
  date of signature, no thresholds were found.
- baothanhhoa.vn: Decree 30/2025/NĐ-CP amended Decree 07/2021/NĐ-CP (the 2022–2025 standard);
  nothing about 2026–2030.

No issued decree was found, so the row is marked unconfirmed in its name and its source and
``verified`` stays False. Without it no poverty status can be recorded for 2026 onwards; the
office replaces the source (admin) once the decree is issued and read.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import migrations

CODE = "cn-2026-2030-du-thao"
NAME = "Chuẩn nghèo đa chiều quốc gia giai đoạn 2026–2030 (chưa xác nhận: mới thấy dự thảo)"
SOURCE = (
    "Dự thảo Nghị định quy định chuẩn nghèo đa chiều quốc gia giai đoạn 2026–2030 "
    "(Bộ Nông nghiệp và Môi trường), theo tapchikinhtetaichinh.vn; chưa tìm thấy nghị định "
    "đã ban hành (tra cứu 02/12/2026)"
)


def load(apps: Any, schema_editor: Any) -> None:
    model = apps.get_model("fund", "PovertyStandard")
    model.objects.get_or_create(
        code=CODE,
        defaults={
            "name": NAME,
            "source": SOURCE,
            "valid_from": datetime.date(2026, 1, 1),
            "valid_to": datetime.date(2030, 12, 31),
            "verified": False,
        },
    )


def unload(apps: Any, schema_editor: Any) -> None:
    apps.get_model("fund", "PovertyStandard").objects.filter(code=CODE, verified=False).delete()


class Migration(migrations.Migration):
    dependencies = [("fund", "0010_housing_amount_recheck")]

    operations = [migrations.RunPython(load, unload)]
