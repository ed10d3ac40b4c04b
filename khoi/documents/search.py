"""Searching the register: notation, summary words (with or without diacritics), issuer,
date range. Shared by the pages and the API."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from khoi.documents.models import Document
from khoi.lib import docnumber
from khoi.lib.vntext import fold


def parse_day(text: str) -> datetime.date | None:
    """dd/mm/yyyy or yyyy-mm-dd; None when empty or not a date."""
    text = (text or "").strip()
    try:
        if "/" in text:
            day, month, year = (int(p) for p in text.split("/"))
            return datetime.date(year, month, day)
        return datetime.date.fromisoformat(text) if text else None
    except ValueError:
        return None


@dataclass
class Criteria:
    q: str = ""
    issuer: str = ""
    direction: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    doc_type: str = ""


def search(qs: QuerySet[Document], c: Criteria) -> QuerySet[Document]:
    text = c.q.strip()
    if text:
        parsed = docnumber.try_parse(text)
        if parsed is not None:
            qs = qs.filter(notation=docnumber.format(parsed))
        else:
            words = fold(text).split()
            by_words = Q()
            for word in words:
                by_words &= Q(summary_folded__contains=word)
            qs = qs.filter(by_words | Q(notation__icontains=text.upper()))
    if c.issuer.strip():
        issuer = c.issuer.strip()
        qs = qs.filter(Q(issuing_body__icontains=issuer) | Q(issuer_code__iexact=issuer.upper()))
    if c.direction in Document.Direction.values:
        qs = qs.filter(direction=c.direction)
    if c.doc_type:
        qs = qs.filter(doc_type__iexact=c.doc_type)
    if c.date_from:
        qs = qs.filter(issued_on__gte=c.date_from)
    if c.date_to:
        qs = qs.filter(issued_on__lte=c.date_to)
    return qs
