"""A personal iCalendar feed (RFC 5545): one's meetings and the deadlines of one's tasks."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db.models import Q

from khoi import clock
from khoi.accounts.access import get_scope
from khoi.meetings.models import Meeting
from khoi.work.models import Task

MEETING_HOURS = 2
PAST_DAYS = 90


def escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold_line(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space."""
    out: list[str] = []
    current = b""
    for ch in line:
        encoded = ch.encode()
        if len(current) + len(encoded) > (75 if not out else 74):
            out.append(current.decode())
            current = b""
        current += encoded
    out.append(current.decode())
    return "\r\n ".join(out)


def _utc(value: datetime.datetime) -> str:
    return value.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def meetings_of(user: Any, since: datetime.date) -> Iterable[Meeting]:
    scope = get_scope(user)
    q = Q(office_id__in=scope.staff_office_ids)
    if scope.person_id:
        q |= Q(attendances__person_id=scope.person_id) | Q(chair_id=scope.person_id)
    ids = Meeting.objects.filter(q).values("pk")
    return Meeting.objects.filter(pk__in=ids, starts_at__date__gte=since).order_by("starts_at")


def tasks_of(user: Any) -> Iterable[Task]:
    scope = get_scope(user)
    q = Q(pk__in=[])
    if scope.person_id:
        q |= Q(assignee_id=scope.person_id)
    if scope.subcommittee_ids:
        q |= Q(assignee_subcommittee_id__in=scope.subcommittee_ids)
    return Task.objects.filter(q, status__in=Task.OPEN).order_by("due_on", "id")


def feed(user: Any, host: str = "khoi") -> str:
    now = _utc(clock.now())
    since = clock.today() - datetime.timedelta(days=PAST_DAYS)
    lines = [
        "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Khoi//Lich ca nhan//VI",
        "CALSCALE:GREGORIAN", "METHOD:PUBLISH", "X-WR-CALNAME:Khối: cuộc họp và hạn nhiệm vụ",
        "X-WR-TIMEZONE:Asia/Ho_Chi_Minh",
    ]  # fmt: skip
    for m in meetings_of(user, since):
        lines += [
            "BEGIN:VEVENT", f"UID:meeting-{m.pk}@{host}", f"DTSTAMP:{now}",
            f"DTSTART:{_utc(m.starts_at)}",
            f"DTEND:{_utc(m.starts_at + datetime.timedelta(hours=MEETING_HOURS))}",
            f"SUMMARY:{escape(m.title)}", f"LOCATION:{escape(m.place)}",
            f"STATUS:{'CONFIRMED'}", "END:VEVENT",
        ]  # fmt: skip
    for t in tasks_of(user):
        lines += [
            "BEGIN:VEVENT", f"UID:task-{t.pk}@{host}", f"DTSTAMP:{now}",
            f"DTSTART;VALUE=DATE:{t.due_on:%Y%m%d}",
            f"DTEND;VALUE=DATE:{t.due_on + datetime.timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{escape('Hạn nhiệm vụ: ' + t.title)}", "TRANSP:TRANSPARENT", "END:VEVENT",
        ]  # fmt: skip
    lines.append("END:VCALENDAR")
    return "".join(fold_line(line) + "\r\n" for line in lines)
