"""Duplicate supervisions: the overlap engine of ``khoi/lib/overlap.py`` applied to the
yearly programmes (two organizations planning to supervise the same body on the same
subject in the same months).

The supervised body takes the place of the engine's unit (``"b:<body key>"``, the body's
name with abbreviations expanded, so "UBND xã Hà An" and "Ủy ban nhân dân xã Hà An" are
one body); the subject is the text compared; the planned months are the dates, with no
window around them (the same months only).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from khoi.lib import overlap as engine
from khoi.org.models import JointOffice
from khoi.oversight.models import Supervision
from khoi.oversight.models.recommendations import body_key

WINDOW_DAYS = 0
# The same body is certain here (it is the engine's "unit"), so the engine's score, which
# rewards a shared place, says little: a warning needs subjects this alike (chosen on the
# hand-labelled programme of bench/oversight/duplicates.py, seeds 1-2; see bench/README.md).
MIN_SIMILARITY = 0.25


def _record(s: Supervision) -> engine.Activity:
    return engine.Activity(
        id=s.pk,
        org=str(s.organization_id),
        kind="supervision",
        title=s.subject,
        description="",
        units=(f"b:{s.body_key}",),
        start=s.planned_from,
        end=s.planned_until,
    )


@dataclass(frozen=True)
class Warning:
    """Two planned supervisions of different organizations that look like one."""

    first: Supervision
    second: Supervision
    score: float
    overlap_days: int
    matched_words: tuple[str, ...]
    similarity: float = 0.0  # of the subjects alone

    @property
    def percent(self) -> int:
        return int(self.score * 100 + 0.5)


def _candidates(office: JointOffice, start: datetime.date, end: datetime.date) -> list[Supervision]:
    return list(
        Supervision.objects.filter(office=office, planned_from__lte=end, planned_until__gte=start)
        .exclude(status=Supervision.Status.CANCELLED)
        .select_related("organization")
    )


def pairs_among(supervisions: Iterable[Supervision], parallel: bool = False) -> list[Warning]:
    """Every pair of different organizations' supervisions that overlap, most certain first
    (``parallel`` only outside web processes: the engine may fork)."""
    items = list(supervisions)
    by_id = {s.pk: s for s in items}
    groups = engine.find_groups([_record(s) for s in items], {}, WINDOW_DAYS, parallel=parallel)
    out: list[Warning] = []
    for reason in (r for g in groups for r in g.reasons):
        first, second = sorted((by_id[reason.ids[0]], by_id[reason.ids[1]]), key=lambda s: s.pk)
        if first.organization_id == second.organization_id or reason.similarity < MIN_SIMILARITY:
            continue
        out.append(
            Warning(
                first,
                second,
                reason.score,
                reason.overlap_days,
                reason.matched_words,
                reason.similarity,
            )
        )
    out.sort(key=lambda w: (-w.score, w.first.pk, w.second.pk))
    return out


def programme_warnings(office: JointOffice, year: int) -> list[Warning]:
    """The duplicate-supervision warnings of the office's programmes for ``year``."""
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    return pairs_among(_candidates(office, start, end))


def warnings_for(supervision: Supervision) -> list[Warning]:
    """Other organizations' supervisions overlapping this one (its page and form)."""
    return draft_warnings(
        supervision.office,
        organization_id=supervision.organization_id,
        subject=supervision.subject,
        body=supervision.body,
        planned_from=supervision.planned_from,
        planned_until=supervision.planned_until,
        exclude_id=supervision.pk,
    )


def draft_warnings(
    office: JointOffice,
    *,
    organization_id: int,
    subject: str,
    body: str,
    planned_from: datetime.date,
    planned_until: datetime.date,
    exclude_id: int | None = None,
    limit: int = 10,
) -> list[Warning]:
    """Warnings for a supervision being planned (not saved yet, or being edited)."""
    candidates = [s for s in _candidates(office, planned_from, planned_until) if s.pk != exclude_id]
    index = engine.OverlapIndex({}, WINDOW_DAYS)
    index.add_all([_record(s) for s in candidates], parallel=False)
    draft = Supervision(
        pk=exclude_id or 0,
        office=office,
        organization_id=organization_id,
        subject=subject,
        body=body,
        body_key=body_key(body),
        planned_from=planned_from,
        planned_until=planned_until,
    )
    by_id = {s.pk: s for s in candidates}
    out = []
    for reason in index.suggest(_record(draft), limit=limit * 2):
        other = by_id.get(reason.ids[1])
        if other is None or other.organization_id == organization_id:
            continue
        if reason.similarity < MIN_SIMILARITY:
            continue
        out.append(
            Warning(
                draft,
                other,
                reason.score,
                reason.overlap_days,
                reason.matched_words,
                reason.similarity,
            )
        )
    return out[:limit]
