"""Small registries through which apps offer their figures to others.

An app registers its providers in its ``AppConfig.ready()``; the reader (the periodic
report, the briefing agenda, the home dashboard) calls every registered provider and never
imports the providing app. Providers must run a fixed number of queries, whatever the
size of the office.

Whether a reader may *open* what a provider names (a task on an agenda, an activity in an
overlap panel) is answered by ``khoi.links`` (``openable(user, object_type, ids)``, one query
per object type): show a link, or the title, only for what it returns.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# --- Periodic report sections -------------------------------------------------------------


@dataclass
class ReportTable:
    title: str
    headers: list[str]
    rows: list[list[Any]]
    widths_mm: list[float] | None = None


@dataclass
class ReportImage:
    """A chart as a PNG, placed after the section's tables (``width_mm`` on the page)."""

    png: bytes
    caption: str = ""
    width_mm: float = 150


@dataclass
class ReportSection:
    """One section of a periodic report: a heading, narrative paragraphs and tables.

    ``key`` is stable (e.g. "work.activities"); ``order`` places it in the report;
    ``paragraphs`` is the default narrative the staff may edit before issuing;
    ``figures`` are the named numbers (also exported to the .xlsx appendix).
    """

    key: str
    order: int
    heading: str
    paragraphs: list[str] = field(default_factory=list)
    tables: list[ReportTable] = field(default_factory=list)
    figures: dict[str, int | float] = field(default_factory=dict)
    images: list[ReportImage] = field(default_factory=list)


# provider(office, start, end) -> ReportSection | None
ReportProvider = Callable[[Any, datetime.date, datetime.date], "ReportSection | None"]
REPORT_SECTIONS: list[ReportProvider] = []


def register_report_section(provider: ReportProvider) -> None:
    if provider not in REPORT_SECTIONS:
        REPORT_SECTIONS.append(provider)


# --- Briefing agenda items ----------------------------------------------------------------------


@dataclass
class AgendaSuggestion:
    """An item proposed for a briefing's agenda from live data."""

    source: str  # e.g. "work.task.overdue", "petitions.deadline"
    title: str
    detail: str = ""
    url: str = ""
    object_type: str = ""
    object_id: int | None = None


# provider(office, meeting_date) -> list of suggestions
AgendaProvider = Callable[[Any, datetime.date], "list[AgendaSuggestion]"]
AGENDA_PROVIDERS: list[AgendaProvider] = []


def register_agenda_provider(provider: AgendaProvider) -> None:
    if provider not in AGENDA_PROVIDERS:
        AGENDA_PROVIDERS.append(provider)


# --- Home dashboard cards -----------------------------------------------------------------------


@dataclass
class DashboardCard:
    label: str
    value: int
    url: str = ""
    alert: bool = False


# provider(user, offices) -> list of cards
DashboardProvider = Callable[[Any, list[Any]], "list[DashboardCard]"]
DASHBOARD_PROVIDERS: list[DashboardProvider] = []


def register_dashboard_provider(provider: DashboardProvider) -> None:
    if provider not in DASHBOARD_PROVIDERS:
        DASHBOARD_PROVIDERS.append(provider)


def period_moments(
    start: datetime.date, end: datetime.date
) -> tuple[datetime.datetime, datetime.datetime]:
    """The local midnights that bound a report's dates (compare datetimes without per-row
    casts): the first day's midnight and the midnight after the last day."""
    from django.utils import timezone

    tz = timezone.get_current_timezone()
    first = datetime.datetime.combine(start, datetime.time(), tzinfo=tz)
    after = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time(), tzinfo=tz)
    return first, after


# --- Objects a document may be linked to ---------------------------------------------------------


@dataclass(frozen=True)
class LinkKind:
    """A kind of object a document of the register may be linked to (a plan carrying it
    out, an activity, a meeting where it was discussed).

    ``key`` names the form and API field ("plans"; the API takes ``<singular>_ids``);
    ``model`` is the model's label ("work.plan"); ``choices(office)`` the objects of an
    office that may be linked (a query); ``describe(obj)`` the text shown for one;
    ``url_name`` the named URL of its page (one argument, the primary key).
    """

    key: str
    model: str
    label: Any
    choices: Callable[[Any], Any]
    describe: Callable[[Any], str]
    url_name: str
    order: int = 100
    api_field: str = ""


LINK_KINDS: list[LinkKind] = []


def register_link_kind(kind: LinkKind) -> None:
    if all(k.key != kind.key for k in LINK_KINDS):
        LINK_KINDS.append(kind)
        LINK_KINDS.sort(key=lambda k: (k.order, k.key))


def link_kind(key: str) -> LinkKind | None:
    return next((k for k in LINK_KINDS if k.key == key), None)


# --- What other capabilities hold about an object ------------------------------------------------


@dataclass
class RelatedItem:
    """Something another capability links to an object (a document carried out by a plan…),
    already filtered to what the user may read."""

    title: str
    detail: str = ""
    url: str = ""


# provider(user, obj) -> items; reads at most a fixed number of queries
RelatedProvider = Callable[[Any, Any], "list[RelatedItem]"]
RELATED_PROVIDERS: list[RelatedProvider] = []


def register_related_provider(provider: RelatedProvider) -> None:
    if provider not in RELATED_PROVIDERS:
        RELATED_PROVIDERS.append(provider)


def related_items(user: Any, obj: Any) -> list[RelatedItem]:
    """Everything the registered capabilities link to ``obj`` that ``user`` may read."""
    return [item for provider in RELATED_PROVIDERS for item in provider(user, obj)]


# --- One timeline of an object across capabilities ---------------------------------------------


@dataclass
class TimelineEntry:
    """One dated event another capability holds about an object (a key project's petition
    received, a supervision held, a recommendation answered), already filtered to what the
    user may read. ``kind`` is the translated label shown beside the date."""

    when: datetime.date
    kind: str
    title: str
    detail: str = ""
    url: str = ""


# provider(user, obj) -> entries; returns [] for objects it knows nothing about and reads at
# most a fixed number of queries
TimelineProvider = Callable[[Any, Any], "list[TimelineEntry]"]
TIMELINE_PROVIDERS: list[TimelineProvider] = []


def register_timeline_provider(provider: TimelineProvider) -> None:
    if provider not in TIMELINE_PROVIDERS:
        TIMELINE_PROVIDERS.append(provider)


def timeline(user: Any, obj: Any) -> list[TimelineEntry]:
    """Every registered capability's dated entries about ``obj``, newest first."""
    entries = [e for provider in TIMELINE_PROVIDERS for e in provider(user, obj)]
    entries.sort(key=lambda e: (e.when, e.kind, e.title), reverse=True)
    return entries


# --- Working calendar changes -------------------------------------------------------------------

# listener(actor, changed_dates) -> None: an official day off or working day was added,
# changed or removed (``khoi.workcalendar.services``); apps recompute what it touches
# (petitions: the open statutory clocks), inside the same transaction.
CalendarListener = Callable[[Any, "frozenset[datetime.date]"], object]
CALENDAR_LISTENERS: list[CalendarListener] = []


def register_calendar_listener(listener: CalendarListener) -> None:
    if listener not in CALENDAR_LISTENERS:
        CALENDAR_LISTENERS.append(listener)


# --- Activity credits per organization ------------------------------------------------------


# provider(office, organization_ids, start, end) -> {organization_id: {"own": n, "joint": m}}
# "own": the organization's activities not merged into joint work; "joint": joint activities
# it led or co-organized (each co-organizer is credited once per joint activity).
ActivityCreditProvider = Callable[
    [Any, list[int], datetime.date, datetime.date], "dict[int, dict[str, int]]"
]
ACTIVITY_CREDIT_PROVIDERS: list[ActivityCreditProvider] = []


def register_activity_credits(provider: ActivityCreditProvider) -> None:
    if provider not in ACTIVITY_CREDIT_PROVIDERS:
        ACTIVITY_CREDIT_PROVIDERS.append(provider)


def activity_credits(
    office: Any, organization_ids: list[int], start: datetime.date, end: datetime.date
) -> dict[int, dict[str, int]]:
    """Sum of every registered provider's credits (zeros for organizations without any)."""
    out = {pk: {"own": 0, "joint": 0} for pk in organization_ids}
    for provider in ACTIVITY_CREDIT_PROVIDERS:
        for pk, counts in provider(office, organization_ids, start, end).items():
            row = out.setdefault(pk, {"own": 0, "joint": 0})
            for key, n in counts.items():
                row[key] = row.get(key, 0) + n
    return out


# --- A household register others may point to --------------------------------------------------


@dataclass
class HouseholdCard:
    """What a reader may show of a household of a register it links to (a key project's
    affected household linked to the fund's register): the register keeps the data, the
    reader keeps only the id. ``url`` is the household's page (it opens for this user)."""

    id: int
    unit_id: int
    head_name: str
    area_name: str = ""
    url: str = ""


@dataclass(frozen=True)
class HouseholdDirectory:
    """A household register offered to other apps.

    ``describe(user, ids)``: the cards of the households among ``ids`` the user may read
    (one or two queries); ``search(user, text, unit_ids)``: the ids of readable households
    of those units whose head's name contains ``text`` (accent-insensitive; a query, for
    ``__in``).
    """

    describe: Callable[[Any, list[int]], dict[int, HouseholdCard]]
    search: Callable[[Any, str, list[int]], Any]


HOUSEHOLD_DIRECTORIES: list[HouseholdDirectory] = []


def register_household_directory(directory: HouseholdDirectory) -> None:
    if directory not in HOUSEHOLD_DIRECTORIES:
        HOUSEHOLD_DIRECTORIES.append(directory)


def household_cards(user: Any, ids: list[int]) -> dict[int, HouseholdCard]:
    """The registered household register's cards of ``ids`` the user may read ({} when no
    register is installed)."""
    out: dict[int, HouseholdCard] = {}
    if not ids:
        return out
    for directory in HOUSEHOLD_DIRECTORIES:
        out.update(directory.describe(user, ids))
    return out


def household_search(user: Any, text: str, unit_ids: list[int]) -> list[Any]:
    """Per registered register, a query of the ids of readable households matching ``text``."""
    return [directory.search(user, text, unit_ids) for directory in HOUSEHOLD_DIRECTORIES]


# --- Key projects others may point to --------------------------------------------------------


@dataclass
class ProjectCard:
    """What a reader may show of a key project it links to by id (an activity carried out
    for the project): the offering app keeps the project, the reader keeps only the id.
    ``url`` is the project's page (it opens for this user)."""

    id: int
    name: str
    url: str = ""


@dataclass(frozen=True)
class ProjectDirectory:
    """The key projects offered to other apps (petitions offers them).

    ``model``: the project model's label ("petitions.keyproject"), so that a reader knows a
    project object without importing it; ``choices(user, office_id)``: (id, name) of the
    office's projects the user may open, by name (``user=None``: every project of the
    office, for system work such as the demo); ``describe(user, ids)``: the cards of the
    projects among ``ids`` the user may open. Each runs one query.
    """

    model: str
    choices: Callable[[Any, int], list[tuple[int, str]]]
    describe: Callable[[Any, list[int]], dict[int, ProjectCard]]


PROJECT_DIRECTORIES: list[ProjectDirectory] = []


def register_project_directory(directory: ProjectDirectory) -> None:
    if all(d.model != directory.model for d in PROJECT_DIRECTORIES):
        PROJECT_DIRECTORIES.append(directory)


def is_key_project(obj: Any) -> bool:
    """Whether ``obj`` is a project of a registered directory."""
    meta = getattr(obj, "_meta", None)
    label = getattr(meta, "label_lower", None)
    return label is not None and any(d.model == label for d in PROJECT_DIRECTORIES)


def key_project_choices(user: Any, office_id: int) -> list[tuple[int, str]]:
    """(id, name) of the office's key projects the user may open ([] without a directory)."""
    return [c for d in PROJECT_DIRECTORIES for c in d.choices(user, office_id)]


def key_project_cards(user: Any, ids: list[int]) -> dict[int, ProjectCard]:
    """The cards of the key projects among ``ids`` the user may open."""
    out: dict[int, ProjectCard] = {}
    ids = [pk for pk in ids if pk]
    if not ids:
        return out
    for directory in PROJECT_DIRECTORIES:
        out.update(directory.describe(user, ids))
    return out


# --- Long batch jobs on the task queue -----------------------------------------------------------


@dataclass(frozen=True)
class BatchJob:
    """A long batch job an app offers to the task queue (``manage.py enqueue_batch KEY``):
    one task per shard, so that any number of ``db_worker`` processes share it.

    ``shards()``: the shards (one per province, ``None`` for what lies in no province; a
    job that is not per province by nature has the single shard ``[None]``);
    ``run(shard, options)``: do one shard, idempotently (a worker killed mid-way and the
    task run again give the same result, no double e-mail); returns a JSON-serialisable
    count. ``options`` holds JSON values only (an ISO ``date``, ``days_before``,
    ``rebuild``…), resolved once when the job is enqueued. ``priority``: the queue's
    (-100…100); the daily reminders go before a long national scan's provinces.
    """

    key: str
    label: Any
    shards: Callable[[], list[int | None]]
    run: Callable[[int | None, dict[str, Any]], Any]
    priority: int = 0


BATCH_JOBS: dict[str, BatchJob] = {}


def register_batch_job(job: BatchJob) -> None:
    BATCH_JOBS.setdefault(job.key, job)


def batch_job(key: str) -> BatchJob | None:
    return BATCH_JOBS.get(key)


# --- Checks that every copy of the database must pass ---------------------------------------


@dataclass(frozen=True)
class IntegrityCheck:
    """A check of data that must hold in any copy of the database, such as a hash chain
    (the fund ledgers): ``run()`` returns None when it holds, else a sentence naming the first
    problem. It reads through the ORM (and the database router), so that inside
    ``khoi.ops.replica.reads_from(alias)`` it checks database ``alias``: restore and
    move_database run every registered check on the database they wrote."""

    key: str
    label: Any
    run: Callable[[], str | None]


INTEGRITY_CHECKS: list[IntegrityCheck] = []


def register_integrity_check(check: IntegrityCheck) -> None:
    if all(c.key != check.key for c in INTEGRITY_CHECKS):
        INTEGRITY_CHECKS.append(check)


# --- The records of the national overlap scan -------------------------------------------------


@dataclass(frozen=True)
class OverlapSource:
    """What the national overlap scan (``khoi.ops``: one task per province) reads, offered by
    the app that holds the activities (work), so that ops imports none of its models.

    ``provinces()``: the provinces to scan (the current ones, by code);
    ``records(province_id, start, end)``: the overlap engine's records
    (``khoi.lib.overlap.Activity``) of every office of the province whose activities touch
    the period, and the unit tree as the engine's ``parents`` map; a fixed number of
    queries whatever the province's size."""

    key: str
    provinces: Callable[[], list[int]]
    records: Callable[[int, datetime.date, datetime.date], tuple[list[Any], dict[str, str]]]


OVERLAP_SOURCES: list[OverlapSource] = []


def register_overlap_source(source: OverlapSource) -> None:
    if all(s.key != source.key for s in OVERLAP_SOURCES):
        OVERLAP_SOURCES.append(source)


def overlap_source() -> OverlapSource:
    """The registered source (the work app's); LookupError when none is installed."""
    if not OVERLAP_SOURCES:
        raise LookupError("No app offers the overlap scan's records (khoi.work registers them).")
    return OVERLAP_SOURCES[0]
