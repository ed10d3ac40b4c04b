"""The reward coefficients checked against published copies of the decrees (2026-12-01).

- Decree 91/2017/NĐ-CP (in force from 1/10/2017): Article 69 sets the emulation flag of a
  ministry, sector or province at 8.0 times the base salary (the 15.5 entered before was
  wrong: that is a hero title's rate); Article 73 sets the certificate of merit of a
  province at 1.0, a letter of commendation at 0.3 (0.15 for a commune chairman's), and a
  collective's reward at twice an individual's (Article 73, clause 2).
- Decree 98/2023/NĐ-CP (from 1/1/2024): Article 54 keeps the provincial emulation flag at
  8.0 (checked). The certificate of merit and the letter of commendation (Article 58) could
  not be checked in the copies available: the former rates are kept and their source says
  so.
- Decree 152/2025/NĐ-CP (from 1/7/2025): Article 54, clause 1 raises an individual's
  provincial certificate of merit to 1.5 (checked): a new version of that form. The other
  rates of that decree were not checked; their rows say so.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db import migrations

D = datetime.date
OLD, NEW, DECREE_152 = D(2017, 7, 31), D(2024, 1, 1), D(2025, 7, 1)

LAW_OLD = (
    "Luật Thi đua, khen thưởng 2003 (sửa đổi 2013); Nghị định 91/2017/NĐ-CP (hiệu lực 01/10/2017)"
)
LAW_NEW = "Luật Thi đua, khen thưởng 2022 (06/2022/QH15); Nghị định 98/2023/NĐ-CP"
NOT_CHECKED = "chưa đối chiếu được với văn bản; từ 01/7/2025 áp dụng Nghị định 152/2025/NĐ-CP, hệ số chưa đối chiếu"

# (code, valid_from): (coefficient, source)
SOURCES = {
    ("giay-khen-ca-nhan", OLD): ("0.3", f"{LAW_OLD}, Điều 73 khoản 1: 0,3 lần (đã đối chiếu)"),
    ("giay-khen-tap-the", OLD): (
        "0.6",
        f"{LAW_OLD}, Điều 73 khoản 2: gấp 2 lần cá nhân (đã đối chiếu)",
    ),
    ("bang-khen-tinh-ca-nhan", OLD): ("1.0", f"{LAW_OLD}, Điều 73 khoản 1: 1,0 lần (đã đối chiếu)"),
    ("bang-khen-tinh-tap-the", OLD): (
        "2.0",
        f"{LAW_OLD}, Điều 73 khoản 2: gấp 2 lần cá nhân (đã đối chiếu)",
    ),
    ("co-thi-dua-tinh", OLD): (
        "8.0",
        f"{LAW_OLD}, Điều 69: cờ thi đua cấp bộ, ngành, tỉnh 8,0 lần (đã đối chiếu; trước ghi nhầm 15,5)",
    ),
    ("giay-khen-ca-nhan", NEW): ("0.3", f"{LAW_NEW}, Điều 58: 0,3 lần — {NOT_CHECKED}"),
    ("giay-khen-tap-the", NEW): ("0.6", f"{LAW_NEW}, Điều 58: gấp 2 lần cá nhân — {NOT_CHECKED}"),
    ("bang-khen-tinh-ca-nhan", NEW): (
        "1.0",
        f"{LAW_NEW}, Điều 58: 1,0 lần — chưa đối chiếu được với văn bản",
    ),
    ("bang-khen-tinh-tap-the", NEW): (
        "2.0",
        f"{LAW_NEW}, Điều 58: gấp 2 lần cá nhân — {NOT_CHECKED}",
    ),
    ("co-thi-dua-tinh", NEW): (
        "8.0",
        f"{LAW_NEW}, Điều 54: cờ thi đua của bộ, ban, ngành, tỉnh 8,0 lần (đã đối chiếu) — từ 01/7/2025 áp dụng Nghị định 152/2025/NĐ-CP, hệ số chưa đối chiếu",
    ),
}
NEW_152 = (
    "bang-khen-tinh-ca-nhan",
    "1.5",
    "Luật Thi đua, khen thưởng 2022; Nghị định 152/2025/NĐ-CP, Điều 54 khoản 1: bằng khen của bộ, ban, ngành, tỉnh 1,5 lần (đã đối chiếu)",
)


def forwards(apps: Any, schema_editor: Any) -> None:
    AwardForm = apps.get_model("campaigns", "AwardForm")
    for (code, since), (coef, source) in SOURCES.items():
        AwardForm.objects.filter(code=code, valid_from=since).update(
            coefficient=Decimal(coef), source=source[:300]
        )
    code, coef, source = NEW_152
    current = AwardForm.objects.filter(code=code, valid_from=NEW).first()
    if current is None or AwardForm.objects.filter(code=code, valid_from=DECREE_152).exists():
        return
    AwardForm.objects.filter(pk=current.pk).update(
        valid_until=DECREE_152 - datetime.timedelta(days=1)
    )
    AwardForm.objects.create(
        code=code,
        name=current.name,
        kind=current.kind,
        nominee=current.nominee,
        coefficient=Decimal(coef),
        source=source[:300],
        valid_from=DECREE_152,
        valid_until=None,
        prerequisite_id=current.prerequisite_id,
        prerequisite_years=current.prerequisite_years,
    )


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0003_reminder")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
