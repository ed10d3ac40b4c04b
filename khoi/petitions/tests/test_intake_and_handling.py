"""Intake (bad input refused, nothing lost), the handling state machine with roles, the
statutory deadlines stored with their rule and article, duplicates proposed and confirmed."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from khoi.petitions import services
from khoi.petitions.models import (
    DuplicateLink,
    Kind,
    Petition,
    PetitionDeadline,
    Status,
)
from khoi.petitions.tests.conftest import Case, D, intake
from khoi.workcalendar.models import HolidayOverride


def _messages(exc: pytest.ExceptionInfo[ValidationError]) -> str:
    return " ".join(exc.value.messages)


@pytest.mark.parametrize(
    ("changes", "field", "msgid"),
    [
        (
            {"received_on": D(2025, 10, 18)},
            "received_on",
            "The received date cannot be in the future.",
        ),
        ({"petitioners": []}, "petitioners", "A complaint must name at least one petitioner."),
        (
            {"kind": "lawsuit"},
            "kind",
            "Unknown kind of petition: choose complaint, denunciation, request or report.",
        ),
        ({"subject": "  "}, "subject", "Enter the subject: the decision, act or person concerned."),
        (
            {"signatory_count": 0},
            "signatory_count",
            "The number of signatories is smaller than the petitioners.",
        ),
    ],
)
def test_bad_intake_is_refused_with_a_clear_message_and_nothing_is_saved(
    case: Case, changes: dict[str, object], field: str, msgid: str
) -> None:
    before = Petition.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.do_create_petition(case.world.users["staff"], case.world.office, intake(**changes))
    assert field in exc.value.error_dict
    assert gettext(msgid) in _messages(exc)
    assert Petition.objects.count() == before


def test_only_office_staff_record_petitions(case: Case) -> None:
    for persona in ("org_leader", "viewer", "reporter", "other_staff"):
        with pytest.raises(ValidationError):
            services.do_create_petition(case.world.users[persona], case.world.office, intake())


def test_a_complaint_gets_the_reception_reply_deadline_with_its_article(case: Case) -> None:
    d = case.complaint.deadlines.get()
    assert d.rule == "reception-reply"
    assert d.source == "Luật Tiếp công dân 2013, Điều 28"
    assert d.due == D(2025, 10, 27)  # 10 working days after Monday 13/10/2025
    assert case.complaint.next_due == d.due


def test_the_calendar_override_table_moves_deadlines(case: Case) -> None:
    HolidayOverride.objects.create(date=D(2025, 10, 20), is_working_day=False, note="nghỉ bù")
    p = services.do_create_petition(case.world.users["staff"], case.world.office, intake())
    assert p.deadlines.get().due == D(2025, 10, 28)


def test_the_path_of_a_complaint_with_its_deadlines(case: Case) -> None:
    staff, head = case.world.users["staff"], case.world.users["office_head"]
    p = case.complaint
    services.do_action(staff, p, "classify", on=D(2025, 10, 14))
    services.do_action(
        staff, p, "forward", on=D(2025, 10, 15), authority="UBND thị xã", letter_number="5/MTTQ"
    )
    p.refresh_from_db()
    assert p.status == Status.FORWARDED
    assert p.next_rule == "complaint-accept"
    services.do_action(staff, p, "accept", on=D(2025, 10, 16), round=1, complex=True)
    p.refresh_from_db()
    running = p.deadlines.get(state=PetitionDeadline.State.OPEN)
    assert running.rule == "complaint-resolve-1-complex"
    assert running.due == D(2025, 12, 1)  # 45 days → Sunday 30/11 → Monday 1/12
    services.do_action(staff, p, "resolve", on=D(2025, 10, 17), note="Đã giải quyết lần đầu.")
    with pytest.raises(ValidationError) as exc:
        services.do_action(staff, p, "close")
    assert "trưởng Cơ quan Khối" in _messages(exc)
    services.do_action(head, p, "close")
    p.refresh_from_db()
    assert p.status == Status.CLOSED and p.next_due is None
    actions = list(p.events.values_list("action", flat=True))
    assert actions == ["receive", "classify", "forward", "accept", "resolve", "close"]


def test_a_transition_not_allowed_from_the_current_state_is_refused(case: Case) -> None:
    with pytest.raises(ValidationError) as exc:
        services.do_action(case.world.users["office_head"], case.complaint, "close")
    assert _messages(exc) == gettext("A petition cannot go from “%(old)s” to “%(new)s”.") % {
        "old": Status.RECEIVED.label,
        "new": Status.CLOSED.label,
    }
    case.complaint.refresh_from_db()
    assert case.complaint.status == Status.RECEIVED


def test_a_transition_by_a_role_that_may_not_take_it_is_refused(case: Case) -> None:
    with pytest.raises(ValidationError):
        services.do_action(case.world.users["viewer"], case.complaint, "classify")
    with pytest.raises(ValidationError):
        services.do_action(case.world.users["staff"], case.complaint, "file", note="x")


def test_an_anonymous_denunciation_is_recorded_and_kept_on_file(case: Case) -> None:
    p = services.do_create_petition(
        case.world.users["staff"], case.world.office,
        intake(kind=Kind.DENUNCIATION, petitioners=[]),
    )  # fmt: skip
    assert p.anonymous and p.confidential and not p.deadlines.exists()
    with pytest.raises(ValidationError):
        services.do_action(case.world.users["office_head"], p, "file", note="")
    services.do_action(
        case.world.users["office_head"], p, "file", note="Nặc danh (Luật Tố cáo 2018, Điều 25)"
    )
    p.refresh_from_db()
    assert p.status == Status.FILED


def test_a_denunciation_resolution_can_be_extended_twice_only(case: Case) -> None:
    p = case.denunciation
    handler = case.handler
    services.do_action(handler, p, "classify")
    services.do_action(handler, p, "forward", authority="Chủ tịch UBND", letter_number="1/MTTQ")
    services.do_action(handler, p, "accept", on=D(2025, 10, 16))
    services.do_extend_deadline(handler, p)
    d = services.do_extend_deadline(handler, p)
    assert d.extensions == 2 and d.due == D(2026, 1, 14)
    with pytest.raises(ValidationError) as exc:
        services.do_extend_deadline(handler, p)
    assert "2" in _messages(exc)


def test_a_repeat_from_the_same_household_is_proposed_and_confirmed(case: Case) -> None:
    staff = case.world.users["staff"]
    again = services.do_create_petition(
        staff, case.world.office,
        intake(
            content="Gia đình đề nghị xem xét lại đơn giá bồi thường đất ở khu 5.",
            petitioners=[services.PetitionerData("Nguyễn Thị Lụa", "Khu 5, phường Hà An")],
        ),
    )  # fmt: skip
    link = again.duplicate_links.get()
    assert link.original_id == case.complaint.pk
    assert link.reason == DuplicateLink.Reason.SAME_HOUSEHOLD
    services.do_decide_duplicate(staff, link, confirm=True)
    again.refresh_from_db()
    assert again.duplicate_of_id == case.complaint.pk


def test_the_same_content_signed_by_many_is_proposed_and_can_be_dismissed(case: Case) -> None:
    staff = case.world.users["staff"]
    text = (
        "Chúng tôi 46 hộ dân khu 4 không đồng ý vị trí khu tái định cư ở khu đồng trũng ngập "
        "nước, chưa có đường giao thông và thoát nước."
    )
    first = services.do_create_petition(
        staff, case.world.office,
        intake(subject="Vị trí khu tái định cư", content=text, signatory_count=46,
               petitioners=[services.PetitionerData("Trần Văn Quyết")]),
    )  # fmt: skip
    copy = services.do_create_petition(
        staff, case.world.office,
        intake(subject="Vị trí khu tái định cư", content=text, signatory_count=46,
               petitioners=[services.PetitionerData("Đỗ Văn Khang")]),
    )  # fmt: skip
    link = copy.duplicate_links.get(original=first)
    assert link.reason == DuplicateLink.Reason.SAME_CONTENT and link.score > 0.9
    services.do_decide_duplicate(staff, link, confirm=False)
    link.refresh_from_db()
    assert link.state == DuplicateLink.State.DISMISSED
    with pytest.raises(ValidationError):
        services.do_decide_duplicate(staff, link, confirm=True)


def test_an_unrelated_petition_is_not_proposed_as_a_repeat(case: Case) -> None:
    p = services.do_create_petition(
        case.world.users["staff"], case.world.office,
        intake(kind=Kind.REQUEST, subject="Đèn chiếu sáng đường liên thôn",
               content="Đề nghị lắp đèn chiếu sáng cho đường liên thôn số 3.",
               petitioners=[services.PetitionerData("Lý Văn Phúc", "Thôn 9")]),
    )  # fmt: skip
    assert not p.duplicate_links.exists()


def test_the_case_handler_is_assigned_by_the_office_head_only(case: Case) -> None:
    with pytest.raises(ValidationError):
        services.do_assign_handler(case.world.users["staff"], case.complaint, case.handler)
    with pytest.raises(ValidationError):
        services.do_assign_handler(
            case.world.users["office_head"], case.complaint, case.world.users["other_staff"]
        )
    services.do_assign_handler(case.world.users["office_head"], case.complaint, case.handler)
    services.do_assign_handler(case.world.users["office_head"], case.complaint, case.handler)
    assert case.complaint.assignments.filter(ended_at__isnull=True).count() == 1


def test_a_complaint_after_the_limitation_period_is_noted(case: Case) -> None:
    p = services.do_create_petition(
        case.world.users["staff"], case.world.office,
        intake(decision_known_on=D(2025, 6, 1)),
    )  # fmt: skip
    assert p.events.filter(action="limitation").exists()


def test_dates_of_steps_cannot_be_in_the_future(case: Case) -> None:
    with pytest.raises(ValidationError):
        services.do_action(
            case.world.users["staff"], case.complaint, "classify",
            on=datetime.date(2025, 10, 20),
        )  # fmt: skip


def test_reclassifying_a_complaint_as_a_denunciation_protects_it_and_changes_the_clock(
    case: Case,
) -> None:
    p = case.complaint
    services.do_action(case.world.users["staff"], p, "classify", kind=Kind.DENUNCIATION)
    p.refresh_from_db()
    assert p.kind == Kind.DENUNCIATION and p.confidential
    assert set(p.petitioners.values_list("confidential", flat=True)) == {True}
    running = p.deadlines.get(state=PetitionDeadline.State.OPEN)
    assert running.rule == "denunciation-forward"
    assert p.next_rule == "denunciation-forward"
    assert p.deadlines.filter(state=PetitionDeadline.State.CANCELLED).count() == 1
