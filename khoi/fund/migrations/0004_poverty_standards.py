"""The poverty standards in force since 2011, as data with their source.

``verified`` stays False: the decision numbers and periods are well known, but their texts
were not re-read against an official copy when this migration was written. Later
standards are added in the admin (or a new migration) with their source.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import migrations

STANDARDS = [
    ("qd-09-2011", "Chuẩn hộ nghèo, cận nghèo giai đoạn 2011–2015",
     "Quyết định số 09/2011/QĐ-TTg ngày 30/01/2011 của Thủ tướng Chính phủ",
     datetime.date(2011, 1, 1), datetime.date(2015, 12, 31)),
    ("qd-59-2015", "Chuẩn nghèo tiếp cận đa chiều giai đoạn 2016–2020 (áp dụng đến hết 2021)",
     "Quyết định số 59/2015/QĐ-TTg ngày 19/11/2015 của Thủ tướng Chính phủ",
     datetime.date(2016, 1, 1), datetime.date(2021, 12, 31)),
    ("nd-07-2021", "Chuẩn nghèo đa chiều giai đoạn 2022–2025",
     "Nghị định số 07/2021/NĐ-CP ngày 27/01/2021 của Chính phủ",
     datetime.date(2022, 1, 1), datetime.date(2025, 12, 31)),
]  # fmt: skip


def load(apps: Any, schema_editor: Any) -> None:
    model = apps.get_model("fund", "PovertyStandard")
    for code, name, source, start, end in STANDARDS:
        model.objects.update_or_create(
            code=code,
            defaults={"name": name, "source": source, "valid_from": start, "valid_to": end},
        )


def unload(apps: Any, schema_editor: Any) -> None:
    apps.get_model("fund", "PovertyStandard").objects.filter(
        code__in=[s[0] for s in STANDARDS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("fund", "0003_households")]

    operations = [migrations.RunPython(load, unload)]
