"""The register's by-body summary, shared by the page and the API.

The summary counts the recommendations **awaiting an answer** per body (and how many of them
are overdue): the bodies to chase. It reads the open rows only, through the partial covering
indexes on (body key, due date) of the open rows, national and per office, which include
the body's name: counting the due dates and nothing else read, PostgreSQL answers from the index
alone, and the cost follows the open rows, not the register's whole history (most rows are
answered). One query: the totals over every body (open, overdue) come with it as window
sums, so that the list of the open or overdue recommendations needs no count query.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import BigIntegerField, Count, Func, Min, Q, QuerySet

from khoi.oversight.models import Recommendation

OPEN = Recommendation.Status.OPEN


class _OverAll(Func):
    """``SUM(<aggregate>) OVER ()``: an aggregate's total over every group, on each row of a
    grouped query (Django's ``Window(Sum(Count(…)))`` is refused as an aggregate of one)."""

    template = "SUM(%(expressions)s) OVER ()"
    contains_over_clause = True
    output_field = BigIntegerField()


@dataclass
class OpenByBody:
    rows: list[dict[str, Any]] = field(default_factory=list)
    total_open: int = 0
    total_overdue: int = 0


def open_by_body(qs: QuerySet[Recommendation], today: datetime.date, limit: int) -> OpenByBody:
    """The ``limit`` bodies with the most overdue (then open) recommendations among ``qs``'s
    open rows, and the totals over all bodies. One query."""
    rows: list[dict[str, Any]] = [
        dict(row)
        for row in qs.filter(status=OPEN)
        .order_by()
        .values("body_key")
        .annotate(
            body=Min("body"),
            open=Count("due_on"),
            overdue=Count("due_on", filter=Q(due_on__lt=today)),
            all_open=_OverAll(Count("due_on")),
            all_overdue=_OverAll(Count("due_on", filter=Q(due_on__lt=today))),
        )
        .order_by("-overdue", "-open", "body_key")[:limit]
    ]
    if not rows:
        return OpenByBody()
    return OpenByBody(rows, int(rows[0]["all_open"]), int(rows[0]["all_overdue"]))
