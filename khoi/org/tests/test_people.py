from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from khoi.audit.models import AuditEntry
from khoi.org import services
from khoi.org.models import Membership, Person
from khoi.testing.factories import START, World, person


def test_people_are_found_by_name_without_diacritics(world: World, as_user) -> None:
    page = (
        as_user("office_head").get(reverse("org:person_list"), {"q": "le duc tra"}).content.decode()
    )
    assert "Lê Đức Trà" in page
    assert "Nguyễn Thị Hà" not in page


def test_people_are_found_by_part_of_the_name_with_diacritics(world: World, as_user) -> None:
    page = as_user("office_head").get(reverse("org:person_list"), {"q": "Đức"}).content.decode()
    assert "Lê Đức Trà" in page


def test_people_are_listed_in_vietnamese_order_by_given_name(world: World, as_user) -> None:
    for name in ["Trần Văn Bình", "Nguyễn Thị Ánh", "Phạm Văn An", "Đỗ Thị Đào"]:
        person(name, world.town)
    page = as_user("office_head").get(reverse("org:person_list")).content.decode()
    order = ["Phạm Văn An", "Nguyễn Thị Ánh", "Trần Văn Bình", "Đỗ Thị Đào"]
    positions = [page.index(n) for n in order]
    assert positions == sorted(positions)


def test_the_htmx_search_returns_only_the_rows(world: World, as_user) -> None:
    response = as_user("staff").get(
        reverse("org:person_list"), {"q": "tra"}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert "Lê Đức Trà" in body
    assert "<html" not in body


def test_staff_add_a_person_and_the_log_records_it(world: World, as_user) -> None:
    response = as_user("staff").post(
        reverse("org:person_create"),
        {
            "full_name": "  Hoàng   Thị Thuỷ ",
            "unit": world.commune.pk,
            "phone": "0912 345 678",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    created = Person.objects.get(name_folded="hoang thi thuy")
    assert created.full_name == "Hoàng Thị Thuỷ"
    assert created.phone == "0912345678"
    entry = AuditEntry.objects.filter(object_type="org.person", object_id=str(created.pk)).get()
    assert entry.action == "person.create"
    assert entry.actor == world.users["staff"]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"full_name": "", "unit": "UNIT"}, "full_name", "Nhập họ và tên"),
        ({"full_name": "Nguyễn Văn A", "unit": ""}, "unit", "Chọn đơn vị"),
        (
            {"full_name": "Nguyễn Văn A", "unit": "UNIT", "birth_year": "1800"},
            "birth_year",
            "Năm sinh phải",
        ),
        (
            {"full_name": "Nguyễn Văn A", "unit": "UNIT", "phone": "12"},
            "phone",
            "số điện thoại gồm 10 chữ số",
        ),
        (
            {"full_name": "Nguyễn Văn A", "unit": "UNIT", "email": "not-an-email"},
            "email",
            "email hợp lệ",
        ),
    ],
)
def test_bad_input_is_refused_in_vietnamese_naming_the_field_and_keeps_what_was_typed(
    world: World, as_user, data: dict[str, str], field: str, message: str
) -> None:
    data = {k: (str(world.commune.pk) if v == "UNIT" else v) for k, v in data.items()}
    before = Person.objects.count()
    response = as_user("staff").post(reverse("org:person_create"), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    body = response.content.decode()
    assert message in body
    if data.get("full_name"):
        assert data["full_name"] in body
    assert Person.objects.count() == before


def test_a_unit_outside_the_editors_reach_is_refused(world: World, as_user) -> None:
    response = as_user("staff").post(
        reverse("org:person_create"), {"full_name": "Nguyễn Văn A", "unit": world.other_commune.pk}
    )
    assert response.status_code == 200
    assert "unit" in response.context["form"].errors


def test_editing_a_person_records_before_and_after(world: World, as_user) -> None:
    target = world.people["commune_citizen"]
    response = as_user("office_head").post(
        reverse("org:person_edit", args=[target.pk]),
        {
            "full_name": target.full_name,
            "unit": target.unit_id,
            "phone": "0987654321",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.filter(action="person.update").get()
    assert entry.changes == {"phone": ["", "0987654321"]}


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "url_name", ["org:person_list", "org:organization_list", "org:office_list", "home"]
)
def test_list_pages_run_a_fixed_number_of_queries_whatever_the_number_of_people(
    world: World, as_user, url_name: str
) -> None:
    client = as_user("office_head")
    url = reverse(url_name)
    _queries(client, url)  # warm up the session
    few = _queries(client, url)
    for i in range(30):
        person(f"Nguyễn Văn Thêm {i}", world.commune)
    assert _queries(client, url) == few


def test_the_office_page_runs_a_fixed_number_of_queries(
    world: World, as_user, django_assert_num_queries
) -> None:
    client = as_user("office_head")
    url = reverse("org:office_detail", args=[world.office.code])
    few = _queries(client, url)
    for i in range(10):
        p = person(f"Cán bộ {i}", world.town)
        services.do_add_membership(
            None, p, role=Membership.Role.STAFF, start_on=START, office=world.office
        )
    with django_assert_num_queries(few):
        client.get(url)
