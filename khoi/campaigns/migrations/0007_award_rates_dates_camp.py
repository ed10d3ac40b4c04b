"""Rates of commendation by the decree in force, with their dates and sources.

- Decree 91/2017/NĐ-CP was signed on 31/07/2017 and took effect on 01/10/2017: its rows
  start on 01/10/2017 (they started on the signing date).
- Before it, Decree 42/2010/NĐ-CP (amended by Decree 65/2014/NĐ-CP): rows added from
  01/06/2010 to 30/09/2017. Their coefficients (the same as Decree 91/2017's) and the date
  the decree took effect could not be checked against the text here: each row's reviewer's
  note says so.
- Decree 152/2025/NĐ-CP (from 01/07/2025): the collective's provincial certificate of merit,
  twice an individual's 1.5 (the rule of the earlier decrees) = 3.0, not checked against
  the text of the decree: its note says so.
- The base salary (mức lương tối thiểu chung, then mức lương cơ sở) before 2016, so that an
  amount can be computed for any date in force of these rows.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db import migrations

D = datetime.date
SIGNED_91, EFFECT_91 = D(2017, 7, 31), D(2017, 10, 1)
FROM_42, DECREE_152 = D(2010, 6, 1), D(2025, 7, 1)
UNCHECKED = "chưa đối chiếu được với văn bản (hệ số và ngày hiệu lực)"
SOURCE_42 = (
    "Luật Thi đua, khen thưởng 2003 (sửa đổi 2005, 2013); Nghị định 42/2010/NĐ-CP, sửa đổi bởi "
    "Nghị định 65/2014/NĐ-CP"
)
CITATION_42 = (
    "Nghị định số 42/2010/NĐ-CP của Chính phủ quy định chi tiết thi hành một số điều của Luật "
    "Thi đua, khen thưởng, được sửa đổi, bổ sung bởi Nghị định số 65/2014/NĐ-CP"
)
CODES = [
    "giay-khen-ca-nhan",
    "giay-khen-tap-the",
    "bang-khen-tinh-ca-nhan",
    "bang-khen-tinh-tap-the",
    "co-thi-dua-tinh",
]
BASE_SALARIES = [
    (730_000, D(2010, 5, 1), "Nghị định 28/2010/NĐ-CP (mức lương tối thiểu chung)"),
    (830_000, D(2011, 5, 1), "Nghị định 22/2011/NĐ-CP (mức lương tối thiểu chung)"),
    (1_050_000, D(2012, 5, 1), "Nghị định 31/2012/NĐ-CP (mức lương tối thiểu chung)"),
    (1_150_000, D(2013, 7, 1), "Nghị định 66/2013/NĐ-CP (mức lương cơ sở)"),
]
COLLECTIVE_152 = (
    "bang-khen-tinh-tap-the",
    "3.0",
    "Luật Thi đua, khen thưởng 2022; Nghị định 152/2025/NĐ-CP: tập thể gấp 2 lần cá nhân (1,5)",
    "chưa đối chiếu được với văn bản",
)


def forwards(apps: Any, schema_editor: Any) -> None:
    AwardForm = apps.get_model("campaigns", "AwardForm")
    BaseSalary = apps.get_model("campaigns", "BaseSalary")
    for amount, since, source in BASE_SALARIES:
        BaseSalary.objects.get_or_create(
            valid_from=since, defaults={"amount": amount, "source": source}
        )
    # Decree 91/2017: in force from its effect date, not its signing date
    for form in AwardForm.objects.filter(valid_from=SIGNED_91):
        if AwardForm.objects.filter(code=form.code, valid_from=EFFECT_91).exists():
            continue
        AwardForm.objects.filter(pk=form.pk).update(valid_from=EFFECT_91)
    # the rows of the earlier decree, before it
    created: dict[str, Any] = {}
    for code in CODES:
        later = AwardForm.objects.filter(code=code, valid_from=EFFECT_91).first()
        if later is None or AwardForm.objects.filter(code=code, valid_from=FROM_42).exists():
            continue
        created[code] = AwardForm.objects.create(
            code=code,
            name=later.name,
            kind=later.kind,
            nominee=later.nominee,
            coefficient=later.coefficient,
            source=SOURCE_42[:300],
            citation=CITATION_42[:300],
            review_note=UNCHECKED,
            valid_from=FROM_42,
            valid_until=EFFECT_91 - datetime.timedelta(days=1),
            prerequisite_years=later.prerequisite_years,
        )
        created[code]._prerequisite_code = (
            AwardForm.objects.get(pk=later.prerequisite_id).code if later.prerequisite_id else None
        )
    for form in created.values():
        need = created.get(form._prerequisite_code or "")
        if need is not None:
            AwardForm.objects.filter(pk=form.pk).update(prerequisite_id=need.pk)
    # the collective's provincial certificate of merit under Decree 152/2025
    code, coef, source, note = COLLECTIVE_152
    current = (
        AwardForm.objects.filter(code=code, valid_from__lt=DECREE_152)
        .order_by("-valid_from")
        .first()
    )
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
        citation="Nghị định số 152/2025/NĐ-CP của Chính phủ",
        review_note=note,
        valid_from=DECREE_152,
        valid_until=None,
        prerequisite_id=current.prerequisite_id,
        prerequisite_years=current.prerequisite_years,
    )


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0006_award_citation_camp")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
