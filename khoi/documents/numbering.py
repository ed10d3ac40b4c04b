"""Outgoing numbering: which series a document belongs to, and the next number in it.

- State-format documents (Decree 30/2020/NĐ-CP; the Front's own documents follow this form
  too, per Guidance 91/HD-MTTW-BTT) are numbered per issuing body per calendar year:
  series ``state/<ISSUER>/<year>``; every type shares it (``01/BC-MTTQ``, ``02/KH-MTTQ``…)
  and numbering restarts on 1 January.
- Incoming documents get the register's serial number ("số đến"), series ``in/<year>``.
- Party-format documents (Guidance 36-HD/VPTW) are numbered per type per committee term:
  series ``party/<TYPE>/<ISSUER>/<term start year>``.

:func:`take_number` locks the series' counter row (``SELECT … FOR UPDATE``) so that two
people issuing at the same moment never get the same number; the document is saved in
the same transaction, and a unique constraint on (office, series, number) backs it up.
"""

from __future__ import annotations

import datetime
from typing import Final

from django.conf import settings
from django.db import IntegrityError, transaction

from khoi.documents.models import NumberCounter
from khoi.org.models import JointOffice

# Party committee terms (nhiệm kỳ) begin with the congresses; the district-level congresses
# of the terms 2015–2020, 2020–2025 and 2025–2030 were held in the middle of the year.
DEFAULT_TERM_STARTS: Final = tuple(datetime.date(y, 7, 1) for y in range(2000, 2051, 5))


def term_starts() -> tuple[datetime.date, ...]:
    custom = getattr(settings, "KHOI_PARTY_TERM_STARTS", None)
    if custom:
        return tuple(sorted(datetime.date.fromisoformat(str(d)) for d in custom))
    return DEFAULT_TERM_STARTS


def term_start(day: datetime.date) -> datetime.date:
    """The start of the committee term that ``day`` falls in."""
    starts = [s for s in term_starts() if s <= day]
    return starts[-1] if starts else datetime.date(day.year - day.year % 5, 7, 1)


def series_key(system: str, issuer: str, doc_type: str | None, day: datetime.date) -> str:
    if system == "party":
        return f"party/{doc_type or ''}/{issuer}/{term_start(day).year}"
    return f"state/{issuer}/{day.year}"


def _counter(office: JointOffice, key: str) -> NumberCounter:
    """The counter row of a series, locked until the end of the caller's transaction."""
    locked = NumberCounter.objects.select_for_update()
    counter = locked.filter(office=office, key=key).first()
    if counter is not None:
        return counter
    try:
        with transaction.atomic():
            NumberCounter.objects.create(office=office, key=key)
    except IntegrityError:  # another writer created it first: wait for its lock
        pass
    return locked.get(office=office, key=key)


def take_number(office: JointOffice, key: str) -> int:
    """The next number of a series. Must run inside the transaction that saves the document."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("take_number must run inside a transaction")
    counter = _counter(office, key)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


def note_number(office: JointOffice, key: str, number: int) -> None:
    """A number given by hand: later automatic numbers continue after it."""
    counter = _counter(office, key)
    if number > counter.last_number:
        counter.last_number = number
        counter.save(update_fields=["last_number"])


def peek_next(office: JointOffice, key: str) -> int:
    counter = NumberCounter.objects.filter(office=office, key=key).first()
    return (counter.last_number if counter else 0) + 1
