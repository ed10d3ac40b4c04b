"""A form of commendation keeps apart the legal citation a decision prints and the reviewer's
note on whether its rate was checked (the note used to be in the source and was printed)."""

from __future__ import annotations

import datetime
import re
from typing import Any

from django.db import migrations, models

D = datetime.date
CITATIONS = {
    D(2017, 7, 31): "Nghị định số 91/2017/NĐ-CP ngày 31/7/2017 của Chính phủ quy định chi tiết "
    "thi hành một số điều của Luật Thi đua, khen thưởng",
    D(2024, 1, 1): "Nghị định số 98/2023/NĐ-CP ngày 31/12/2023 của Chính phủ quy định chi tiết "
    "thi hành một số điều của Luật Thi đua, khen thưởng",
    D(2025, 7, 1): "Nghị định số 152/2025/NĐ-CP của Chính phủ",
}


def split(source: str) -> tuple[str, str]:
    """("source without the reviewer's words", "the reviewer's note")."""
    notes = []
    text = source
    if " — " in text:
        text, rest = text.split(" — ", 1)
        notes.append(rest.strip())
    m = re.search(r"\s*\(((?:đã|chưa) đối chiếu[^)]*)\)", text)
    if m:
        notes.insert(0, m.group(1).strip())
        text = text[: m.start()] + text[m.end() :]
    return text.strip()[:300], "; ".join(notes)[:300]


def forwards(apps: Any, schema_editor: Any) -> None:
    AwardForm = apps.get_model("campaigns", "AwardForm")
    for form in AwardForm.objects.all():
        source, note = split(form.source)
        AwardForm.objects.filter(pk=form.pk).update(
            source=source, review_note=note, citation=CITATIONS.get(form.valid_from, "")
        )


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0005_award_record_office_camp")]

    operations = [
        migrations.AddField(
            model_name="awardform",
            name="citation",
            field=models.CharField(
                blank=True,
                help_text="The decree as a decision cites it, e.g. “Decree No. 98/2023/ND-CP of the Government”.",
                max_length=300,
                verbose_name="legal basis (printed in decisions)",
            ),
        ),
        migrations.AddField(
            model_name="awardform",
            name="review_note",
            field=models.CharField(
                blank=True, max_length=300, verbose_name="reviewer's note (never printed)"
            ),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
