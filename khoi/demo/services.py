"""Setting the product's date (the demo loader's one write here)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction

from khoi import clock
from khoi.audit import services as audit
from khoi.demo.models import ProductDate


@transaction.atomic
def do_set_product_date(actor: Any, day: datetime.date, note: str = "") -> ProductDate:
    """Store the day the demo shows (read when ``KHOI_CLOCK_DATE=demo``)."""
    row = ProductDate.objects.select_for_update().filter(pk=1).first()
    if row is None:
        row = ProductDate.objects.create(pk=1, date=day, note=note)
        audit.record(actor, "demo.set_date", row, {"date": [None, day], "note": [None, note]})
    elif (row.date, row.note) != (day, note):
        audit.update_fields(actor, row, {"date": day, "note": note}, "demo.set_date")
    clock.clear_cache()
    return row
