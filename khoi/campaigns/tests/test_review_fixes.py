"""Regression tests for the reviewer's findings on the campaigns app (session 4)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest

from khoi.campaigns import services
from khoi.campaigns.models import Reminder
from khoi.campaigns.reminders import send_missing_reminders
from khoi.campaigns.tests.factories import full_cells, setup_campaign
from khoi.org import services as org_services

pytestmark = pytest.mark.django_db


@pytest.fixture
def c(world: Any) -> dict[str, Any]:
    return setup_campaign(world)


def test_no_reminder_for_a_period_starting_after_the_campaign_ended(
    world: Any, c: dict[str, Any]
) -> None:
    org_services.do_update_person(None, world.people["reporter"], email="mai@example.org")
    campaign = c["campaign"]
    campaign.end_on = datetime.date(2020, 6, 30)
    campaign.save(update_fields=["end_on"])
    # 2020-Q3 (due on 10/10/2020) begins after the campaign ended on 30/06/2020
    assert send_missing_reminders(datetime.date(2020, 10, 10)) == 0
    assert not Reminder.objects.exists()
    # 2020-Q2 (due in July) is still inside the campaign
    assert send_missing_reminders(datetime.date(2020, 7, 10)) == 1


def test_figures_never_submitted_count_nowhere_official(
    world: Any, c: dict[str, Any], as_user: Any
) -> None:
    from khoi.campaigns import providers, scoring

    reporter, staff, campaign = world.users["reporter"], world.users["staff"], c["campaign"]
    for q in ("2017-Q1", "2017-Q2", "2017-Q3"):  # entered, never submitted
        services.do_save_figures(reporter, campaign, world.commune, q, full_cells(c, "9"))
    cluster = services.do_create_cluster(
        staff, world.office, name="Cụm", kind="communes", units=[world.commune, world.commune2]
    )
    services.do_set_scoring_table(
        staff,
        cluster,
        year=2017,
        base_points=Decimal(0),
        campaign=campaign,
        criteria=[
            services.CriterionInput("Tuyên truyền", Decimal(100), "indicator", indicator=c["count"])
        ],
    )
    result = scoring.compute_ranking(cluster, 2017)
    assert result is not None
    assert all(r.total == 0 for r in result.rows)  # not 100 points and rank 1 from drafts
    section = providers.campaign_section(
        world.office, datetime.date(2017, 1, 1), datetime.date(2017, 12, 31)
    )
    assert section is not None and not section.tables  # no official total from drafts
    api = f"/api/v1/campaigns/{campaign.pk}/totals/2017-Q1"
    assert as_user("staff").get(api).json()["totals"] == {}
    # once approved, the quarter counts
    sub = services.do_submit_figures(reporter, campaign, world.commune, "2017-Q1")
    services.do_approve_figures(staff, sub)
    result = scoring.compute_ranking(cluster, 2017)
    assert result is not None
    assert {r.name: r.total for r in result.rows}["Phường Hà An"] == Decimal(100)
    assert Decimal(as_user("staff").get(api).json()["totals"]["1"]) == 9


def test_duplicates_and_prerequisites_are_scoped_to_the_office_and_the_achievement(
    world: Any, c: dict[str, Any]
) -> None:
    from django.core.exceptions import ValidationError

    from khoi.org.models import Organization

    staff, other = world.users["staff"], world.users["other_staff"]
    other_women = Organization.objects.get(name="Hội LHPN Uông Bí")
    kw: dict[str, Any] = {
        "form_code": "giay-khen-ca-nhan",
        "nominee_name": "Nguyễn Văn A",
        "year": 2017,
    }
    services.do_propose_award(
        other, world.other_office, proposer=other_women, achievement="Tuyên truyền", **kw
    )
    # a namesake in this office is another person: allowed, nothing of Uông Bí is named
    services.do_propose_award(
        staff, world.office, proposer=world.front, achievement="Tuyên truyền", **kw
    )
    # the same person and year, another achievement: allowed
    services.do_propose_award(
        staff, world.office, proposer=world.women, achievement="Hiến đất làm đường", **kw
    )
    with pytest.raises(ValidationError) as exc:
        services.do_propose_award(
            staff, world.office, proposer=world.women, achievement="Tuyên truyền", **kw
        )
    assert "Uông Bí" not in str(exc.value) and "Ủy ban MTTQ thị xã" in str(exc.value)
    # a namesake's award in another office does not satisfy a prerequisite here
    services.do_record_award(
        other,
        world.other_office,
        nominee_name="Xã Tiền Phong",
        form_code="giay-khen-tap-the",
        year=2015,
    )
    with pytest.raises(ValidationError, match="yêu cầu đã được"):
        services.do_propose_award(
            staff,
            world.office,
            proposer=world.women,
            form_code="bang-khen-tinh-tap-the",
            nominee_name="Xã Tiền Phong",
            year=2017,
            achievement="x",
        )


def test_a_numeric_excel_cell_is_read_as_the_number_it_holds(world: Any, c: dict[str, Any]) -> None:
    import io

    from openpyxl import load_workbook

    from khoi.campaigns import importer
    from khoi.campaigns import periods as P

    q = P.parse("2017-Q3")
    data = importer.build_template(c["campaign"], world.commune, q)
    wb = load_workbook(io.BytesIO(data))
    ws = wb[importer.SHEET_NAME]
    ws["B2"] = 1.25  # a numeric cell: one and a quarter, not 125
    buffer = io.BytesIO()
    wb.save(buffer)
    cells, problems = importer.parse_workbook(buffer.getvalue(), c["campaign"], world.commune, q)
    assert problems == []
    services.do_save_figures(world.users["reporter"], c["campaign"], world.commune, q.code, cells)
    from khoi.campaigns.models import Value

    assert Value.objects.get(indicator=c["count"]).number == Decimal("1.25")
    ws["B2"] = 1.234  # three decimals: refused, never read as 1234
    buffer = io.BytesIO()
    wb.save(buffer)
    _cells, problems = importer.parse_workbook(buffer.getvalue(), c["campaign"], world.commune, q)
    assert len(problems) == 1 and problems[0].startswith("Dòng 2, cột B")
    ws["B2"] = "1.234"  # a text cell is read the Vietnamese way: one thousand …
    buffer = io.BytesIO()
    wb.save(buffer)
    _cells, problems = importer.parse_workbook(buffer.getvalue(), c["campaign"], world.commune, q)
    assert len(problems) == 1 and "lớn hơn" in problems[0]


def _docx_text(data: bytes) -> str:
    import io
    import zipfile

    return zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()


def test_the_decision_prints_the_legal_citation_never_the_reviewer_note(
    world: Any, c: dict[str, Any]
) -> None:
    from types import SimpleNamespace

    from khoi.campaigns.decision import decision_docx

    p = services.do_propose_award(
        world.users["staff"],
        world.office,
        proposer=world.front,
        form_code="giay-khen-ca-nhan",
        nominee_name="Nguyễn Văn A",
        year=2025,
        achievement="Tuyên truyền",
    )
    assert "đối chiếu" in p.form.review_note and "đối chiếu" not in p.form.citation
    document = SimpleNamespace(notation="12/QĐ-MTTQ", issued_on=datetime.date(2026, 1, 5))
    text = _docx_text(decision_docx(world.office, document, [p], "Lê Đức Trà"))
    assert "Nghị định số 98/2023/NĐ-CP" in text
    assert "đối chiếu" not in text


@pytest.mark.parametrize(
    ("code", "day", "coefficient", "salary", "amount"),
    [
        # Decree 42/2010 (amended 2014) until 30/09/2017; Decree 91/2017 from 01/10/2017
        ("giay-khen-ca-nhan", datetime.date(2017, 8, 15), "0.3", 1_300_000, 390_000),
        ("giay-khen-ca-nhan", datetime.date(2017, 10, 1), "0.3", 1_300_000, 390_000),
        ("bang-khen-tinh-tap-the", datetime.date(2017, 12, 1), "2.0", 1_300_000, 2_600_000),
        # 2023: base salary 1,490,000 until 30/06/2023, then 1,800,000
        ("giay-khen-ca-nhan", datetime.date(2023, 3, 1), "0.3", 1_490_000, 450_000),
        ("giay-khen-ca-nhan", datetime.date(2023, 8, 1), "0.3", 1_800_000, 540_000),
        # 2024: Decree 98/2023 from 01/01/2024; base salary 2,340,000 from 01/07/2024
        ("bang-khen-tinh-ca-nhan", datetime.date(2024, 3, 1), "1.0", 1_800_000, 1_800_000),
        ("bang-khen-tinh-tap-the", datetime.date(2024, 8, 1), "2.0", 2_340_000, 4_680_000),
        # 2025: Decree 152/2025 from 01/07/2025
        ("bang-khen-tinh-ca-nhan", datetime.date(2025, 8, 1), "1.5", 2_340_000, 3_510_000),
        ("bang-khen-tinh-tap-the", datetime.date(2025, 8, 1), "3.0", 2_340_000, 7_020_000),
        ("bang-khen-tinh-tap-the", datetime.date(2025, 6, 30), "2.0", 2_340_000, 4_680_000),
    ],
)
def test_the_reward_is_the_multiple_times_the_base_salary_in_force_on_the_day(
    code: str, day: datetime.date, coefficient: str, salary: int, amount: int
) -> None:
    form = services.form_in_force(code, day)
    assert form is not None and form.coefficient == Decimal(coefficient)
    assert form.source and (form.valid_until is None or form.valid_until >= day)
    base = services.base_salary_on(day)
    assert base is not None and base.amount == salary and base.source
    assert services.reward_amount(form, day) == amount


def test_decree_91_2017_rows_start_on_its_effect_date() -> None:
    from khoi.campaigns.models import AwardForm

    assert not AwardForm.objects.filter(valid_from=datetime.date(2017, 7, 31)).exists()
    row = services.form_in_force("giay-khen-ca-nhan", datetime.date(2017, 9, 30))
    assert row is not None and "42/2010" in row.source and row.review_note
    row = services.form_in_force("giay-khen-ca-nhan", datetime.date(2017, 10, 1))
    assert row is not None and "91/2017" in row.source


def test_a_production_report_never_calls_its_figures_illustrative(
    world: Any, c: dict[str, Any]
) -> None:
    from khoi.campaigns import providers

    reporter, campaign = world.users["reporter"], c["campaign"]
    services.do_save_figures(reporter, campaign, world.commune, "2017-Q3", full_cells(c))
    sub = services.do_submit_figures(reporter, campaign, world.commune, "2017-Q3")
    services.do_approve_figures(world.users["staff"], sub)
    section = providers.campaign_section(
        world.office, datetime.date(2017, 7, 1), datetime.date(2017, 12, 31)
    )
    assert section is not None and section.tables
    assert not any("minh họa" in p for p in section.paragraphs)


def test_a_commune_without_areas_cannot_complete_an_area_level_indicator(
    world: Any, c: dict[str, Any]
) -> None:
    from khoi.campaigns import periods as P

    missing = services.missing_cells(c["campaign"], world.commune2, P.parse("2017-Q3"))
    assert any("chưa có khu dân cư" in m and "chỉ tiêu 2" in m for m in missing)


def test_the_demo_ranks_its_19_communes_on_illustrative_figures(db: None) -> None:
    from khoi.campaigns import access, scoring
    from khoi.campaigns.demo import ILLUSTRATIVE
    from khoi.campaigns.models import Campaign, Cluster, Value
    from khoi.org.demo import load_demo
    from khoi.org.models import ResidentialArea

    load_demo()
    campaigns = list(Campaign.objects.all())
    assert len(campaigns) == 2
    assert all(ILLUSTRATIVE in c.description for c in campaigns)
    assert all(c.launch_document_id for c in campaigns)  # both launched in the register
    communes = list(access.office_communes(campaigns[0].office))
    assert len(communes) == 19
    assert set(
        ResidentialArea.objects.filter(commune__in=communes).values_list("commune_id", flat=True)
    ) == {c.pk for c in communes}
    periods = set(Value.objects.values_list("period", flat=True))
    assert {"2017-Q1", "2017-Q2", "2017-Q3"} <= periods
    cluster = Cluster.objects.get()
    assert "minh họa" in cluster.name
    result = scoring.compute_ranking(cluster, 2017)
    assert result is not None and len(result.rows) == 19
    indicator_parts = [
        v
        for r in result.rows
        for k, v in r.parts.items()
        if k in {c.pk for c in result.criteria if c.source == "indicator"}
    ]
    assert any(v > 0 for v in indicator_parts)
    assert len({r.total for r in result.rows}) > 1  # not everyone on the same score


def test_a_year_that_is_not_a_number_is_not_found(
    world: Any, c: dict[str, Any], as_user: Any
) -> None:
    url = f"/campaigns/{c['campaign'].pk}/"
    assert as_user("staff").get(url + "?year=abc").status_code == 404
    assert as_user("staff").get(url + "?year=99999").status_code == 404
    assert as_user("staff").get(url + "?year=2017").status_code == 200


def test_the_campaign_page_opens_on_the_last_ended_period_and_lists_every_kind(
    world: Any, c: dict[str, Any], as_user: Any
) -> None:
    from khoi import clock
    from khoi.campaigns.models import Indicator

    services.do_add_indicator(
        world.users["staff"],
        c["campaign"],
        code="9",
        name="Khu dân cư văn hóa",
        kind="number",
        level="commune",
        period_kind=Indicator.PeriodKind.YEAR,
    )
    day = datetime.date(2020, 10, 10)  # the personas' memberships run from 2020
    with clock.use_date(day):
        response = as_user("staff").get(f"/campaigns/{c['campaign'].pk}/")
    assert response.status_code == 200
    assert response.context["period"].code == "2020-Q3"  # not the unfinished 2020-Q4
    codes = {p.code for p in response.context["periods"]}
    assert {"2017-Q1", "2020-Q4", "2017", "2020"} <= codes  # every year, quarters and years
    with clock.use_date(day):
        yearly = as_user("staff").get(f"/campaigns/{c['campaign'].pk}/?period=2017")
    assert yearly.status_code == 200 and "Khu dân cư văn hóa" in yearly.content.decode()


def test_the_yearly_figure_follows_the_indicator_rule() -> None:
    from khoi.campaigns.scoring import PeriodFigure, yearly_figure

    q = [PeriodFigure(number=Decimal(n)) for n in (4, 10, 7)]
    assert yearly_figure("number", "sum", q) == 21
    assert yearly_figure("number", "last", q) == 7
    assert yearly_figure("number", "average", q) == 7
    assert yearly_figure("number", "max", q) == 10
    pct = [
        PeriodFigure(numerator=Decimal(50), denominator=Decimal(100)),
        PeriodFigure(numerator=Decimal(90), denominator=Decimal(100)),
    ]
    assert yearly_figure("percent", "sum", pct) == 70  # Σnum/Σden
    assert yearly_figure("percent", "last", pct) == 90
    assert yearly_figure("percent", "max", pct) == 90


def test_the_ranking_uses_the_last_value_of_a_stock_indicator(
    world: Any, c: dict[str, Any]
) -> None:
    from khoi.campaigns import scoring
    from khoi.campaigns.models import Indicator, Submission, Value

    staff = world.users["staff"]
    stock = services.do_add_indicator(
        staff,
        c["campaign"],
        code="7",
        name="Khu dân cư văn hóa (lũy kế)",
        kind="number",
        level="commune",
        period_kind=Indicator.PeriodKind.QUARTER,
        aggregation=Indicator.Aggregation.LAST,
    )
    for q, n in (("2017-Q1", 4), ("2017-Q2", 5), ("2017-Q3", 6)):
        Value.objects.create(indicator=stock, commune=world.commune, period=q, year=2017, number=n)
        Submission.objects.create(
            campaign=c["campaign"], commune=world.commune, period=q, year=2017, status="approved"
        )
    cluster = services.do_create_cluster(
        staff, world.office, name="Cụm", kind="communes", units=[world.commune]
    )
    services.do_set_scoring_table(
        staff,
        cluster,
        year=2017,
        base_points=Decimal(0),
        campaign=c["campaign"],
        criteria=[services.CriterionInput("KDC", Decimal(100), "indicator", indicator=stock)],
    )
    services.do_set_target(staff, stock, commune=world.commune, year=2017, value=Decimal(12))
    result = scoring.compute_ranking(cluster, 2017)
    assert result is not None
    assert result.rows[0].total == 50  # 6 of 12 (the sum 15 would give 100)


@pytest.mark.parametrize(
    ("persona", "listed", "figures", "completeness", "ranking"),
    [
        ("office_head", 1, 200, 200, 200),
        ("staff", 1, 200, 200, 200),
        ("viewer", 1, 200, 200, 200),
        ("reporter", 1, 200, 404, 200),
        ("org_leader", 1, 404, 404, 200),
        ("other_staff", 0, 404, 404, 404),
        ("outsider", 0, 404, 404, 404),
        ("admin", 1, 200, 200, 200),
    ],
)
def test_the_api_reads_per_persona(
    world: Any,
    c: dict[str, Any],
    as_user: Any,
    persona: str,
    listed: int,
    figures: int,
    completeness: int,
    ranking: int,
) -> None:
    campaign = c["campaign"]
    services.do_save_figures(
        world.users["reporter"], campaign, world.commune, "2017-Q3", full_cells(c)
    )
    cluster = services.do_create_cluster(
        world.users["staff"], world.office, name="Cụm", kind="communes", units=[world.commune]
    )
    client = as_user(persona)
    base = f"/api/v1/campaigns/{campaign.pk}"
    assert len(client.get("/api/v1/campaigns/").json()) == listed
    got = client.get(f"{base}/figures/{world.commune.pk}/2017-Q3")
    assert got.status_code == figures
    if figures == 200:
        assert len(got.json()["figures"]) == 5 and got.json()["status"] == "draft"
    got = client.get(f"{base}/completeness/2017-Q3")
    assert got.status_code == completeness
    if completeness == 200:
        rows = {r["id"]: r["status"] for r in got.json()["communes"]}
        assert rows[world.commune.pk] == "draft" and rows[world.commune2.pk] == ""
    got = client.get(f"/api/v1/campaigns/clusters/{cluster.pk}/ranking/2017")
    assert got.status_code == ranking
    # a commune of another office is never read, whoever asks
    foreign = client.get(f"{base}/figures/{world.other_commune.pk}/2017-Q3")
    assert foreign.status_code == 404


def test_the_import_over_http_keeps_to_the_reporter_scope(
    world: Any, c: dict[str, Any], as_user: Any
) -> None:
    import io

    from django.urls import reverse
    from openpyxl import load_workbook

    from khoi.campaigns import importer
    from khoi.campaigns import periods as P
    from khoi.campaigns.models import Value
    from khoi.org.models import ResidentialArea

    campaign, q = c["campaign"], "2017-Q3"
    foreign = org_services.do_add_residential_area(
        None, world.commune2, "Thôn Bắc", ResidentialArea.Kind.AREA
    )
    data = importer.build_template(campaign, world.commune, P.parse(q))
    wb = load_workbook(io.BytesIO(data))
    ws = wb[importer.SHEET_NAME]
    ws["B2"] = 12
    ws.append([foreign.name, None, 10, 20, "Có"])  # a row of another commune's area
    buffer = io.BytesIO()
    wb.save(buffer)

    def post(persona: str, commune_pk: int, payload: bytes) -> Any:
        url = reverse("campaigns:entry_import", args=[campaign.pk, commune_pk, q])
        upload = io.BytesIO(payload)
        upload.name = "so-lieu.xlsx"
        return as_user(persona).post(url, {"file": upload})

    refused = post("reporter", world.commune.pk, buffer.getvalue())
    assert refused.status_code == 200
    body = refused.content.decode()
    assert "Thôn Bắc" in body and "không phải là đơn vị" in body
    assert not Value.objects.exists()  # nothing half-saved
    # another commune's grid, or another office's staff: not found
    assert post("reporter", world.commune2.pk, data).status_code == 404
    assert post("other_staff", world.commune.pk, data).status_code == 404
    assert post("org_leader", world.commune.pk, data).status_code == 404
    ws.delete_rows(ws.max_row)
    buffer = io.BytesIO()
    wb.save(buffer)
    ok = post("reporter", world.commune.pk, buffer.getvalue())
    assert ok.status_code == 302
    assert Value.objects.get(indicator=c["count"]).number == 12


def test_an_indicator_criterion_is_refused_in_a_cluster_of_organizations(
    world: Any, c: dict[str, Any]
) -> None:
    from django.core.exceptions import ValidationError

    cluster = services.do_create_cluster(
        world.users["staff"], world.office, name="Khối tổ chức", kind="organizations"
    )
    with pytest.raises(ValidationError, match="chỉ dùng để chấm điểm cụm thi đua các xã"):
        services.do_set_scoring_table(
            world.users["staff"],
            cluster,
            year=2017,
            base_points=Decimal(0),
            campaign=c["campaign"],
            criteria=[
                services.CriterionInput("A", Decimal(100), "indicator", indicator=c["count"])
            ],
        )
    assert not cluster.tables.exists()


def test_two_first_saves_at_once_end_in_a_message_not_a_crash(
    world: Any, c: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.core.exceptions import ValidationError

    from khoi.campaigns.models import Submission, Value

    reporter, campaign, q = world.users["reporter"], c["campaign"], "2017-Q3"
    services.do_save_figures(reporter, campaign, world.commune, q, full_cells(c))
    Value.objects.all().delete()
    # the second save read "no submission yet" before the first one committed
    monkeypatch.setattr(services, "get_submission", lambda *a, **k: None)
    with pytest.raises(ValidationError, match="cùng lúc"):
        services.do_save_figures(reporter, campaign, world.commune, q, full_cells(c, "6"))
    assert Submission.objects.count() == 1 and not Value.objects.exists()


def test_the_completeness_table_follows_vietnamese_alphabetical_order(
    world: Any, c: dict[str, Any], as_user: Any
) -> None:
    from khoi.lib.vntext import collation_key

    response = as_user("staff").get(f"/campaigns/{c['campaign'].pk}/?period=2017-Q3")
    names = [r["commune"].name for r in response.context["rows"]]
    assert names == sorted(names, key=collation_key)
    api = as_user("staff").get(f"/api/v1/campaigns/{c['campaign'].pk}/completeness/2017-Q3")
    api_names = [r["name"] for r in api.json()["communes"]]
    assert api_names == sorted(api_names, key=collation_key)
