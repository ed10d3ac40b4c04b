"""The minutes (biên bản) and the conclusions notice (thông báo kết luận) as .docx."""

from __future__ import annotations

from django.utils import timezone

from khoi.lib import docx as officedoc
from khoi.meetings.models import AgendaItem, Attendance, Meeting, Outcome
from khoi.org.letterhead import issuer_lines, place_name

KIND_NAMES: dict[str, str] = {
    Meeting.Kind.BRIEFING: "cuộc họp giao ban",
    Meeting.Kind.STANDING: "cuộc họp Ban Thường trực",
    Meeting.Kind.CONFERENCE: "hội nghị",
}


def _when(meeting: Meeting) -> str:
    local = timezone.localtime(meeting.starts_at)
    return f"{local:%H} giờ {local:%M}, {officedoc.vietnamese_date(local.date())}"


def _outcome_lines(outcomes: list[Outcome]) -> list[officedoc.Block]:
    out: list[officedoc.Block] = []
    for o in outcomes:
        text = o.text
        if o.task is not None:
            who = o.task.assignee.full_name if o.task.assignee else (
                o.task.assignee_subcommittee.name if o.task.assignee_subcommittee else ""
            )  # fmt: skip
            text += f" (giao: {who}; hạn {o.task.due_on:%d/%m/%Y})"
        out.append(officedoc.Bullet(text))
    return out


def _load(meeting: Meeting) -> tuple[list[Attendance], list[AgendaItem], list[Outcome]]:
    attendances = list(meeting.attendances.select_related("person").order_by("id"))
    items = list(meeting.items.prefetch_related("corrections").order_by("position", "id"))
    outcomes = list(
        meeting.outcomes.select_related("task__assignee", "task__assignee_subcommittee").order_by(
            "id"
        )
    )
    return attendances, items, outcomes


def minutes_spec(meeting: Meeting) -> officedoc.DocumentSpec:
    attendances, items, outcomes = _load(meeting)
    present = [a.person.full_name for a in attendances if a.status == Attendance.Status.PRESENT]
    absent = [f"{a.person.full_name} ({a.reason})" for a in attendances
              if a.status == Attendance.Status.ABSENT]  # fmt: skip
    body: list[officedoc.Block] = [
        officedoc.Paragraph(f"Thời gian: {_when(meeting)}."),
        officedoc.Paragraph(f"Địa điểm: {meeting.place or '…'}."),
        officedoc.Paragraph(f"Chủ trì: {meeting.chair.full_name if meeting.chair else '…'}."),
        officedoc.Paragraph(
            f"Thư ký: {meeting.secretary.full_name if meeting.secretary else '…'}."
        ),
        officedoc.Paragraph(f"Thành phần có mặt ({len(present)}): {', '.join(present) or '…'}."),
    ]
    if absent:
        body.append(officedoc.Paragraph(f"Vắng mặt ({len(absent)}): {'; '.join(absent)}."))
    if attendances:
        body.append(officedoc.Paragraph("Danh sách thành phần được mời:"))
        body.append(_attendance_table(attendances))
    body.append(officedoc.Heading("NỘI DUNG"))
    for n, item in enumerate(items, 1):
        body.append(officedoc.Paragraph(f"{n}. {item.title}", bold=True))
        if item.minutes:
            body.extend(officedoc.Paragraph(p) for p in item.minutes.splitlines() if p.strip())
        body.extend(_outcome_lines([o for o in outcomes if o.item_id == item.pk]))
        for c in item.corrections.all():
            body.append(
                officedoc.Paragraph(
                    f"Đính chính ngày {c.created_at:%d/%m/%Y}: {c.text}", italic=True
                )
            )
    general = [o for o in outcomes if o.item_id is None]
    if general:
        body.append(officedoc.Heading("KẾT LUẬN CHUNG"))
        body.extend(_outcome_lines(general))
    for c in meeting.corrections.filter(item=None):
        body.append(
            officedoc.Paragraph(f"Đính chính ngày {c.created_at:%d/%m/%Y}: {c.text}", italic=True)
        )
    local = timezone.localtime(meeting.starts_at)
    body.append(officedoc.Paragraph(f"Cuộc họp kết thúc vào ngày {local:%d/%m/%Y}."))
    return officedoc.DocumentSpec(
        system="state", issuer=issuer_lines(meeting.office), number_line="Số:       /BB-MTTQ",
        place=place_name(meeting.office), date=local.date(), type_name="BIÊN BẢN",
        summary=f"{KIND_NAMES.get(meeting.kind, 'cuộc họp').capitalize()}: {meeting.title}",
        body=body, recipients=("- Các thành viên dự họp;", "- Lưu: VT."),
        signer=officedoc.Signer(
            name=meeting.chair.full_name if meeting.chair else " ", position="CHỦ TRÌ",
        ),
        co_signer=officedoc.Signer(
            name=meeting.secretary.full_name if meeting.secretary else " ", position="THƯ KÝ",
        ),
    )  # fmt: skip


ATTENDANCE_WORDS: dict[str, str] = {
    Attendance.Status.PRESENT: "Có mặt",
    Attendance.Status.ABSENT: "Vắng mặt",
    Attendance.Status.INVITED: "Chưa ghi nhận",
}


def _attendance_table(attendances: list[Attendance]) -> officedoc.Table:
    """STT | Họ và tên | Tham dự | Lý do vắng mặt, one row per person invited."""
    rows = [
        [str(n), a.person.full_name, ATTENDANCE_WORDS.get(a.status, ""), a.reason]
        for n, a in enumerate(attendances, 1)
    ]
    return officedoc.Table(
        header=("STT", "Họ và tên", "Tham dự", "Lý do vắng mặt"), rows=rows,
        widths_mm=(12, 70, 30, 58),
    )  # fmt: skip


def notice_spec(meeting: Meeting) -> officedoc.DocumentSpec:
    """Thông báo kết luận: the decisions and tasks of a meeting, for those who carry them out."""
    _attendances, _items, outcomes = _load(meeting)
    local = timezone.localtime(meeting.starts_at)
    chair = meeting.chair.full_name if meeting.chair else "Thường trực"
    body: list[officedoc.Block] = [
        officedoc.Paragraph(
            f"Vào {_when(meeting)}, tại {meeting.place or 'trụ sở Cơ quan Khối'}, đồng chí "
            f"{chair} chủ trì {KIND_NAMES.get(meeting.kind, 'cuộc họp')}. Sau khi nghe báo cáo "
            "và ý kiến của các đại biểu dự họp, đồng chí chủ trì kết luận như sau:"
        )
    ]
    decisions = [o for o in outcomes if o.kind == Outcome.Kind.DECISION]
    tasks = [o for o in outcomes if o.kind == Outcome.Kind.TASK]
    info = [o for o in outcomes if o.kind == Outcome.Kind.INFORMATION]
    n = 0
    for heading, group in (("Thống nhất", decisions), ("Giao nhiệm vụ", tasks),
                           ("Thông tin", info)):  # fmt: skip
        if group:
            n += 1
            body.append(officedoc.Heading(f"{n}. {heading}", level=2))
            body.extend(_outcome_lines(group))
    body.append(
        officedoc.Paragraph(
            "Cơ quan Khối thông báo để các tổ chức thành viên và cán bộ liên quan biết, thực hiện."
        )
    )
    return officedoc.DocumentSpec(
        system="state", issuer=issuer_lines(meeting.office), number_line="Số:       /TB-MTTQ",
        place=place_name(meeting.office), date=local.date(), type_name="THÔNG BÁO",
        summary=f"Kết luận của đồng chí {chair} tại {KIND_NAMES.get(meeting.kind, 'cuộc họp')} "
        f"ngày {local:%d/%m/%Y}",
        body=body,
        recipients=("- Các tổ chức thành viên;", "- Cán bộ Cơ quan Khối;", "- Lưu: VT."),
        signer=officedoc.Signer(name=chair, position="PHÓ CHỦ TỊCH THƯỜNG TRỰC",
                                authority="TL. BAN THƯỜNG TRỰC"),
    )  # fmt: skip


def minutes_docx(meeting: Meeting) -> bytes:
    return officedoc.build_document(minutes_spec(meeting))


def notice_docx(meeting: Meeting) -> bytes:
    return officedoc.build_document(notice_spec(meeting))
