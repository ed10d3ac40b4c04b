from __future__ import annotations

import datetime
import io
import re
from collections.abc import Sequence
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from khoi.audit.models import AuditEntry
from khoi.org import services as org_services
from khoi.org.models import Organization, ResidentialArea
from khoi.testing.factories import World
from khoi.testing.factories import unit as make_unit
from khoi.work import importer, services
from khoi.work.models import Activity
from khoi.work.tests.factories import activity
from khoi.work.views_import import SESSION_KEY

D = datetime.date
HEADER = [h for _key, h, _required in importer.COLUMNS]
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


# --- Helpers ---------------------------------------------------------------------------------


def xlsx(rows: Sequence[Sequence[Any]], header: Sequence[str] = HEADER) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = importer.SHEET_NAME
    ws.append(list(header))
    for row in rows:
        ws.append(list(row))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def row(
    title: Any = "Tuyên truyền pháp luật",
    kind: Any = "Tuyên truyền",
    org: Any = "Hội LHPN",
    start: Any = "02/10/2017",
    end: Any = "05/10/2017",
    *,
    description: Any = "",
    origin: Any = "",
    participants: Any = "",
    targets: Any = "",
    people: Any = None,
    budget: Any = None,
) -> list[Any]:
    return [title, kind, description, origin, org, participants, targets, start, end, people,
            budget]  # fmt: skip


def upload(
    client: Client, world: World, data: bytes, name: str = "ke-hoach.xlsx", **extra: Any
) -> Any:
    form = {"office": world.office.code, "file": SimpleUploadedFile(name, data), **extra}
    return client.post(reverse("work:import_upload"), form)


def token_of(response: Any) -> str:
    assert response.status_code == 302, response.content.decode()[:2000]
    m = re.search(r"/imports/([0-9a-f-]{36})/$", response["Location"])
    assert m, response["Location"]
    return m.group(1)


def preview(client: Client, token: str) -> Any:
    return client.get(reverse("work:import_preview", kwargs={"token": token}))


def confirm(client: Client, token: str, mode: str, expected: int) -> Any:
    return client.post(
        reverse("work:import_confirm", kwargs={"token": token}),
        {"mode": mode, "expected": str(expected)},
    )


def errors_of(response: Any) -> dict[int, list[tuple[str, str, str]]]:
    result: importer.ImportResult = response.context["result"]
    out: dict[int, list[tuple[str, str, str]]] = {}
    for e in result.errors:
        out.setdefault(e.row, []).append((e.column, e.header, e.code))
    return out


@pytest.fixture
def youth(world: World) -> Organization:
    org = org_services.do_create_organization(
        None, kind=Organization.Kind.YOUTH, name="Đoàn TNCS Hồ Chí Minh thị xã", unit=world.town
    )
    world.office.organizations.add(org)
    return org


@pytest.fixture
def areas(world: World) -> dict[str, ResidentialArea]:
    add = org_services.do_add_residential_area
    return {
        "thon1_ha_an": add(None, world.commune, "Thôn 1", "village"),
        "thon1_tien_phong": add(None, world.commune2, "Thôn 1", "village"),
        "khu5": add(None, world.commune, "Khu 5", "quarter"),
    }


# --- Cell parsers (hypothesis) ------------------------------------------------------------------

dates = st.dates(min_value=D(importer.MIN_YEAR, 1, 1), max_value=D(importer.MAX_YEAR, 12, 31))


@given(dates)
def test_a_date_reads_back_from_every_accepted_spelling(day: datetime.date) -> None:
    spellings = [
        day,
        datetime.datetime.combine(day, datetime.time(0, 0)),
        day.strftime("%d/%m/%Y"),
        f"{day.day}/{day.month}/{day.year}",
        day.isoformat(),
        f" {day.day:02d}-{day.month:02d}-{day.year} ",
        (day - D(1899, 12, 30)).days,  # an Excel serial number in a cell formatted as number
    ]
    for value in spellings:
        assert importer.parse_date(value) == day, value


@given(st.text(max_size=20))
def test_any_text_in_a_date_cell_is_a_date_or_a_cell_error(text: str) -> None:
    try:
        result = importer.parse_date(text)
    except importer.CellError as exc:
        assert exc.code in {"bad_date", "date_out_of_range"}
    else:
        assert result is None or isinstance(result, datetime.date)


def test_impossible_dates_and_implausible_years_are_refused() -> None:
    for text, code in [("31/02/2025", "bad_date"), ("2025/13/01", "bad_date"),
                       ("ngày mai", "bad_date"), ("01/01/1890", "date_out_of_range"),
                       ("5/3/25", "bad_date")]:  # fmt: skip
        with pytest.raises(importer.CellError) as exc:
            importer.parse_date(text)
        assert exc.value.code == code, text
    assert importer.parse_date(None) is None
    assert importer.parse_date("   ") is None


@given(st.integers(min_value=0, max_value=importer.MAX_BUDGET))
def test_an_amount_reads_back_from_every_accepted_spelling(n: int) -> None:
    dotted = f"{n:,}".replace(",", ".")
    spellings = [n, float(n) if n < 2**53 else n, str(n), dotted, f"{n:,}", f"{dotted} đ",
                 f"{dotted} VNĐ", f"{dotted},00", f"{n:,}".replace(",", " ")]  # fmt: skip
    for value in spellings:
        assert importer.parse_money(value) == n, value


@given(st.integers(min_value=1, max_value=999), st.sampled_from(["triệu", "tr", "nghìn"]))
def test_amounts_in_millions_and_thousands_are_read(n: int, unit: str) -> None:
    factor = 1000 if unit == "nghìn" else 1_000_000
    assert importer.parse_money(f"{n} {unit}") == n * factor


@given(st.text(max_size=20))
def test_any_text_in_a_money_cell_is_an_amount_or_a_cell_error(text: str) -> None:
    try:
        result = importer.parse_money(text)
    except importer.CellError as exc:
        assert exc.code in {"bad_money", "negative", "too_large"}
    else:
        assert result is None or (isinstance(result, int) and result >= 0)


def test_bad_amounts_are_refused_with_their_reason() -> None:
    for value, code in [("mười triệu", "bad_money"), ("-500.000", "negative"), (-1, "negative"),
                        (1500.5, "bad_money"), ("15.5", "bad_money"), ("1.50.000", "bad_money"),
                        (True, "bad_money"), (10**16, "too_large")]:  # fmt: skip
        with pytest.raises(importer.CellError) as exc:
            importer.parse_money(value)
        assert exc.value.code == code, value
    assert importer.parse_money("1,5 triệu") == 1_500_000
    assert importer.parse_count("1.200") == 1200
    with pytest.raises(importer.CellError):
        importer.parse_count("khoảng 100")


def test_column_letters_follow_excel() -> None:
    assert [importer.column_letter(i) for i in (0, 10, 25, 26, 27, 51, 52)] == [
        "A", "K", "Z", "AA", "AB", "AZ", "BA",
    ]  # fmt: skip


# --- Template -----------------------------------------------------------------------------------


def test_the_template_opens_with_openpyxl_and_has_the_headers_and_the_guide(
    world: World, as_user: Any, areas: dict[str, ResidentialArea]
) -> None:
    response = as_user("staff").get(reverse("work:import_template"))
    assert response.status_code == 200
    assert response["Content-Type"] == importer.XLSX_CONTENT_TYPE
    assert "attachment" in response["Content-Disposition"]
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == ["Hoạt động", "Hướng dẫn"]
    header = [c.value for c in wb["Hoạt động"][1]]
    assert header[:3] == ["Tên hoạt động*", "Loại*", "Mô tả"]
    assert header == HEADER
    assert "Từ ngày*" in header and "Đến ngày*" in header and "Kinh phí (VND)" in header
    guide = [str(c.value) for r in wb["Hướng dẫn"].iter_rows() for c in r if c.value]
    for expected in ("Tuyên truyền", "Giám sát", "Hội LHPN thị xã", "Ủy ban MTTQ thị xã",
                     "Phường Hà An", "Xã Tiền Phong", "Khu 5, Thôn 1"):  # fmt: skip
        assert expected in guide, expected
    assert "Phường Vàng Danh" not in guide  # another office's commune
    lists = wb["Hoạt động"].data_validations.dataValidation
    assert {str(dv.sqref).split(":")[0] for dv in lists} >= {"B2", "E2"}


def test_the_template_an_organization_leader_downloads_offers_only_their_organization(
    world: World, as_user: Any
) -> None:
    wb = load_workbook(
        io.BytesIO(as_user("org_leader").get(reverse("work:import_template")).content)
    )
    guide = [[c.value for c in r] for r in wb["Hướng dẫn"].iter_rows()]
    women = next(r for r in guide if r[0] == "Hội LHPN thị xã")
    front = next(r for r in guide if r[0] == "Ủy ban MTTQ thị xã")
    assert "phối hợp" not in str(women[1]) and "phối hợp" in str(front[1])


def test_a_filled_template_round_trips(world: World, as_user: Any) -> None:
    data = as_user("staff").get(reverse("work:import_template")).content
    wb = load_workbook(io.BytesIO(data))
    ws = wb["Hoạt động"]
    values = row(start=datetime.datetime(2017, 10, 2), end=datetime.datetime(2017, 10, 3))
    for col, value in enumerate(values, start=1):  # typed into row 2, under the header
        ws.cell(row=2, column=col, value=value)
    buf = io.BytesIO()
    wb.save(buf)
    result = importer.parse_workbook(buf.getvalue(), world.office, world.users["staff"])
    assert result.errors == []
    assert [(r.row, r.organization, r.start_on) for r in result.rows] == [
        (2, world.women, D(2017, 10, 2))
    ]


# --- Permissions --------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["outsider", "reporter", "viewer"])
def test_people_who_cannot_write_activities_cannot_import(
    world: World, as_user: Any, persona: str
) -> None:
    client = as_user(persona)
    assert client.get(reverse("work:import_upload")).status_code == 404
    assert client.get(reverse("work:import_template")).status_code == 404
    assert upload(client, world, xlsx([row()])).status_code == 404
    assert Activity.objects.count() == 0


@pytest.mark.parametrize("persona", ["office_head", "staff", "org_leader", "admin"])
def test_writers_see_the_upload_page(world: World, as_user: Any, persona: str) -> None:
    response = as_user(persona).get(reverse("work:import_upload"))
    assert response.status_code == 200
    assert reverse("work:import_template") in response.content.decode()


def test_staff_of_another_office_cannot_import_into_this_one(world: World, as_user: Any) -> None:
    client = as_user("other_staff")
    assert client.get(reverse("work:import_template") + "?office=quang-yen").status_code == 404
    response = upload(client, world, xlsx([row()]))
    assert response.status_code == 200 and response.context["form"].errors["office"]
    assert SESSION_KEY not in client.session


@pytest.mark.parametrize(
    "persona",
    ["office_head", "org_leader", "other_staff", "reporter", "viewer", "outsider", "admin"],
)
def test_a_pending_import_belongs_to_its_session(world: World, as_user: Any, persona: str) -> None:
    token = token_of(upload(as_user("staff"), world, xlsx([row()])))
    other = as_user(persona)
    assert preview(other, token).status_code == 404
    assert confirm(other, token, "all", 1).status_code == 404
    cancel = other.post(reverse("work:import_cancel", kwargs={"token": token}))
    assert cancel.status_code == 404
    assert Activity.objects.count() == 0


def test_an_organization_leader_imports_only_for_their_own_organization(
    world: World, as_user: Any
) -> None:
    client = as_user("org_leader")
    data = xlsx([row(title="Ngày hội phụ nữ"), row(title="Hội nghị Mặt trận", org="MTTQ")])
    response = preview(client, token_of(upload(client, world, data)))
    assert errors_of(response) == {3: [("E", "Tổ chức chủ trì*", "not_writable")]}
    assert [r.title for r in response.context["rows"]] == ["Ngày hội phụ nữ"]
    confirm(client, response.context["token"], "valid", 1)
    assert list(Activity.objects.values_list("organization", flat=True)) == [world.women.pk]


def test_the_plan_must_be_one_the_user_may_edit(world: World, as_user: Any) -> None:
    plan = services.do_create_plan(
        None, world.office, title="Kế hoạch của Khối", start_on=D(2017, 1, 1),
        end_on=D(2017, 12, 31), organization=world.front,
    )  # fmt: skip
    response = upload(as_user("org_leader"), world, xlsx([row()]), plan=plan.pk)
    assert response.status_code == 200 and response.context["form"].errors["plan"]


# --- A realistic file ---------------------------------------------------------------------------


def test_each_kind_of_error_is_named_by_row_and_column_and_nothing_is_imported_before_confirm(
    world: World, as_user: Any, areas: dict[str, ResidentialArea]
) -> None:
    client = as_user("org_leader")
    rows = [
        row(
            title="Tuyên truyền phòng chống bạo lực gia đình", targets="Hà An", budget="15.000.000"
        ),
        row(title=""),  # 3: missing title
        row(title="Liên hoan cuối năm", kind="Liên hoan"),  # 4: unknown kind
        row(title="Hội thao", org="Hội Nông dân"),  # 5: not a member of the office
        row(title="Hội nghị Mặt trận", org="MTTQ"),  # 6: not writable by the leader
        row(title="Khảo sát hộ nghèo", kind="Khảo sát", targets="Phường Vàng Danh"),  # 7
        row(title="Tập huấn cán bộ", kind="Tập huấn", start="10/10/2017", end="01/10/2017"),  # 8
        row(title="Giám sát", kind="Giám sát", start="31/02/2017"),  # 9: no such day
        row(title="Hỗ trợ hộ nghèo", kind="Hỗ trợ", budget="mười triệu"),  # 10: bad money
        [None] * 11,  # 11: empty, skipped
        row(title="Thi đua", kind="Thi đua", people="khoảng 100", targets="Thôn 1"),  # 12
        row(title="Vận động quỹ", kind="Vận động", participants="Hội CCB", end=""),  # 13
    ]
    response = preview(client, token_of(upload(client, world, xlsx(rows))))
    assert response.status_code == 200
    assert errors_of(response) == {
        3: [("A", "Tên hoạt động*", "required")],
        4: [("B", "Loại*", "unknown_kind")],
        5: [("E", "Tổ chức chủ trì*", "unknown_organization")],
        6: [("E", "Tổ chức chủ trì*", "not_writable")],
        7: [("G", "Địa bàn", "unit_outside")],
        8: [("I", "Đến ngày*", "end_before_start")],
        9: [("H", "Từ ngày*", "bad_date")],
        10: [("K", "Kinh phí (VND)", "bad_money")],
        12: [("G", "Địa bàn", "ambiguous_area"), ("J", "Số người dự kiến", "bad_number")],
        13: [("F", "Tổ chức phối hợp", "unknown_organization"), ("I", "Đến ngày*", "required")],
    }
    html = response.content.decode()
    assert "H (Từ ngày*)" in html and "K (Kinh phí (VND))" in html
    assert "Thôn 1 (Phường Hà An)" in html  # the ambiguity names the ways out
    assert [r.row for r in response.context["rows"]] == [2]
    assert response.context["n_bad"] == 10
    assert 'name="mode" value="valid"' in html and 'value="all"' not in html
    assert Activity.objects.count() == 0


def test_import_only_when_every_row_is_valid_is_refused_when_some_are_not(
    world: World, as_user: Any
) -> None:
    client = as_user("staff")
    token = token_of(upload(client, world, xlsx([row(), row(title="")])))
    response = confirm(client, token, "all", 1)
    assert response.status_code == 400
    assert Activity.objects.count() == 0


def test_confirm_imports_exactly_the_valid_rows_with_their_targets_and_participants(
    world: World, as_user: Any, areas: dict[str, ResidentialArea], youth: Organization
) -> None:
    client = as_user("staff")
    plan = services.do_create_plan(
        None, world.office, title="Kế hoạch năm 2017", start_on=D(2017, 1, 1),
        end_on=D(2017, 12, 31),
    )  # fmt: skip
    rows = [
        row(title="Tuyên truyền Luật Bình đẳng giới", kind="tuyen truyen", org="Hội LHPN",
            participants="MTTQ, Đoàn TN", targets="Hà An; Thôn 1 (Tiền Phong)",
            start=datetime.datetime(2017, 10, 2), end=datetime.datetime(2017, 10, 6),
            people="1.200", budget="15.000.000", description="Tại nhà văn hoá"),
        row(title="Tập huấn kỹ năng", kind="Tập huấn", org="Ủy ban MTTQ thị xã",
            targets="toàn địa bàn", start="5/3/2017", end="2017-03-06", budget=15000000,
            origin="ngành dọc"),
        row(title="", kind="Khác"),
        row(title="Ra quân tình nguyện hè", kind="vận động", org="Đoàn TNCS Hồ Chí Minh",
            targets="Xã Tiền Phong, Khu 5", start="01.06.2017", end="30/06/2017",
            budget="2,5 triệu"),
    ]  # fmt: skip
    token = token_of(upload(client, world, xlsx(rows), plan=plan.pk))
    stored = client.session[SESSION_KEY]["file"]
    assert stored == f"imports/{token}.xlsx" and default_storage.exists(stored)
    response = preview(client, token)
    assert response.context["n_valid"] == 3 and response.context["n_bad"] == 1
    button = re.search(r'name="mode" value="valid">([^<]*)</button>', response.content.decode())
    assert button and re.findall(r"\d+", button.group(1)) == ["3", "1"]  # "Nhập 3 …, bỏ qua 1 …"
    response = confirm(client, token, "valid", 3)
    assert response.status_code == 302 and response["Location"] == reverse("work:activity_list")
    assert not default_storage.exists(stored) and SESSION_KEY not in client.session

    got = {a.title: a for a in Activity.objects.all()}
    assert set(got) == {"Tuyên truyền Luật Bình đẳng giới", "Tập huấn kỹ năng",
                        "Ra quân tình nguyện hè"}  # fmt: skip
    a = got["Tuyên truyền Luật Bình đẳng giới"]
    assert (a.organization, a.kind, a.start_on, a.end_on) == (
        world.women, "propaganda", D(2017, 10, 2), D(2017, 10, 6),
    )  # fmt: skip
    assert (a.expected_participants, a.budget, a.plan, a.origin) == (
        1200,
        15_000_000,
        plan,
        "local",
    )
    assert (a.description, a.created_by) == ("Tại nhà văn hoá", world.users["staff"])
    assert set(a.participants.all()) == {world.front, youth}
    assert list(a.target_units.all()) == [world.commune]
    assert list(a.target_areas.all()) == [areas["thon1_tien_phong"]]
    b = got["Tập huấn kỹ năng"]
    assert (b.organization, b.kind, b.origin, b.start_on, b.end_on, b.budget) == (
        world.front, "training", "vertical", D(2017, 3, 5), D(2017, 3, 6), 15_000_000,
    )  # fmt: skip
    assert not b.target_units.exists() and not b.target_areas.exists()
    c = got["Ra quân tình nguyện hè"]
    assert (c.organization, c.kind, c.budget, c.start_on) == (
        youth, "mobilisation", 2_500_000, D(2017, 6, 1),
    )  # fmt: skip
    assert list(c.target_units.all()) == [world.commune2]
    assert list(c.target_areas.all()) == [areas["khu5"]]

    entries = AuditEntry.objects.filter(action="activity.import")
    assert entries.count() == 1
    entry = entries.get()
    assert (entry.object_type, entry.object_id) == ("org.jointoffice", str(world.office.pk))
    assert entry.changes["count"] == 3 and entry.changes["skipped_rows"] == [4]
    assert AuditEntry.objects.filter(action="activity.create").count() == 3


def test_importing_the_same_file_twice_finds_the_rows_already_recorded(
    world: World, as_user: Any
) -> None:
    client = as_user("staff")
    data = xlsx([row(), row(title="Tập huấn", kind="Tập huấn")])
    token = token_of(upload(client, world, data))
    assert confirm(client, token, "all", 2).status_code == 302
    response = preview(client, token_of(upload(client, world, data)))
    assert errors_of(response) == {2: [("A", "Tên hoạt động*", "exists")],
                                   3: [("A", "Tên hoạt động*", "exists")]}  # fmt: skip
    assert Activity.objects.count() == 2


def test_a_row_repeated_in_the_file_is_an_error(world: World, as_user: Any) -> None:
    client = as_user("staff")
    response = preview(client, token_of(upload(client, world, xlsx([row(), row()]))))
    assert errors_of(response) == {3: [("A", "Tên hoạt động*", "repeated")]}


def test_the_confirmation_counts_must_match_what_was_previewed(world: World, as_user: Any) -> None:
    client = as_user("staff")
    token = token_of(upload(client, world, xlsx([row(), row(title="Tập huấn")])))
    activity(world, world.women, "Tập huấn", start=D(2017, 10, 2))  # recorded meanwhile
    response = confirm(client, token, "valid", 2)
    assert response.status_code == 409
    assert Activity.objects.count() == 1


def test_a_failure_in_the_middle_rolls_back_everything(
    world: World, as_user: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = as_user("staff")
    rows = [row(title=f"Hoạt động số {i}") for i in range(1, 6)]
    token = token_of(upload(client, world, xlsx(rows)))
    real = services.do_create_activity
    calls: list[str] = []

    def failing_on_third(*args: Any, **kwargs: Any) -> Activity:
        calls.append(kwargs["title"])
        if len(calls) == 3:
            raise ValidationError({"title": ["Từ chối thử."]})
        return real(*args, **kwargs)

    monkeypatch.setattr(services, "do_create_activity", failing_on_third)
    before = AuditEntry.objects.count()
    response = confirm(client, token, "all", 5)
    assert response.status_code == 400
    message = str(next(iter(response.context["messages"])))
    assert re.findall(r"\d+", message) == ["4"] and "Từ chối thử." in message  # sheet row 4
    assert len(calls) == 3
    assert Activity.objects.count() == 0
    assert AuditEntry.objects.count() == before
    assert client.session[SESSION_KEY]["token"] == token  # the user may try again


def test_an_unexpected_crash_in_the_middle_rolls_back_everything_too(
    world: World, as_user: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = as_user("staff")
    token = token_of(upload(client, world, xlsx([row(title=f"Việc {i}") for i in range(4)])))
    real = services.do_create_activity
    calls: list[int] = []

    def crashing_on_third(*args: Any, **kwargs: Any) -> Activity:
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("disk full")
        return real(*args, **kwargs)

    monkeypatch.setattr(services, "do_create_activity", crashing_on_third)
    with pytest.raises(RuntimeError):
        confirm(client, token, "all", 4)
    assert Activity.objects.count() == 0


def test_cancel_deletes_the_kept_file(world: World, as_user: Any) -> None:
    client = as_user("staff")
    token = token_of(upload(client, world, xlsx([row()])))
    stored = client.session[SESSION_KEY]["file"]
    response = client.post(reverse("work:import_cancel", kwargs={"token": token}))
    assert response.status_code == 302
    assert not default_storage.exists(stored) and SESSION_KEY not in client.session
    assert preview(client, token).status_code == 404
    assert Activity.objects.count() == 0


def test_a_new_upload_replaces_the_pending_one(world: World, as_user: Any) -> None:
    client = as_user("staff")
    first = token_of(upload(client, world, xlsx([row()])))
    stored = client.session[SESSION_KEY]["file"]
    token_of(upload(client, world, xlsx([row()])))
    assert not default_storage.exists(stored)
    assert preview(client, first).status_code == 404


# --- Files that are not what they claim ------------------------------------------------------


def test_a_pdf_renamed_xlsx_is_refused_with_a_clear_message(world: World, as_user: Any) -> None:
    client = as_user("staff")
    response = upload(client, world, PDF, name="ke-hoach.xlsx")
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == ["Tệp này không phải bảng tính .xlsx."]
    assert SESSION_KEY not in client.session


def test_a_zip_that_is_not_a_workbook_gives_one_clear_error_not_a_crash(
    world: World, as_user: Any
) -> None:
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("hello.txt", "xin chào")
    client = as_user("staff")
    response = preview(client, token_of(upload(client, world, buf.getvalue())))
    assert response.status_code == 200
    assert [e.code for e in response.context["errors"]] == ["unreadable"]
    assert "Không đọc được tệp dưới dạng bảng tính .xlsx." in response.content.decode()
    assert confirm(client, response.context["token"], "all", 0).status_code == 400


def test_an_old_xls_file_is_told_to_be_saved_as_xlsx(world: World, as_user: Any) -> None:
    data = importer.OLE_MAGIC + b"\x00" * 600
    response = upload(as_user("staff"), world, data, name="cu.xls")
    assert response.status_code == 200 and response.context["form"].errors["file"]


def test_a_file_over_5_mb_is_refused(world: World, as_user: Any) -> None:
    data = importer.XLSX_MAGIC + b"\x00" * importer.MAX_BYTES
    response = upload(as_user("staff"), world, data)
    assert response.status_code == 200
    assert "5 MB" in response.context["form"].errors["file"][0]


def test_a_new_upload_deletes_files_abandoned_for_a_day(world: World, as_user: Any) -> None:
    def at(hour: int) -> time_machine.travel:
        return time_machine.travel(datetime.datetime(2025, 10, 1, tzinfo=datetime.UTC)
                                   + datetime.timedelta(hours=hour), tick=False)  # fmt: skip

    with at(8):
        client = as_user("staff")
        token_of(upload(client, world, xlsx([row()])))
        stale = client.session[SESSION_KEY]["file"]
    with at(20):
        token_of(upload(as_user("office_head"), world, xlsx([row()])))
    assert default_storage.exists(stale)  # half a day: the user may still confirm
    with at(33):
        token_of(upload(as_user("office_head"), world, xlsx([row()])))
    assert not default_storage.exists(stale)


def test_a_zip_bomb_is_refused_before_it_is_unpacked(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(importer, "MAX_UNPACKED_BYTES", 50_000)
    data = xlsx([row(description="x" * 60_000)])
    result = importer.parse_workbook(data, world.office, world.users["staff"])
    assert [(e.row, e.code) for e in result.errors] == [(0, "too_big")]


def test_too_many_rows_are_refused_with_the_limit(world: World) -> None:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(importer.SHEET_NAME)
    ws.append(HEADER)
    for i in range(importer.MAX_ROWS + 1):
        ws.append(row(title=f"Hoạt động {i}"))
    buf = io.BytesIO()
    wb.save(buf)
    result = importer.parse_workbook(buf.getvalue(), world.office, world.users["staff"])
    assert [(e.row, e.code) for e in result.errors] == [(0, "too_many_rows")]
    assert str(importer.MAX_ROWS) in result.errors[0].message and result.rows == []


def test_a_sheet_without_the_template_headers_is_refused(world: World) -> None:
    data = xlsx([["Tuyên truyền", "x"]], header=["Việc", "Ghi chú"])
    result = importer.parse_workbook(data, world.office, world.users["staff"])
    assert [e.code for e in result.errors] == ["bad_header"]
    assert "Tên hoạt động*" in result.errors[0].message


def test_communes_with_the_same_name_need_their_full_name(world: World) -> None:
    twin = make_unit("Xã Hà An", 3, world.town)
    data = xlsx([row(targets="Hà An"), row(title="Khác", targets="xa ha an; Phường Hà An")])
    result = importer.parse_workbook(data, world.office, world.users["staff"])
    assert [(e.row, e.column, e.code) for e in result.errors] == [(2, "G", "ambiguous_unit")]
    assert "“Hà An”" in result.errors[0].message
    assert result.rows[0].target_units == [twin, world.commune]


def test_a_sheet_with_only_the_header_says_so(world: World) -> None:
    result = importer.parse_workbook(xlsx([[None] * 11]), world.office, world.users["staff"])
    assert [(e.row, e.code) for e in result.errors] == [(0, "no_rows")]


def test_a_multi_line_description_keeps_its_line_breaks(world: World) -> None:
    data = xlsx([row(description="Sáng: khai mạc\nChiều: thảo luận")])
    result = importer.parse_workbook(data, world.office, world.users["staff"])
    assert result.rows[0].description == "Sáng: khai mạc\nChiều: thảo luận"


def test_columns_are_found_by_their_header_whatever_their_order(world: World) -> None:
    header = ["Từ ngày", "Đến ngày", "Tổ chức chủ trì", "Loại", "Tên hoạt động", "Ghi chú riêng"]
    data = xlsx([["02/10/2017", "", "Hội LHPN", "Khác", "Họp chi hội", "x"]], header=header)
    result = importer.parse_workbook(data, world.office, world.users["staff"])
    assert [(e.row, e.column, e.code) for e in result.errors] == [(2, "B", "required")]


def test_empty_rows_are_skipped_and_rows_keep_their_excel_numbers(world: World) -> None:
    data = xlsx([row(), [None] * 11, ["", "  ", None], row(title="")])
    result = importer.parse_workbook(data, world.office, world.users["staff"])
    assert result.total == 2
    assert [r.row for r in result.rows] == [2]
    assert [(e.row, e.column) for e in result.errors] == [(5, "A")]


# --- Efficiency ----------------------------------------------------------------------------------


def test_the_preview_makes_the_same_number_of_queries_for_5_or_60_rows(
    world: World, as_user: Any, areas: dict[str, ResidentialArea]
) -> None:
    client = as_user("staff")

    def queries(n: int) -> int:
        rows = [row(title=f"Việc {i}", targets="Hà An, Khu 5", participants="MTTQ")
                for i in range(n)]  # fmt: skip
        token = token_of(upload(client, world, xlsx(rows)))
        with CaptureQueriesContext(connection) as ctx:
            assert preview(client, token).status_code == 200
        return len(ctx.captured_queries)

    assert queries(5) == queries(60)
