"""Regressions of the review of the oversight app (branch ovfix): each test failed before
its fix."""

from __future__ import annotations

import datetime
import itertools
from typing import Any

from khoi.org import services as org_services
from khoi.org.models import Membership
from khoi.oversight import access
from khoi.oversight.models import Supervision
from khoi.oversight.tests.factories import supervision

D = datetime.date


def _fresh(user: Any) -> Any:
    return type(user).objects.get(pk=user.pk)  # no cached scope


def test_a_reporter_who_leads_their_commune_front_records_their_commune(world: Any) -> None:
    org_services.do_add_membership(
        None, world.people["reporter"], role=Membership.Role.CHAIR, start_on=D(2020, 1, 1),
        organization=world.commune_front,
    )  # fmt: skip
    reporter = _fresh(world.users["reporter"])
    assert access.can_write(reporter, world.office, world.commune_front.pk, world.commune.pk)
    assert not access.can_write(reporter, world.office, world.commune_front.pk, world.commune2.pk)
    sup = supervision(
        world, actor=reporter, organization=world.commune_front, unit=world.commune,
        subject="Giám sát bình xét hộ nghèo", form=Supervision.Form.INSPECTION_BOARD,
    )  # fmt: skip
    assert access.get_supervision_for_user(_fresh(reporter), sup.pk) == sup


def test_the_lead_organization_and_the_commune_belong_to_the_office(world: Any) -> None:
    import pytest
    from django.core.exceptions import ValidationError

    from khoi.org.models import Organization

    uong_bi_women = Organization.objects.get(name="Hội LHPN Uông Bí")
    with pytest.raises(ValidationError) as exc:
        supervision(world, organization=uong_bi_women)
    assert "không phải là tổ chức của Cơ quan Khối Quảng Yên" in exc.value.message_dict[
        "organization"][0]  # fmt: skip
    with pytest.raises(ValidationError) as exc:
        supervision(world, unit=world.other_commune)
    assert "không thuộc địa bàn của Cơ quan Khối Quảng Yên" in exc.value.message_dict["unit"][0]
    assert not Supervision.objects.exists()
    # the commune's own Front leads its commune's supervision
    assert supervision(world, organization=world.commune_front, unit=world.commune).pk


def test_delegation_membership_is_checked_on_the_decision_date(world: Any) -> None:
    import pytest
    from django.core.exceptions import ValidationError

    from khoi.oversight.services import supervision as services

    staff = world.users["staff"]
    left, joined = world.people["commune_citizen"], world.people["other_person"]
    org_services.do_add_membership(None, left, role=Membership.Role.MEMBER,
                                   start_on=D(2020, 1, 1), end_on=D(2025, 9, 30),
                                   organization=world.women)  # fmt: skip
    org_services.do_add_membership(None, joined, role=Membership.Role.MEMBER,
                                   start_on=D(2025, 10, 1), organization=world.women)  # fmt: skip
    sup = supervision(world)
    Supervision.objects.filter(pk=sup.pk).update(decision_on=D(2025, 9, 5))
    sup.refresh_from_db()
    # today is 20/10/2025: she left on 30/09 but was a member when the delegation was set up
    assert services.add_member(staff, sup, person=left, organization=world.women).pk
    with pytest.raises(ValidationError) as exc:
        services.add_member(staff, sup, person=joined, organization=world.women)
    assert "05/09/2025" in exc.value.message_dict["person"][0]


def _summary_text(world: Any, half: int) -> tuple[str, list[str]]:
    import io

    from docx import Document

    from khoi.oversight import exports
    from khoi.oversight.models import Recommendation

    start, end = (D(2025, 1, 1), D(2025, 6, 30)) if half == 1 else (D(2025, 7, 1), D(2025, 12, 31))
    recs = Recommendation.objects.filter(office=world.office)
    doc = Document(io.BytesIO(exports.summary_docx(world.office, recs, start, end, half)))
    cells = [cell.text for t in doc.tables for row in t.rows for cell in row.cells]
    return "\n".join(p.text for p in doc.paragraphs), cells


def test_the_six_monthly_summary_counts_by_the_answer_dates(world: Any) -> None:
    from khoi.oversight import exports, providers
    from khoi.oversight.models import Recommendation
    from khoi.oversight.services import recommendations as recs

    staff = world.users["staff"]

    def rec(content: str, issued: datetime.date, due: datetime.date) -> Recommendation:
        return recs.create_recommendation(staff, world.office, body="UBND phường Hà An",
                                          content=content, issued_on=issued, due_on=due)  # fmt: skip

    late = rec("Chi trả tiền bồi thường", D(2025, 6, 2), D(2025, 6, 20))  # overdue on 30/06
    last_day = rec("Công khai phương án", D(2025, 6, 30), D(2025, 7, 30))  # open, not yet due
    on_end = rec("Đối thoại với các hộ", D(2025, 6, 1), D(2025, 6, 30))  # answered on 30/06
    recs.answer_recommendation(staff, late, answered_on=D(2025, 9, 1), outcome="accepted")
    recs.answer_recommendation(staff, last_day, answered_on=D(2025, 9, 1), outcome="accepted")
    recs.answer_recommendation(staff, on_end, answered_on=D(2025, 6, 30), outcome="partly",
                               explanation="Đã đối thoại một phần")  # fmt: skip
    mine = Recommendation.objects.filter(office=world.office)
    h1 = exports.summary_figures(mine, D(2025, 1, 1), D(2025, 6, 30))["totals"]
    assert (h1["n"], h1["answered"], h1["partly"], h1["accepted"]) == (3, 1, 1, 0)
    assert (h1["open"], h1["overdue"]) == (2, 1)
    h2 = exports.summary_figures(mine, D(2025, 7, 1), D(2025, 12, 31))["totals"]
    assert (h2["n"], h2["answered"], h2["accepted"], h2["open"], h2["overdue"]) == (0, 2, 2, 0, 0)
    text, cells = _summary_text(world, 1)
    assert (
        "đến ngày 30/06/2025 còn 2 kiến nghị chưa được trả lời, trong đó 1 kiến nghị quá hạn"
        in text
    )
    assert "Chi trả tiền bồi thường" in cells and "Công khai phương án" not in cells
    text, cells = _summary_text(world, 2)
    assert "trong kỳ đã được trả lời 2 kiến nghị" in text and "Chi trả tiền bồi thường" not in cells
    s1 = providers.recommendations_section(world.office, D(2025, 1, 1), D(2025, 6, 30))
    assert s1 is not None and s1.figures == {
        "recommendations_made": 3, "recommendations_answered": 1, "recommendations_overdue": 1}  # fmt: skip
    s2 = providers.recommendations_section(world.office, D(2025, 7, 1), D(2025, 12, 31))
    assert s2 is not None and s2.figures == {
        "recommendations_made": 0, "recommendations_answered": 2, "recommendations_overdue": 0}  # fmt: skip


def test_the_feedback_report_cites_the_rule_in_force_on_its_date(world: Any) -> None:
    import io

    from docx import Document

    from khoi.oversight.documents_criticism import feedback_report_docx
    from khoi.oversight.models import LegalBasis
    from khoi.oversight.services import feedback

    r = feedback.do_open_round(
        world.users["staff"], world.office, title="Góp ý xây dựng Đảng năm 2025",
        subject_kind="cadres", subject="Đạo đức, lối sống của cán bộ, đảng viên",
        start_on=D(2025, 9, 1), end_on=D(2025, 10, 31), send_to="Ban Thường vụ Thị ủy",
    )  # fmt: skip

    def text(day: datetime.date) -> str:
        data = feedback_report_docx(r, [], notation="01/BC-MTTQ", reported_on=day, signer="")
        return "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)

    assert "Quyết định số 218-QĐ/TW ngày 12/12/2013" in text(D(2025, 10, 17))
    # the administrator records the replacing rule: reports from its date cite it
    LegalBasis.objects.filter(number="218-QĐ/TW").update(valid_until=D(2025, 9, 30))
    LegalBasis.objects.create(
        number="999-QĐ/TW", name="Quy định thử nghiệm về góp ý", issuer="Bộ Chính trị",
        issued_on=D(2025, 10, 1), valid_from=D(2025, 10, 1), scope=LegalBasis.Scope.FEEDBACK,
        source="Quy định số 999-QĐ/TW ngày 01/10/2025 của Bộ Chính trị",
    )  # fmt: skip
    assert "999-QĐ/TW" in text(D(2025, 10, 17)) and "218-QĐ/TW" not in text(D(2025, 10, 17))
    assert "218-QĐ/TW" in text(D(2025, 9, 20))


def test_the_statutory_data_is_consistent() -> None:
    from khoi.oversight import criticism_rules, statutory

    assert "QĐi" not in (criticism_rules.__doc__ or "")
    bases = {str(b["number"]): b for b in statutory.LEGAL_BASES}
    end_217 = bases["217-QĐ/TW"]["valid_until"]
    assert end_217 == D(2023, 10, 3) and bases["124-QĐ/TW"]["valid_from"] == D(2023, 10, 4)
    for kind in ("lead", "answer"):
        rows = sorted((r for r in criticism_rules.RULES if r[0] == kind), key=lambda r: r[5])
        with_217 = [r for r in rows if "217-QĐ/TW" in r[3]]
        assert max(r[6] for r in with_217 if r[6]) == end_217
        assert "124-QĐ/TW" in rows[-1][3] and rows[-1][5] == D(2023, 10, 4)
        for before, after in itertools.pairwise(rows):  # no gap, no overlap
            assert before[6] is not None and before[6] + datetime.timedelta(days=1) == after[5]


def test_no_answer_lead_time_in_force_means_no_invented_due_date(world: Any) -> None:
    from django.test import Client
    from django.urls import reverse

    from khoi.oversight.models import LeadTime
    from khoi.oversight.services import recommendations as recs

    assert recs.default_due_on(D(2025, 10, 20)) is not None
    LeadTime.objects.filter(key=LeadTime.Key.ANSWER_AFTER).delete()
    assert recs.default_due_on(D(2025, 10, 20)) is None
    c = Client()
    c.force_login(world.users["staff"])
    page = c.get(reverse("oversight:recommendation_create")).content.decode()
    assert "nhập hạn trả lời bằng tay" in page


def test_an_organization_leader_records_a_standalone_recommendation(world: Any) -> None:
    from django.test import Client
    from django.urls import reverse

    from khoi.oversight.models import Recommendation

    c = Client()
    c.force_login(world.users["org_leader"])
    url = reverse("oversight:recommendation_create") + f"?office={world.office.pk}"
    page = c.get(url).content.decode()
    assert "Hội LHPN thị xã" in page and "Ủy ban MTTQ thị xã" not in page
    post = {"body": "UBND thị xã", "content": "Hỗ trợ phụ nữ bị thu hồi đất chuyển nghề",
            "issued_on": "20/10/2025", "due_on": "20/11/2025"}  # fmt: skip
    r = c.post(url, {**post, "organization": world.front.pk})  # not theirs: not a choice
    assert r.status_code == 200 and not Recommendation.objects.exists()
    r = c.post(url, {**post, "organization": world.women.pk})
    rec = Recommendation.objects.get()
    assert r.status_code == 302 and rec.organization == world.women and rec.unit is None


def test_admin_edits_of_the_statutory_data_are_audited(world: Any) -> None:
    from django.test import Client

    from khoi.audit.models import AuditEntry
    from khoi.oversight.models import LeadTime, LegalBasis
    from khoi.oversight.models.criticism import CriticismRule

    c = Client()
    c.force_login(world.users["admin"])
    lead = LeadTime.objects.get(key=LeadTime.Key.PLAN_BEFORE)
    r = c.post(f"/admin/oversight/leadtime/{lead.pk}/change/", {
        "key": lead.key, "days": 5, "working_days": "on", "valid_from": "12/12/2013",
        "valid_until": "", "source": lead.source, "note": ""})  # fmt: skip
    assert r.status_code == 302, r.content.decode()[:3000]
    entry = AuditEntry.objects.get(action="oversight.lead_time.change")
    assert entry.changes["days"] == [7, 5] and entry.actor == world.users["admin"]
    basis = LegalBasis.objects.get(number="124-QĐ/TW")
    r = c.post(f"/admin/oversight/legalbasis/{basis.pk}/delete/", {"post": "yes"})
    assert r.status_code == 302 and not LegalBasis.objects.filter(number="124-QĐ/TW").exists()
    assert AuditEntry.objects.get(action="oversight.legal_basis.delete").changes["number"] == [
        "124-QĐ/TW", None]  # fmt: skip
    rule = CriticismRule.objects.order_by("pk").first()
    assert rule is not None
    r = c.post("/admin/oversight/criticismrule/", {
        "action": "delete_selected", "_selected_action": [rule.pk], "post": "yes"})  # fmt: skip
    assert r.status_code == 302 and not CriticismRule.objects.filter(pk=rule.pk).exists()
    assert AuditEntry.objects.filter(action="oversight.criticism_rule.delete").count() == 1


def test_the_seeds_load_once_and_a_deleted_row_stays_deleted(world: Any) -> None:
    from django.test import Client
    from django.urls import reverse

    from khoi.oversight.models import LeadTime, LegalBasis
    from khoi.oversight.services import recommendations as recs

    # loaded by migrate (post_migrate), before any page ran
    assert (
        LegalBasis.objects.filter(number__in=["217-QĐ/TW", "124-QĐ/TW", "218-QĐ/TW"]).count() == 3
    )
    assert LeadTime.objects.filter(key=LeadTime.Key.PLAN_BEFORE).exists()
    LegalBasis.objects.filter(number="403/2017/NQLT-UBTVQH14-CP-ĐCTUBTWMTTQVN").delete()
    LeadTime.objects.filter(key=LeadTime.Key.BODY_REPORT_BEFORE).delete()
    c = Client()
    c.force_login(world.users["staff"])
    assert c.get(reverse("oversight:supervision_create")).status_code == 200
    assert c.get(reverse("oversight:recommendation_create")).status_code == 200
    supervision(world)
    recs.default_due_on(D(2025, 10, 20))
    assert not LegalBasis.objects.filter(number__startswith="403/2017").exists()
    assert not LeadTime.objects.filter(key=LeadTime.Key.BODY_REPORT_BEFORE).exists()


def test_source_is_translated_by_its_meaning(world: Any) -> None:
    from django.test import Client
    from django.urls import reverse

    from khoi.oversight.services import recommendations as recs

    sup = supervision(world)
    rec = recs.create_recommendation(
        world.users["staff"], world.office, body="UBND phường Hà An", content="Công khai",
        due_on=D(2025, 11, 20), supervision=sup,
    )  # fmt: skip
    c = Client()
    c.force_login(world.users["staff"])
    pages = {
        "sup": c.get(reverse("oversight:supervision_detail", args=[sup.pk])).content.decode(),
        "rec": c.get(reverse("oversight:recommendation_detail", args=[rec.pk])).content.decode(),
        "list": c.get(reverse("oversight:recommendation_list")).content.decode(),
    }
    assert all("Nguồn giao" not in p for p in pages.values())
    assert "<th>Căn cứ</th>" in pages["sup"]
    assert "<dt>Xuất xứ</dt>" in pages["rec"] and "<th>Xuất xứ</th>" in pages["list"]


def test_a_programme_not_built_in_the_last_quarter_is_flagged(world: Any) -> None:
    from django.test import Client
    from django.urls import reverse

    from khoi.oversight.tests.factories import programme

    on_time = programme(world, year=2026)  # made 20/10/2025
    late = programme(world, world.women, year=2025)
    assert not on_time.built_out_of_season() and late.built_out_of_season()
    c = Client()
    c.force_login(world.users["staff"])
    page = c.get(reverse("oversight:programme_detail", args=[late.pk])).content.decode()
    assert 'id="out-of-season"' in page and "không phải trong quý IV của năm trước" in page
    page = c.get(reverse("oversight:programme_detail", args=[on_time.pk])).content.decode()
    assert 'id="out-of-season"' not in page


def test_a_reporter_sees_nothing_of_another_communes_records(world: Any) -> None:
    import io

    from django.test import Client
    from django.urls import reverse
    from docx import Document
    from openpyxl import load_workbook

    from khoi.oversight.services import recommendations as recs

    staff = world.users["staff"]
    other = supervision(world, unit=world.commune2, subject="Giám sát xét duyệt hộ cận nghèo",
                        body="UBND xã Tiền Phong")  # fmt: skip
    other_rec = recs.create_recommendation(
        staff, world.office, body="UBND xã Tiền Phong", content="Niêm yết danh sách hộ cận nghèo",
        issued_on=D(2025, 10, 1), due_on=D(2025, 10, 15), supervision=other,
    )  # fmt: skip
    mine = supervision(world, actor=world.users["reporter"], organization=world.commune_front,
                       unit=world.commune, subject="Giám sát bình xét hộ nghèo")  # fmt: skip
    mine_rec = recs.create_recommendation(
        world.users["reporter"], world.office, body="UBND phường Hà An",
        content="Công khai danh sách hộ nghèo", issued_on=D(2025, 10, 1),
        due_on=D(2025, 10, 15), supervision=mine,
    )  # fmt: skip
    c = Client()
    c.force_login(world.users["reporter"])
    # pages
    for name, pk in (("supervision_detail", other.pk), ("recommendation_detail", other_rec.pk)):
        assert c.get(reverse(f"oversight:{name}", args=[pk])).status_code == 404
    for name in ("index", "recommendation_list"):
        page = c.get(reverse(f"oversight:{name}")).content.decode()
        assert "hộ cận nghèo" not in page and "hộ nghèo" in page
    # API
    assert c.get(f"/api/v1/oversight/supervisions/{other.pk}").status_code == 404
    assert c.get(f"/api/v1/oversight/recommendations/{other_rec.pk}").status_code == 404
    assert [s["id"] for s in c.get("/api/v1/oversight/supervisions").json()["items"]] == [mine.pk]
    items = c.get("/api/v1/oversight/recommendations").json()["items"]
    assert [r["id"] for r in items] == [mine_rec.pk]
    # .xlsx: only their commune's row
    r = c.get(reverse("oversight:recommendation_export"))
    rows = list(load_workbook(io.BytesIO(r.content)).active.values)
    assert [row[3] for row in rows[1:]] == ["Công khai danh sách hộ nghèo"]
    # .docx: the summary counts and lists only what they read
    r = c.get(reverse("oversight:summary_docx") + f"?office={world.office.pk}&year=2025&half=2")
    doc = Document(io.BytesIO(r.content))
    text = "\n".join(p.text for p in doc.paragraphs)
    cells = [cell.text for t in doc.tables for row in t.rows for cell in row.cells]
    assert "đã gửi 1 kiến nghị" in text
    assert "Niêm yết danh sách hộ cận nghèo" not in cells and "UBND xã Tiền Phong" not in cells
    assert "Công khai danh sách hộ nghèo" in cells


def test_the_summary_is_issued_by_the_fronts_committee_as_the_critiques_are(world: Any) -> None:
    import io

    from docx import Document

    from khoi.oversight import exports
    from khoi.oversight.documents_criticism import _issuer
    from khoi.oversight.models import Recommendation

    data = exports.summary_docx(world.office, Recommendation.objects.none(), D(2025, 7, 1),
                                D(2025, 12, 31), 2)  # fmt: skip
    doc = Document(io.BytesIO(data))
    everything = "\n".join(
        [p.text for p in doc.paragraphs]
        + [cell.text for t in doc.tables for row in t.rows for cell in row.cells]
    )
    superior, issuer = _issuer(world.office)
    assert superior in everything and issuer in everything  # THỊ XÃ QUẢNG YÊN
    assert world.office.name.upper() not in everything
    assert "TM. BAN THƯỜNG TRỰC" in everything


def test_due_dates_cross_tet_and_the_year_end_and_follow_an_edited_lead_time(
    world: Any,
) -> None:
    from django.test import Client
    from django.urls import reverse

    from khoi.oversight import statutory
    from khoi.oversight.admin_audit import audited_save
    from khoi.oversight.models import LeadTime
    from khoi.oversight.services import recommendations as recs
    from khoi.oversight.services import supervision as services
    from khoi.workcalendar.services import work_calendar

    # the year end: 7 working days before Friday 02/01/2026 skip 1/1 and two weekends
    sup = supervision(world, planned_from=D(2026, 1, 2), planned_until=D(2026, 1, 30))
    due = {d.key: d.due_on for d in services.due_dates(sup)}
    assert due["plan_before"] == D(2025, 12, 23) and due["body_report_before"] == D(2025, 12, 29)
    # Tết Bính Ngọ (16–20/02/2026): 30 calendar days from 16/01 end on Sunday 15/02, moved
    # past the holiday to Monday 23/02; 10 working days after Friday 13/02 end on 06/03
    assert recs.default_due_on(D(2026, 1, 16)) == D(2026, 2, 23)
    report_after = statutory.lead_times_on(D(2026, 2, 13))["report_after"]
    assert statutory.shift(D(2026, 2, 13), report_after, before=False,
                           calendar=work_calendar()) == D(2026, 3, 6)  # fmt: skip
    # the administrator edits the lead time: the supervision's due date follows
    lead = LeadTime.objects.get(key=LeadTime.Key.PLAN_BEFORE)
    lead.days = 10
    audited_save(world.users["admin"], lead, "oversight.lead_time")
    due = {d.key: d.due_on for d in services.due_dates(sup)}
    assert due["plan_before"] == D(2025, 12, 18)
    c = Client()
    c.force_login(world.users["staff"])
    page = c.get(reverse("oversight:supervision_detail", args=[sup.pk])).content.decode()
    assert "18/12/2025" in page and "23/12/2025" not in page


def test_the_periodic_report_and_the_briefing_agenda_include_oversight(world: Any) -> None:
    import io
    from zoneinfo import ZoneInfo

    from docx import Document

    from khoi.documents import reports
    from khoi.meetings import services as meetings
    from khoi.meetings.models import Meeting
    from khoi.oversight.services import recommendations as recs
    from khoi.oversight.services import supervision as services

    staff = world.users["staff"]
    done = supervision(world)
    services.add_session(staff, done, held_on=D(2025, 9, 15))
    services.record_step(staff, done, "report", on=D(2025, 9, 26))
    recs.create_recommendation(
        staff, world.office, body="UBND phường Hà An", content="Công khai phương án bồi thường",
        issued_on=D(2025, 9, 26), due_on=D(2025, 10, 10), supervision=done,
    )  # fmt: skip
    recs.create_recommendation(
        staff, world.office, body="UBND xã Tiền Phong", content="Đối thoại với các hộ dân",
        issued_on=D(2025, 10, 1), due_on=D(2025, 10, 24),
    )  # fmt: skip
    # the periodic report, as the report app gathers and renders it
    sections = reports.gather_sections(world.office, D(2025, 7, 1), D(2025, 12, 31))
    keys = [s.key for s in sections]
    assert {"oversight.supervisions", "oversight.recommendations"} <= set(keys)
    period = reports.parse_or_refuse("2025-H2")
    report = reports.transient_report(world.office, period)
    doc = Document(io.BytesIO(reports.build_docx(report)))
    cells = [cell.text for t in doc.tables for row in t.rows for cell in row.cells]
    assert "Công khai phương án bồi thường" in cells  # the overdue recommendation
    # the briefing's agenda, as the meetings app fills it
    meeting = meetings.do_create_meeting(
        staff, world.office, kind=Meeting.Kind.BRIEFING, title="Giao ban tuần",
        starts_at=datetime.datetime(2025, 10, 20, 8, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")),
    )  # fmt: skip
    items = meetings.do_prefill_agenda(staff, meeting)
    sources = {i.source for i in items}
    assert {"oversight.recommendation.overdue", "oversight.recommendation.due"} <= sources
