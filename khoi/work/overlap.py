"""The bridge between the database and the overlap engine in ``khoi/lib/overlap.py``.

Units are given to the engine as ``"u<id>"`` (administrative units) and ``"a<id>"``
(residential areas, whose parent is their commune); the containment map comes from the
ancestor columns, so nothing walks the tree in Python.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet

from khoi.lib import overlap as engine
from khoi.org.models import AdminUnit, JointOffice, ResidentialArea
from khoi.work.models import Activity, JointActivity, JointAddition, OverlapDismissal

WINDOW_DAYS = engine.DEFAULT_WINDOW_DAYS


def unit_key(unit_id: int) -> str:
    return f"u{unit_id}"


def area_key(area_id: int) -> str:
    return f"a{area_id}"


def _parents_for(unit_ids: set[int], area_ids: set[int], office: JointOffice) -> dict[str, str]:
    """child → parent for the units involved (and the office's own unit as the top)."""
    parents: dict[str, str] = {}
    rows = AdminUnit.objects.filter(pk__in=unit_ids | {office.unit_id}).values_list(
        "pk", "parent_id"
    )
    for pk, parent_id in rows:
        if parent_id is not None:
            parents[unit_key(pk)] = unit_key(parent_id)
    # Ancestors of those parents (a district's province) for containment across levels.
    more = AdminUnit.objects.filter(
        pk__in={int(v[1:]) for v in parents.values()} - unit_ids
    ).values_list("pk", "parent_id")
    for pk, parent_id in more:
        if parent_id is not None:
            parents[unit_key(pk)] = unit_key(parent_id)
    for pk, commune_id in ResidentialArea.objects.filter(pk__in=area_ids).values_list(
        "pk", "commune_id"
    ):
        parents[area_key(pk)] = unit_key(commune_id)
    return parents


def with_targets(qs: QuerySet[Activity]) -> QuerySet[Activity]:
    return qs.select_related("organization", "joint").prefetch_related(
        Prefetch("target_units", queryset=AdminUnit.objects.only("pk", "name")),
        Prefetch("target_areas", queryset=ResidentialArea.objects.only("pk", "name", "commune_id")),
    )


def _record(
    a: Activity, office: JointOffice, units: Sequence[int], areas: Sequence[int]
) -> engine.Activity:
    keys = tuple(unit_key(u) for u in units) + tuple(area_key(r) for r in areas)
    return engine.Activity(
        id=a.pk,
        org=str(a.organization_id),
        kind=a.kind,
        title=a.title,
        description=a.description,
        units=keys or (unit_key(office.unit_id),),  # "the whole unit" when no target
        start=a.start_on,
        end=a.end_on,
    )


def records(activities: Iterable[Activity], office: JointOffice) -> list[engine.Activity]:
    return [
        _record(
            a,
            office,
            [u.pk for u in a.target_units.all()],
            [r.pk for r in a.target_areas.all()],
        )
        for a in activities
    ]


@dataclass(frozen=True)
class Draft:
    """An activity being typed (not saved yet, or being edited)."""

    office: JointOffice
    organization_id: int
    kind: str
    title: str
    description: str
    start_on: datetime.date
    end_on: datetime.date
    unit_ids: tuple[int, ...] = ()
    area_ids: tuple[int, ...] = ()
    activity_id: int | None = None


@dataclass(frozen=True)
class Suggestion:
    activity: Activity
    score: float
    reason: engine.PairReason
    units: list[str]
    text: str

    @property
    def percent(self) -> int:
        """The certainty as shown everywhere (form, activity page, API): whole percent."""
        return percent(self.score)


def percent(score: float) -> int:
    return int(score * 100 + 0.5)


def _unit_names(keys: Iterable[str]) -> dict[str, str]:
    keys = list(keys)
    unit_ids = [int(k[1:]) for k in keys if k.startswith("u")]
    area_ids = [int(k[1:]) for k in keys if k.startswith("a")]
    names = {
        unit_key(pk): name
        for pk, name in AdminUnit.objects.filter(pk__in=unit_ids).values_list("pk", "name")
    }
    names.update(
        {
            area_key(pk): name
            for pk, name in ResidentialArea.objects.filter(pk__in=area_ids).values_list(
                "pk", "name"
            )
        }
    )
    return names


def describe(reason: engine.PairReason, names: dict[str, str]) -> tuple[list[str], str]:
    """Readable shared units and the Vietnamese sentence of a pair reason."""
    shared = [names.get(k, k) for k in reason.shared_units]
    contained = [f"{names.get(i, i)} thuộc {names.get(o, o)}" for o, i in reason.contained_units]
    renamed = engine.PairReason(
        ids=reason.ids,
        score=reason.score,
        similarity=reason.similarity,
        family=reason.family,
        shared_units=tuple(shared),
        contained_units=(),
        overlap_days=reason.overlap_days,
        gap_days=reason.gap_days,
        matched_words=reason.matched_words,
    )
    text = renamed.describe()
    if contained:
        text = "; ".join(contained) + "; " + text
    return shared + contained, text


def _dismissed_pairs(ids: Iterable[int]) -> set[tuple[int, int]]:
    ids = list(ids)
    rows = OverlapDismissal.objects.filter(Q(first_id__in=ids) | Q(second_id__in=ids))
    return set(rows.values_list("first_id", "second_id"))


def _candidates(
    office: JointOffice, start: datetime.date, end: datetime.date
) -> QuerySet[Activity]:
    window = datetime.timedelta(days=WINDOW_DAYS)
    return with_targets(
        Activity.objects.filter(
            office=office, start_on__lte=end + window, end_on__gte=start - window
        ).exclude(status=Activity.Status.CANCELLED)
    )


def _same_joint(a: Activity, b: Activity) -> bool:
    return (
        a.joint_id is not None
        and a.joint_id == b.joint_id
        and a.joint is not None
        and a.joint.status != JointActivity.Status.DISSOLVED
    )


def suggest(draft: Draft, limit: int = 10) -> list[Suggestion]:
    """Activities of other organizations that overlap the draft, most certain first.

    The activity being edited is never indexed, so its words do not weigh in the
    frequencies: the certainty is the same while it is typed and once it is saved.
    """
    qs = _candidates(draft.office, draft.start_on, draft.end_on)
    if draft.activity_id:
        qs = qs.exclude(pk=draft.activity_id)
    candidates = list(qs)
    recs = records(candidates, draft.office)
    unit_ids = {int(k[1:]) for r in recs for k in r.units if k.startswith("u")} | set(
        draft.unit_ids
    )
    area_ids = {int(k[1:]) for r in recs for k in r.units if k.startswith("a")} | set(
        draft.area_ids
    )
    index = engine.OverlapIndex(_parents_for(unit_ids, area_ids, draft.office), WINDOW_DAYS)
    index.add_all(recs, parallel=False)  # never fork inside a web process
    draft_rec = _record(
        Activity(
            pk=draft.activity_id or 0,
            organization_id=draft.organization_id,
            kind=draft.kind,
            title=draft.title,
            description=draft.description,
            start_on=draft.start_on,
            end_on=draft.end_on,
        ),
        draft.office,
        draft.unit_ids,
        draft.area_ids,
    )
    reasons = index.suggest(draft_rec, limit=limit * 2)
    by_id = {a.pk: a for a in candidates}
    dismissed = _dismissed_pairs([draft.activity_id]) if draft.activity_id else set()
    names = _unit_names(
        {k for r in reasons for k in (*r.shared_units, *(x for p in r.contained_units for x in p))}
    )
    out: list[Suggestion] = []
    for reason in reasons:
        other = by_id[reason.ids[1]]
        if draft.activity_id and tuple(sorted((draft.activity_id, other.pk))) in dismissed:
            continue
        units, text = describe(reason, names)
        out.append(Suggestion(other, reason.score, reason, units, text))
    return out[:limit]


@dataclass(frozen=True)
class Group:
    activities: list[Activity]
    score: float
    pairs: list[tuple[Activity, Activity, str]]
    # Joint work some members already belong to, and the members still free to join.
    joints: list[JointActivity]
    free: list[Activity]
    pending: dict[int, JointActivity]  # activity id → joint work it awaits approval for

    @property
    def percent(self) -> int:
        return percent(self.score)


def active_joint(a: Activity) -> JointActivity | None:
    """The joint work an activity belongs to (not unmerged), or None."""
    if a.joint_id is None or a.joint is None:
        return None
    return None if a.joint.status == JointActivity.Status.DISSOLVED else a.joint


def scan(office: JointOffice, start: datetime.date, end: datetime.date) -> list[Group]:
    """Every overlap group among the office's activities in the period, most certain first.

    Activities already merged together and pairs judged "not an overlap" are left out; a
    group where some members already belong to joint work lists that joint work
    (``joints``) and the members still free (``free``), so that the page offers to add
    them to it instead of a merge that would be refused. A group with no free member is
    left out.
    """
    activities = list(
        with_targets(
            Activity.objects.filter(office=office, start_on__lte=end, end_on__gte=start).exclude(
                status=Activity.Status.CANCELLED
            )
        )
    )
    recs = records(activities, office)
    unit_ids = {int(k[1:]) for r in recs for k in r.units if k.startswith("u")}
    area_ids = {int(k[1:]) for r in recs for k in r.units if k.startswith("a")}
    groups = engine.find_groups(
        recs, _parents_for(unit_ids, area_ids, office), WINDOW_DAYS, parallel=False
    )
    by_id = {a.pk: a for a in activities}
    dismissed = _dismissed_pairs(by_id)
    all_keys = {
        k
        for g in groups
        for r in g.reasons
        for k in (*r.shared_units, *(x for p in r.contained_units for x in p))
    }
    names = _unit_names(all_keys)
    pending = {
        x.activity_id: x.joint
        for x in JointAddition.objects.filter(
            activity_id__in=by_id, status=JointAddition.Status.PROPOSED
        ).select_related("joint")
    }
    out: list[Group] = []
    for g in groups:
        pairs = []
        for r in g.reasons:
            a, b = by_id[r.ids[0]], by_id[r.ids[1]]
            if (min(a.pk, b.pk), max(a.pk, b.pk)) in dismissed or _same_joint(a, b):
                continue
            pairs.append((a, b, describe(r, names)[1], r.score))
        if not pairs:
            continue
        members: dict[int, Activity] = {}
        for a, b, _text, _score in pairs:
            members[a.pk] = a
            members[b.pk] = b
        if len({m.organization_id for m in members.values()}) < 2:
            continue
        joints = {j.pk: j for m in members.values() if (j := active_joint(m)) is not None}
        free = [m for m in members.values() if active_joint(m) is None and m.pk not in pending]
        if not free:
            continue
        score = sum(p[3] for p in pairs) / len(pairs)
        out.append(
            Group(
                list(members.values()),
                score,
                [(a, b, t) for a, b, t, _s in pairs],
                list(joints.values()),
                free,
                {m: pending[m] for m in members if m in pending},
            )
        )
    out.sort(key=lambda g: (-g.score, min(a.pk for a in g.activities)))
    return out


def engine_parents_from_db(codes: Iterable[str]) -> dict[str, str]:
    """child → parent for unit codes as written in a JSON Lines file.

    Codes are unique within an era but the two eras reuse some commune codes; an
    ambiguous code is read in the era where most of the file's codes exist.
    """
    wanted = set(codes)
    units = list(AdminUnit.objects.filter(code__in=wanted).select_related("parent"))
    per_era: dict[str, int] = {}
    for unit in units:
        per_era[unit.era] = per_era.get(unit.era, 0) + 1
    preferred = max(
        per_era, key=lambda era: (per_era[era], era == AdminUnit.Era.CURRENT), default=""
    )
    chosen: dict[str, AdminUnit] = {}
    for unit in units:
        if unit.code not in chosen or unit.era == preferred:
            chosen[unit.code] = unit
    parents: dict[str, str] = {}
    level: list[AdminUnit] = list(chosen.values())
    while level:  # at most commune → district → province: two rounds
        for unit in level:
            if unit.parent is not None:
                parents.setdefault(unit.code, unit.parent.code)
        up = {u.parent.pk for u in level if u.parent is not None and u.parent.parent_id}
        level = list(AdminUnit.objects.filter(pk__in=up).select_related("parent"))
    return parents
