"""The fund's pages: who sees and posts, the receipt in words (.docx, PDF)."""

from __future__ import annotations

import datetime
import io
import shutil
from typing import Any

import pytest
from docx import Document
from time_machine import TimeMachineFixture

from khoi.fund import services
from khoi.fund.models import Entry, Fund

D = datetime.date(2021, 2, 20)


@pytest.fixture(autouse=True)
def _frozen(time_machine: TimeMachineFixture) -> None:
    time_machine.move_to(datetime.datetime(2021, 3, 1, 9, 0, tzinfo=datetime.UTC), tick=False)


@pytest.fixture
def fund(world: Any) -> Fund:
    fund = services.do_create_fund(
        None, name="Quỹ Vì người nghèo phường Hà An", unit=world.commune,
        level=Fund.Level.COMMUNE, office=world.office,
    )  # fmt: skip
    services.do_add_accountant(None, fund, world.users["staff"])
    services.do_post_receipt(None, fund, amount=1_250_000, date=D, donor_kind="person",
                             donor_name="Nguyễn Văn An")  # fmt: skip
    return fund


@pytest.mark.parametrize(
    ("persona", "status"),
    [("office_head", 200), ("staff", 200), ("viewer", 200), ("reporter", 200),
     ("other_staff", 404), ("outsider", 404)],
)  # fmt: skip
def test_who_sees_the_fund_page(as_user: Any, fund: Fund, persona: str, status: int) -> None:
    client = as_user(persona)
    assert client.get(f"/fund/{fund.pk}/?year=2021").status_code == status
    entry = Entry.objects.get(fund=fund)
    assert client.get(f"/fund/entries/{entry.pk}/receipt.docx").status_code == status
    listed = fund.name in client.get("/fund/").content.decode()
    assert listed == (status == 200)


@pytest.mark.parametrize(("persona", "status"), [("staff", 302), ("office_head", 404),
                                                 ("viewer", 404), ("outsider", 404)])  # fmt: skip
def test_only_the_accountant_posts_from_the_page(
    as_user: Any, fund: Fund, persona: str, status: int
) -> None:
    client = as_user(persona)
    resp = client.post(f"/fund/{fund.pk}/receipts/new/", {
        "amount": "2.500.000", "date": "21/02/2021", "donor_kind": "anonymous",
        "channel": "cash"})  # fmt: skip
    assert resp.status_code == status
    assert Entry.objects.filter(fund=fund).count() == (2 if status == 302 else 1)


def test_bad_input_gets_a_vietnamese_message_and_nothing_is_saved(as_user: Any, fund: Fund) -> None:
    client = as_user("staff")
    resp = client.post(f"/fund/{fund.pk}/expenditures/new/", {
        "amount": "9.000.000", "date": "21/02/2021", "purpose": "health",
        "beneficiary": "Hộ ông B"})  # fmt: skip
    assert resp.status_code == 200 and "vượt số dư" in resp.content.decode()
    resp = client.post(f"/fund/{fund.pk}/receipts/new/", {
        "amount": "1.5", "date": "21/02/2021", "donor_kind": "person", "channel": "cash"})  # fmt: skip
    assert "thập phân" in resp.content.decode()
    assert Entry.objects.filter(fund=fund).count() == 1


def test_a_reversal_from_the_page(as_user: Any, fund: Fund) -> None:
    entry = Entry.objects.get(fund=fund)
    resp = as_user("staff").post(f"/fund/entries/{entry.pk}/reverse/",
                                 {"date": "22/02/2021", "reason": "nộp nhầm quỹ"})  # fmt: skip
    assert resp.status_code == 302
    assert Entry.objects.get(reverses=entry).signed_amount == -1_250_000
    assert as_user("viewer").post(f"/fund/entries/{entry.pk}/reverse/",
                                  {"date": "22/02/2021", "reason": "x"}).status_code == 404  # fmt: skip


def test_the_ledger_links_each_row_to_one_reversal_page(as_user: Any, fund: Fund) -> None:
    """No form a row on the ledger page (it stays fast at 50 rows); one page per reversal."""
    entry = Entry.objects.get(fund=fund)
    client = as_user("staff")
    html = client.get(f"/fund/{fund.pk}/?year=2021").content.decode()
    assert f"/fund/entries/{entry.pk}/reverse/" in html and 'name="reason"' not in html
    page = client.get(f"/fund/entries/{entry.pk}/reverse/")
    assert page.status_code == 200 and 'name="reason"' in page.content.decode()
    assert as_user("viewer").get(f"/fund/entries/{entry.pk}/reverse/").status_code == 404
    resp = client.post(f"/fund/entries/{entry.pk}/reverse/", {"date": "", "reason": ""})
    assert resp.status_code == 200 and not Entry.objects.filter(reverses=entry).exists()
    client.post(f"/fund/entries/{entry.pk}/reverse/", {"date": "22/02/2021", "reason": "nhầm"})
    html = client.get(f"/fund/{fund.pk}/?year=2021").content.decode()
    assert f"/fund/entries/{entry.pk}/reverse/" not in html  # reversed once, no link again


def test_the_receipt_writes_the_amount_in_words(as_user: Any, fund: Fund) -> None:
    entry = Entry.objects.get(fund=fund)
    resp = as_user("staff").get(f"/fund/entries/{entry.pk}/receipt.docx")
    text = "\n".join(p.text for p in Document(io.BytesIO(resp.content)).paragraphs)
    assert "PHIẾU THU" in text and "1.250.000 đồng" in text
    assert "Một triệu hai trăm năm mươi nghìn đồng" in text


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_the_receipt_as_pdf(as_user: Any, fund: Fund) -> None:
    entry = Entry.objects.get(fund=fund)
    resp = as_user("staff").get(f"/fund/entries/{entry.pk}/receipt.pdf")
    assert resp.status_code == 200 and resp.content.startswith(b"%PDF")


def test_the_fund_page_runs_a_fixed_number_of_queries(
    as_user: Any, fund: Fund, django_assert_max_num_queries: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = as_user("staff")
    url = f"/fund/{fund.pk}/?year=2021"
    client.get(url)  # warm the per-process caches (menu, clock)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    few = count()
    for i in range(30):
        services.do_post_receipt(None, fund, amount=1_000 + i, date=D, donor_kind="anonymous")
    assert count() == few  # the same number of queries with 1 and with 31 entries
    with django_assert_max_num_queries(9):
        client.get(url)


def test_the_admin_shows_entries_read_only(as_user: Any, fund: Fund) -> None:
    entry = Entry.objects.get(fund=fund)
    client = as_user("admin")
    assert client.get("/admin/fund/entry/").status_code == 200
    resp = client.post(f"/admin/fund/entry/{entry.pk}/change/", {"amount": "1"})
    assert resp.status_code == 403
    assert client.post(f"/admin/fund/entry/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Entry.objects.get(pk=entry.pk).amount == 1_250_000


def test_the_receipt_form_names_donor_kinds_in_vietnamese(as_user: Any, fund: Fund) -> None:
    page = as_user("staff").get(f"/fund/{fund.pk}/receipts/new/").content.decode()
    assert '<option value="person">cá nhân</option>' in page
    assert '<option value="organization">tổ chức</option>' in page
    assert '<option value="anonymous">ẩn danh</option>' in page
    assert "nặc danh" not in page and ">cán bộ<" not in page
