"""Editing a supervision and a draft for social criticism: the page for those who write,
404 for everyone else, every change audited, refusals in Vietnamese with nothing saved, a
supervision's plan fixed once it is done, a draft fixed once its critique is issued."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from khoi.audit.models import AuditEntry
from khoi.oversight.models import Supervision
from khoi.oversight.services import criticism as crit
from khoi.oversight.services import supervision as services
from khoi.oversight.tests.criticism_factories import draft, with_points
from khoi.oversight.tests.factories import supervision

D = datetime.date


def _client(world: Any, persona: str) -> Client:
    c = Client()
    c.force_login(world.users[persona])
    return c


def _sup_data(sup: Supervision, **extra: Any) -> dict[str, Any]:
    data = {
        "subject": sup.subject, "body": sup.body, "form": sup.form,
        "planned_from": sup.planned_from.strftime("%d/%m/%Y"),
        "planned_until": sup.planned_until.strftime("%d/%m/%Y"),
        "legal_basis": sup.legal_basis_id or "", "summary": sup.summary,
    }  # fmt: skip
    data.update(extra)
    return data


# --- supervision -------------------------------------------------------------------------------


def test_staff_edit_a_supervision_and_the_change_is_audited(world: Any) -> None:
    sup = supervision(world)
    url = reverse("oversight:supervision_edit", args=[sup.pk])
    c = _client(world, "staff")
    assert c.get(url).status_code == 200
    r = c.post(url, _sup_data(sup, subject="Giám sát chi trả bồi thường GPMB",
                              planned_until="15/11/2025"))  # fmt: skip
    assert r.status_code == 302
    sup.refresh_from_db()
    assert sup.subject == "Giám sát chi trả bồi thường GPMB"
    assert sup.planned_until == D(2025, 11, 15)
    entry = AuditEntry.objects.get(action="oversight.supervision.update", object_id=str(sup.pk))
    assert set(entry.changes) == {"subject", "planned_until"}
    assert (
        'id="edit-supervision"'
        in c.get(reverse("oversight:supervision_detail", args=[sup.pk])).content.decode()
    )


def test_a_bad_edit_is_refused_in_vietnamese_and_nothing_is_saved(world: Any) -> None:
    sup = supervision(world)
    c = _client(world, "staff")
    r = c.post(
        reverse("oversight:supervision_edit", args=[sup.pk]),
        _sup_data(sup, subject="Đổi tên", planned_from="01/11/2025", planned_until="01/10/2025"),
    )
    assert r.status_code == 200
    assert "Ngày kết thúc dự kiến trước ngày bắt đầu." in r.content.decode()
    sup.refresh_from_db()
    assert sup.subject != "Đổi tên"
    assert not AuditEntry.objects.filter(action="oversight.supervision.update").exists()


@pytest.mark.parametrize(
    "persona,status", [("staff", 200), ("office_head", 200), ("viewer", 404),
                       ("other_staff", 404), ("reporter", 404), ("outsider", 404),
                       ("org_leader", 404)],
)  # fmt: skip
def test_who_may_edit_the_office_supervision(world: Any, persona: str, status: int) -> None:
    sup = supervision(world)  # the Front's (the leader leads the Women's Union)
    url = reverse("oversight:supervision_edit", args=[sup.pk])
    c = _client(world, persona)
    assert c.get(url).status_code == status
    r = c.post(url, _sup_data(sup, subject="Sửa bởi người khác"))
    assert r.status_code == (302 if status == 200 else 404)
    sup.refresh_from_db()
    assert (sup.subject == "Sửa bởi người khác") == (status == 200)


def test_the_reporter_edits_their_communes_supervision_only(world: Any) -> None:
    own = supervision(
        world, actor=world.users["reporter"], organization=world.commune_front,
        unit=world.commune, subject="Giám sát bình xét hộ nghèo", body="UBND phường Hà An",
        form=Supervision.Form.INSPECTION_BOARD,
    )  # fmt: skip
    c = _client(world, "reporter")
    r = c.post(reverse("oversight:supervision_edit", args=[own.pk]),
               _sup_data(own, subject="Giám sát bình xét hộ cận nghèo"))  # fmt: skip
    assert r.status_code == 302
    own.refresh_from_db()
    assert own.subject == "Giám sát bình xét hộ cận nghèo"


def test_a_done_supervision_keeps_its_plan_but_takes_findings(world: Any) -> None:
    staff = world.users["staff"]
    sup = supervision(world)
    services.add_session(staff, sup, held_on=D(2025, 9, 15))
    services.record_step(staff, sup, "report", on=D(2025, 9, 26))
    sup.refresh_from_db()
    assert sup.status == Supervision.Status.DONE
    with pytest.raises(ValidationError) as exc:
        services.update_supervision(staff, sup, subject="Đổi chủ đề sau khi xong")
    assert "hoàn thành" in " ".join(exc.value.messages) or "done" in " ".join(exc.value.messages)
    c = _client(world, "staff")
    url = reverse("oversight:supervision_edit", args=[sup.pk])
    page = c.get(url).content.decode()
    assert "không thể sửa kế hoạch" in page
    # the plan's fields are disabled: what is posted for them is ignored
    r = c.post(url, _sup_data(sup, subject="Đổi chủ đề", summary="Kết quả bổ sung"))
    assert r.status_code == 302
    sup.refresh_from_db()
    assert sup.subject != "Đổi chủ đề" and sup.summary == "Kết quả bổ sung"


# --- draft for social criticism ----------------------------------------------------------------


def _draft_data(c: Any, **extra: Any) -> dict[str, Any]:
    data = {
        "title": c.title, "draft_kind": c.draft_kind, "drafting_body": c.drafting_body,
        "received_on": c.received_on.strftime("%d/%m/%Y"),
        "due_on": c.due_on.strftime("%d/%m/%Y"), "form": c.form, "held_on": "", "note": c.note,
    }  # fmt: skip
    data.update(extra)
    return data


def test_staff_correct_a_draft_received_and_the_change_is_audited(world: Any) -> None:
    c = draft(world)
    url = reverse("oversight:critique_edit", args=[c.pk])
    client = _client(world, "staff")
    assert client.get(url).status_code == 200
    r = client.post(url, _draft_data(c, drafting_body="Ban Chấp hành Đảng bộ thị xã",
                                     due_on="31/10/2025"))  # fmt: skip
    assert r.status_code == 302
    c.refresh_from_db()
    assert c.drafting_body == "Ban Chấp hành Đảng bộ thị xã" and c.due_on == D(2025, 10, 31)
    entry = AuditEntry.objects.get(action="critique.update", object_id=str(c.pk))
    assert set(entry.changes) == {"drafting_body", "due_on"}
    assert (
        'id="edit-draft"'
        in client.get(reverse("oversight:critique_detail", args=[c.pk])).content.decode()
    )


def test_bad_dates_on_a_draft_are_refused_in_vietnamese(world: Any) -> None:
    c, _points = with_points(world)  # comments given on 06/10 and 07/10
    client = _client(world, "staff")
    url = reverse("oversight:critique_edit", args=[c.pk])
    r = client.post(url, _draft_data(c, due_on="20/09/2025"))
    assert "không thể trước ngày nhận dự thảo" in r.content.decode()
    r = client.post(url, _draft_data(c, received_on="10/10/2025"))
    assert "Đã có ý kiến góp ý ngày 06/10/2025" in r.content.decode()
    r = client.post(url, _draft_data(c, title="   "))
    assert r.status_code == 200
    c.refresh_from_db()
    assert c.received_on == D(2025, 10, 1) and c.due_on == D(2025, 10, 24)
    assert not AuditEntry.objects.filter(action="critique.update").exists()


@pytest.mark.parametrize("persona", ["org_leader", "viewer", "other_staff", "reporter", "outsider"])
def test_only_the_offices_staff_edit_a_draft(world: Any, persona: str) -> None:
    c = draft(world)
    url = reverse("oversight:critique_edit", args=[c.pk])
    client = _client(world, persona)
    assert client.get(url).status_code == 404
    assert client.post(url, _draft_data(c, title="Sửa trộm")).status_code == 404
    c.refresh_from_db()
    assert c.title != "Sửa trộm"
    with pytest.raises(ValidationError):
        crit.do_update_draft(world.users[persona], c, title="Sửa trộm")


def test_a_draft_is_fixed_once_its_critique_is_issued(world: Any) -> None:
    c, _points = with_points(world)
    crit.do_issue_critique(world.users["staff"], c, issued_on=D(2025, 10, 10))
    c.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        crit.do_update_draft(world.users["staff"], c, title="Sửa sau khi ban hành")
    assert "Đã ban hành văn bản phản biện" in " ".join(exc.value.messages)
    client = _client(world, "staff")
    url = reverse("oversight:critique_edit", args=[c.pk])
    r = client.post(url, _draft_data(c, title="Sửa sau khi ban hành"), follow=True)
    assert "Đã ban hành văn bản phản biện" in r.content.decode()
    c.refresh_from_db()
    assert c.title != "Sửa sau khi ban hành"
    assert (
        'id="edit-draft"'
        not in client.get(reverse("oversight:critique_detail", args=[c.pk])).content.decode()
    )
