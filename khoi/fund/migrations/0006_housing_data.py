"""Default housing support amounts and appraisal criteria, as data with their source.

None of these rows is marked verified: the 60 / 30 million VND of the 2024–2025 national
drive to eliminate temporary and dilapidated houses (launched by the Prime Minister on
13/4/2024) is widely reported but its decision was not re-read here; the 40 / 20 million
for 2016–2023 are the levels of the sub-project on housing of the national target
programme for sustainable poverty reduction as commonly cited, equally unchecked. Provinces
set their own levels (often higher); the office enters them in the admin with the source.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

AMOUNTS = [
    ("new", 2016, 2023, 40_000_000,
     "Mức hỗ trợ phổ biến của tiểu dự án nhà ở, CTMTQG giảm nghèo bền vững (chưa đối chiếu văn bản)"),
    ("repair", 2016, 2023, 20_000_000,
     "Mức hỗ trợ phổ biến của tiểu dự án nhà ở, CTMTQG giảm nghèo bền vững (chưa đối chiếu văn bản)"),
    ("new", 2024, None, 60_000_000,
     "Phong trào xóa nhà tạm, nhà dột nát do Thủ tướng phát động ngày 13/4/2024 (chưa đối chiếu văn bản)"),
    ("repair", 2024, None, 30_000_000,
     "Phong trào xóa nhà tạm, nhà dột nát do Thủ tướng phát động ngày 13/4/2024 (chưa đối chiếu văn bản)"),
]  # fmt: skip

CRITERIA = [
    ("poverty", "Hộ nghèo, cận nghèo theo chuẩn đang áp dụng", 3),
    ("house_state", "Nhà tạm, dột nát, hư hỏng nặng, không bảo đảm an toàn", 3),
    ("land", "Có đất ở hợp pháp, không tranh chấp", 2),
    ("priority", "Thuộc đối tượng ưu tiên (người có công, người cao tuổi cô đơn, khuyết tật…)", 2),
    ("self_help", "Có khả năng đối ứng, huy động người thân, dòng họ cùng làm", 1),
]


def load(apps: Any, schema_editor: Any) -> None:
    amount = apps.get_model("fund", "HousingAmount")
    for kind, start, end, value, source in AMOUNTS:
        amount.objects.get_or_create(
            kind=kind, province=None, year_from=start,
            defaults={"year_to": end, "amount": value, "source": source, "verified": False},
        )  # fmt: skip
    criterion = apps.get_model("fund", "AppraisalCriterion")
    for order, (code, label, points) in enumerate(CRITERIA):
        criterion.objects.get_or_create(
            province=None, code=code, defaults={"label": label, "points": points, "order": order}
        )


def unload(apps: Any, schema_editor: Any) -> None:
    apps.get_model("fund", "HousingAmount").objects.filter(province=None).delete()
    apps.get_model("fund", "AppraisalCriterion").objects.filter(province=None).delete()


class Migration(migrations.Migration):
    dependencies = [("fund", "0005_housing")]

    operations = [migrations.RunPython(load, unload)]
