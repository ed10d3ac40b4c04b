"""The state of recommendations at a date (the end of a reporting period), from the dates of
their answers, never from today's status: a recommendation of 30/06 answered on 01/09 is
open (and overdue if its due date passed) in the first half-year's report and answered in
the second's.

``outcome_at`` is the outcome of the latest answer dated on or before the end (rows made
before answers were stored separately fall back to their own status and answer date);
``answered_at`` is that answer's date. A withdrawn recommendation has no date of
withdrawal, so it is never counted open.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Case, F, OuterRef, Q, QuerySet, Subquery, When
from django.db.models.functions import Coalesce

from khoi import clock
from khoi.oversight.models import Recommendation, RecommendationAnswer

ANSWERED = (
    Recommendation.Status.ACCEPTED,
    Recommendation.Status.PARTLY,
    Recommendation.Status.REJECTED,
)


def at_end(recs: QuerySet[Recommendation], end: datetime.date) -> QuerySet[Recommendation]:
    """``recs`` made on or before ``end``, annotated with ``outcome_at`` and ``answered_at``."""
    last = RecommendationAnswer.objects.filter(
        recommendation=OuterRef("pk"), answered_on__lte=end
    ).order_by("-answered_on", "-id")
    own = Q(answered_on__lte=end, status__in=ANSWERED)
    return recs.filter(issued_on__lte=end).annotate(
        outcome_at=Coalesce(
            Subquery(last.values("outcome")[:1]), Case(When(own, then=F("status")))
        ),
        answered_at=Coalesce(
            Subquery(last.values("answered_on")[:1]), Case(When(own, then=F("answered_on")))
        ),
    )


def conditions(start: datetime.date, end: datetime.date) -> dict[str, Any]:
    """Q objects on a queryset from :func:`at_end`: made in the period, answered in the
    period, open at its end, overdue at its end (due before the end, or before today while
    the period runs)."""
    open_q = Q(outcome_at__isnull=True) & ~Q(status=Recommendation.Status.WITHDRAWN)
    return {
        "made": Q(issued_on__gte=start),
        "answered": Q(answered_at__gte=start),
        "open": open_q,
        "overdue": open_q & Q(due_on__lt=min(end, clock.today())),
    }
