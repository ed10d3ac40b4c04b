"""The household register: encrypted identifiers, masked lists, logged full views, matches."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import translation
from time_machine import TimeMachineFixture

from khoi.audit.models import AuditEntry, SensitiveAccess
from khoi.fund import services
from khoi.fund.models import Household, MatchDecision

ID = "022158245882"
PHONE = "0912 345 678"


@pytest.fixture(autouse=True)
def _frozen(time_machine: TimeMachineFixture) -> None:
    time_machine.move_to(datetime.datetime(2021, 3, 1, 9, 0, tzinfo=datetime.UTC), tick=False)


@pytest.fixture
def pair(world: Any) -> tuple[Household, Household]:
    a = services.do_create_household(
        None, unit=world.commune, head_name="Nguyễn Văn Hùng", head_birth_year=1958,
        address="Số nhà 12, khu 5", members=[{"name": "Trần Thị Lan", "birth_year": 1960}],
        id_number=ID, phone=PHONE, source="Ủy ban MTTQ phường",
    )  # fmt: skip
    b = services.do_create_household(
        None, unit=world.commune, head_name="Tran Thi Lan", head_birth_year=1960,
        address="khu 5", members=[{"name": "Nguyen Van Hung"}], phone="+84912345678",
        source="Hội LHPN",
    )  # fmt: skip
    services.do_add_support(None, b, year=2020, organization="Hội LHPN thị xã",
                            kind="housing_repair", amount=30_000_000)  # fmt: skip
    return a, b


def test_id_and_phone_are_encrypted_at_rest_and_masked(pair: tuple[Household, Household]) -> None:
    a, _b = pair
    with connection.cursor() as cur:
        cur.execute("SELECT * FROM fund_household WHERE id = %s", [a.pk])
        raw = " ".join(str(v) for v in cur.fetchone())
    assert ID not in raw and "0912345678" not in raw
    assert a.id_masked == "*********882" and a.phone_masked == "*******678"
    assert not AuditEntry.objects.filter(changes__icontains=ID).exists()


def test_bad_identifiers_are_refused_with_the_field(world: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        services.do_create_household(None, unit=world.commune, head_name="A", id_number="12345",
                                     phone="12")  # fmt: skip
    assert {"id_number", "phone"} <= set(exc.value.message_dict)


def test_the_wife_in_another_list_is_shown_with_what_she_received(
    as_user: Any, pair: tuple[Household, Household]
) -> None:
    a, _b = pair
    page = as_user("staff").get(f"/fund/households/{a.pk}/").content.decode()
    assert "Tran Thi Lan" in page
    assert "đã nhận" in page and "Hội LHPN thị xã" in page and "2020" in page
    assert "vợ/chồng" in page


def test_confirm_and_reject_are_kept_and_audited(
    as_user: Any, pair: tuple[Household, Household]
) -> None:
    a, b = pair
    client = as_user("reporter")
    resp = client.post(f"/fund/households/{a.pk}/match/{b.pk}/", {"decision": "different"})
    assert resp.status_code == 302
    assert MatchDecision.objects.get().decision == "different"
    assert services.find_household_matches(a) == []
    client.post(f"/fund/households/{a.pk}/match/{b.pk}/", {"decision": "same"})
    [match] = services.find_household_matches(a)
    assert match.decision == "same"
    assert AuditEntry.objects.filter(action="fund.household.match").count() == 2
    assert as_user("viewer").post(f"/fund/households/{a.pk}/match/{b.pk}/",
                                  {"decision": "same"}).status_code == 404  # fmt: skip


@pytest.mark.parametrize(
    ("persona", "list_status", "full"),
    [("staff", 200, True), ("office_head", 200, True), ("reporter", 200, True),
     ("viewer", 200, False), ("other_staff", 404, False), ("outsider", 404, False)],
)  # fmt: skip
def test_who_sees_the_household_and_its_full_identity(
    as_user: Any, pair: tuple[Household, Household], persona: str, list_status: int, full: bool
) -> None:
    a, _b = pair
    client = as_user(persona)
    assert client.get(f"/fund/households/{a.pk}/").status_code == list_status
    listing = client.get("/fund/households/").content.decode()
    assert ID not in listing and "0912345678" not in listing
    assert ("*********882" in listing) == (list_status == 200)
    resp = client.post(f"/fund/households/{a.pk}/identity/", {"purpose": "xét hỗ trợ"})
    if full:
        assert resp.status_code == 200 and ID in resp.content.decode()
        assert SensitiveAccess.objects.filter(object_id=str(a.pk)).count() == 1
    else:
        assert resp.status_code == 404
        assert not SensitiveAccess.objects.exists()


def test_the_reporter_of_another_commune_sees_nothing(as_user: Any, world: Any) -> None:
    other = services.do_create_household(None, unit=world.commune2, head_name="Lê Văn C")
    client = as_user("reporter")
    assert client.get(f"/fund/households/{other.pk}/").status_code == 404
    assert "Lê Văn C" not in client.get("/fund/households/").content.decode()


def test_poverty_status_takes_the_standard_in_force_that_year(
    pair: tuple[Household, Household],
) -> None:
    a, _b = pair
    assert (
        services.do_set_poverty_status(None, a, year=2017, status="poor").standard.code
        == "qd-59-2015"
    )
    assert (
        services.do_set_poverty_status(None, a, year=2023, status="near_poor").standard.code
        == "nd-07-2021"
    )
    with pytest.raises(ValidationError):
        services.do_set_poverty_status(None, a, year=2005, status="poor")


def test_2026_takes_the_unconfirmed_2026_2030_standard_and_a_gap_is_said_in_vietnamese(
    pair: tuple[Household, Household],
) -> None:
    a, _b = pair
    row = services.do_set_poverty_status(None, a, year=2026, status="poor")
    assert row.standard.code == "cn-2026-2030-du-thao" and not row.standard.verified
    assert "chưa xác nhận" in row.standard.name and "Dự thảo" in row.standard.source
    with translation.override("vi"), pytest.raises(ValidationError) as err:
        services.do_set_poverty_status(None, a, year=2005, status="poor")
    assert err.value.message_dict["year"] == ["Chưa có chuẩn nghèo áp dụng cho năm 2005."]


def test_a_reporter_adds_a_household_from_the_page(as_user: Any, world: Any) -> None:
    client = as_user("reporter")
    resp = client.post("/fund/households/new/", {
        "unit": world.commune.pk, "head_name": "Phạm Văn Dũng", "head_birth_year": "1970",
        "members": "Lê Thị Hoa, 1972\nPhạm Văn Nam", "id_number": "245245882"})  # fmt: skip
    assert resp.status_code == 302
    h = Household.objects.get()
    assert h.members[0] == {"name": "Lê Thị Hoa", "birth_year": 1972} and h.id_masked.endswith(
        "882"
    )
    assert as_user("viewer").get("/fund/households/new/").status_code == 404


def test_the_list_runs_a_fixed_number_of_queries(
    as_user: Any, world: Any, django_assert_max_num_queries: Any
) -> None:
    for i in range(20):
        services.do_create_household(None, unit=world.commune, head_name=f"Hộ số {i}")
    client = as_user("staff")
    with django_assert_max_num_queries(7):
        client.get("/fund/households/")


def test_key_rotation_re_encrypts_household_identities_and_is_audited(
    world: Any, pair: tuple[Household, Household], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``rotate_petition_keys`` covers the households (same KHOI_FIELD_KEYS): after it, the
    old key can be dropped and the identities still open."""
    import hashlib
    import io
    import json

    from cryptography.fernet import Fernet
    from django.core.management import call_command

    from khoi.audit.services import verify_chain
    from khoi.petitions import crypto

    a, b = pair
    old = crypto._derived_dev_key()
    new = Fernet.generate_key()
    monkeypatch.setenv("KHOI_FIELD_KEYS", f"{new.decode()},{old.decode()}")
    out = io.StringIO()
    call_command("rotate_petition_keys", stdout=out)
    assert "2 hộ" in out.getvalue()
    entries = AuditEntry.objects.filter(action="fund.household.rotate_keys")
    assert sum(e.changes["identities"][1] for e in entries) == 2
    assert {e.changes["key"][1] for e in entries} == {hashlib.sha256(new).hexdigest()[:12]}
    dump = json.dumps([e.changes for e in entries])
    assert ID not in dump and "0912345678" not in dump and new.decode() not in dump
    assert verify_chain() is None
    monkeypatch.setenv("KHOI_FIELD_KEYS", new.decode())  # the old key dropped
    a.refresh_from_db()
    b.refresh_from_db()
    assert services.reveal_identity(world.users["staff"], a, "kiểm tra") == {
        "id_number": ID, "phone": "0912345678"}  # fmt: skip
    with pytest.raises(Exception):  # noqa: B017 — the old key alone no longer opens them
        Fernet(old).decrypt(a.identity_token.encode())
