"""Paging of the lists on server-rendered pages, shared by every app (no app imports).

:func:`paginate` never fails on what a user or a crawler puts in ``?page=``: a missing
or unreadable number gives the first page, a number past the end (however large) the
last page. :func:`page_number` is the same reading for code that pages by hand (the API).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest

# Longer than any real page count; longer numbers are read as "past the end".
MAX_DIGITS = 9


def page_number(raw: object, last: int | None = None) -> int:
    """The page asked for, between 1 and ``last`` (when known): a number that is not a
    positive integer reads as 1, one past the end (however large) as ``last``."""
    text = str(raw or "").strip()
    if not text.isascii() or not text.isdigit():
        return 1
    number = int(text) if len(text) <= MAX_DIGITS else None
    if last is not None:
        last = max(last, 1)
        return last if number is None or number > last else max(number, 1)
    return max(number or 1, 1) if number is not None else 10**MAX_DIGITS


def paginate(
    request: HttpRequest, qs: QuerySet[Any] | list[Any], per_page: int | None = None
) -> Page:
    """One page of ``qs`` for ``?page=`` (see the module docstring)."""
    paginator = Paginator(qs, per_page or settings.KHOI_PAGE_SIZE)
    return paginator.page(page_number(request.GET.get("page"), paginator.num_pages))
