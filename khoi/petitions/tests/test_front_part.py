"""The Front's part in full: supervision while pending, a reminder when the authority misses
its deadline, escalation to its superior, a request to re-examine, the window for a second
complaint, group representatives, the letter naming an unprotected petitioner, and the
warning when a protected identity is typed into the content."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from khoi.petitions import services
from khoi.petitions.forms import PetitionForm
from khoi.petitions.models import Forwarding, Petitioner, Status
from khoi.petitions.redaction import REDACTED_MARK, identity_mentions, redact
from khoi.petitions.tests.conftest import SECRET_ADDRESS, SECRET_NAME, Case, D, intake


def _forwarded(case: Case) -> None:
    staff = case.world.users["staff"]
    services.do_action(staff, case.complaint, "classify", on=D(2025, 10, 14))
    services.do_action(
        staff, case.complaint, "forward", on=D(2025, 10, 15),
        authority="Chủ tịch Ủy ban nhân dân thị xã", letter_number="7/MTTQ-BTT",
    )  # fmt: skip


def _letter_xml(client: object, case: Case, fwd: Forwarding) -> str:
    response = client.get(  # type: ignore[attr-defined]
        reverse("petitions:forwarding_letter", args=[case.complaint.pk, fwd.pk])
    )
    assert response.status_code == 200
    xml = zipfile.ZipFile(io.BytesIO(response.content)).read("word/document.xml").decode()
    return re.sub(r"<[^>]+>", "", xml)


def test_remind_only_after_the_deadline_then_escalate(case: Case, as_user: object) -> None:
    _forwarded(case)
    staff, head = case.world.users["staff"], case.world.users["office_head"]
    with pytest.raises(ValidationError):  # 10 working days have not passed
        services.do_remind(staff, case.complaint, letter_number="9/MTTQ-BTT")
    with pytest.raises(ValidationError):  # no reminder yet
        services.do_escalate(
            head, case.complaint, authority="Chủ tịch UBND tỉnh", letter_number="10/MTTQ"
        )
    with time_machine.travel(D(2025, 11, 10), tick=False):
        services.do_remind(staff, case.complaint, letter_number="9/MTTQ-BTT")
        with pytest.raises(ValidationError):  # escalation is the head's step
            services.do_escalate(
                staff, case.complaint, authority="Chủ tịch UBND tỉnh", letter_number="10/MTTQ"
            )
        services.do_escalate(
            head, case.complaint, authority="Chủ tịch Ủy ban nhân dân tỉnh Quảng Ninh",
            letter_number="10/MTTQ-BTT",
        )  # fmt: skip
        case.complaint.refresh_from_db()
        assert case.complaint.status == Status.FORWARDED  # the case stays with the authority
        remind = case.complaint.forwardings.get(purpose="remind")
        assert remind.authority == "Chủ tịch Ủy ban nhân dân thị xã"
        text = _letter_xml(as_user("staff"), case, remind)  # type: ignore[operator]
        assert "đôn đốc" in text and "Thụ lý giải quyết khiếu nại" in text.replace("thụ", "Thụ")
        detail = as_user("staff").get(  # type: ignore[operator]
            reverse("petitions:petition_detail", args=[case.complaint.pk])
        )
        body = detail.content.decode()
        assert "Đôn đốc" in body or "đôn đốc" in body
        assert "remind" not in re.sub(r'(name|value|class|id|for)="[^"]*"', "", body)


def test_supervision_while_pending_keeps_the_status_and_the_clock(case: Case) -> None:
    _forwarded(case)
    head = case.world.users["office_head"]
    before = case.complaint.next_due
    services.do_action(
        head, case.complaint, "supervise_pending", on=D(2025, 10, 16),
        note="Giám sát việc thụ lý đơn tại UBND thị xã",
    )  # fmt: skip
    case.complaint.refresh_from_db()
    assert case.complaint.status == Status.FORWARDED and case.complaint.next_due == before
    assert case.complaint.events.filter(action="supervise_pending").exists()


def test_a_first_instance_result_opens_the_second_complaint_window(case: Case) -> None:
    _forwarded(case)
    staff, head = case.world.users["staff"], case.world.users["office_head"]
    services.do_action(staff, case.complaint, "accept", on=D(2025, 10, 16), round=1)
    services.do_action(staff, case.complaint, "resolve", on=D(2025, 10, 17), note="Bác đơn")
    window = case.complaint.deadlines.get(rule="complaint-second", state="open")
    assert window.due == D(2025, 11, 17)  # 30 days from 17/10 = Sunday 16/11 → Monday 17/11
    assert "Điều 33" in window.source
    services.do_action(
        head, case.complaint, "request_review", on=D(2025, 10, 17),
        note="Kết quả chưa xem xét giấy chứng nhận đất ở năm 1998", letter_number="12/MTTQ-BTT",
    )  # fmt: skip
    case.complaint.refresh_from_db()
    assert case.complaint.status == Status.FORWARDED
    review = case.complaint.forwardings.get(purpose="review")
    assert review.authority == "Chủ tịch Ủy ban nhân dân thị xã"


def test_the_letter_names_an_unprotected_petitioner_and_ends_the_recipients_properly(
    case: Case, as_user: object
) -> None:
    _forwarded(case)
    fwd = case.complaint.forwardings.get()
    text = _letter_xml(as_user("staff"), case, fwd)  # type: ignore[operator]
    assert "ông/bà Nguyễn Văn Thành" in text
    assert "- Như trên (Chủ tịch Ủy ban nhân dân thị xã);" in text
    assert "- Ông/bà Nguyễn Văn Thành (để biết);" in text
    assert "- Lưu: VT, Cơ quan Khối." in text


def test_a_protected_denouncer_is_never_named_in_a_letter(case: Case, as_user: object) -> None:
    handler = case.handler
    services.do_action(handler, case.denunciation, "classify", on=D(2025, 10, 14))
    services.do_action(
        handler, case.denunciation, "forward", on=D(2025, 10, 15),
        authority="Chủ tịch Ủy ban nhân dân phường Hà An", letter_number="8/MTTQ-BTT",
    )  # fmt: skip
    fwd = case.denunciation.forwardings.get()
    from django.test import Client

    client = Client()
    client.force_login(handler)
    response = client.get(
        reverse("petitions:forwarding_letter", args=[case.denunciation.pk, fwd.pk])
    )
    xml = zipfile.ZipFile(io.BytesIO(response.content)).read("word/document.xml").decode()
    assert SECRET_NAME not in xml and "giữ bí mật" in xml


def test_group_petitions_have_at_most_five_representatives(case: Case) -> None:
    staff = case.world.users["staff"]
    people = [services.PetitionerData(f"Người Thứ {i}", f"Khu {i}") for i in range(3)]
    group = services.do_create_petition(
        staff, case.world.office, intake(petitioners=people, signatory_count=46)
    )
    assert Petitioner.objects.filter(petition=group, representative=True).count() == 3
    too_many = [services.PetitionerData(f"Đại Diện {i}", representative=True) for i in range(6)]
    with pytest.raises(ValidationError):
        services.do_create_petition(
            staff, case.world.office, intake(petitioners=too_many, signatory_count=60)
        )


# --- A protected identity typed into the content ----------------------------------------------

PERSON = {"name": SECRET_NAME, "address": SECRET_ADDRESS, "phone": "0912 000 111"}


def test_mentions_are_found_with_any_case_spacing_or_phone_separators() -> None:
    text = (
        f"Tôi là {SECRET_NAME.upper()}, ở {SECRET_ADDRESS}, điện thoại 0912.000.111, "
        "tố cáo cán bộ địa chính."
    )
    fields = {m.field for m in identity_mentions(text, [PERSON])}
    assert fields == {"name", "address", "phone"}
    clean = redact(text, [PERSON])
    assert SECRET_NAME.upper() not in clean and "0912.000.111" not in clean
    assert clean.count(REDACTED_MARK) == 3 and "tố cáo cán bộ địa chính" in clean
    assert identity_mentions("Cán bộ địa chính ghi sai diện tích.", [PERSON]) == []


def _form_data(case: Case, **extra: str) -> dict[str, str]:
    data = {
        "kind": "denunciation", "channel": "post", "received_on": "17/10/2025",
        "subject": "Cán bộ địa chính ghi sai diện tích",
        "content": f"Tôi, {SECRET_NAME}, số điện thoại 0912000111, tố cáo cán bộ địa chính.",
        "name_0": SECRET_NAME, "address_0": SECRET_ADDRESS, "phone_0": "0912000111",
    }  # fmt: skip
    data.update(extra)
    return data


def test_the_form_warns_then_redacts_or_keeps(case: Case) -> None:
    office = case.world.office
    warned = PetitionForm(_form_data(case), office=office)
    assert not warned.is_valid()
    message = " ".join(str(e) for e in warned.errors["identity_in_content"])
    assert "họ tên" in message or "tên" in message
    redacted = PetitionForm(_form_data(case, identity_in_content="redact"), office=office)
    assert redacted.is_valid(), redacted.errors
    assert SECRET_NAME not in redacted.cleaned_data["content"]
    assert "0912000111" not in redacted.cleaned_data["content"]
    kept = PetitionForm(_form_data(case, identity_in_content="keep"), office=office)
    assert kept.is_valid() and SECRET_NAME in kept.cleaned_data["content"]
    # a request whose petitioner did not ask for protection is not warned about
    plain = PetitionForm(_form_data(case, kind="request"), office=office)
    assert plain.is_valid(), plain.errors


def test_the_confidentiality_clause_cites_the_law_in_force_on_receipt() -> None:
    from khoi.petitions import letters
    from khoi.petitions.models import Petition

    assert "Luật Tố cáo 2011" in letters._protected(Petition(received_on=D(2017, 10, 2)))
    assert "Điều 47 Luật Tố cáo 2018" in letters._protected(Petition(received_on=D(2019, 1, 1)))
