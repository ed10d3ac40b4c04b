"""The demo is October 2017: load_demo stores its day, `make run`'s server (KHOI_CLOCK_DATE=demo)
uses it for every "today", and a banner says so. Tests and production use the real clock."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.test.utils import override_settings

from khoi import clock
from khoi.accounts.models import User
from khoi.demo.models import ProductDate
from khoi.demo.services import do_set_product_date
from khoi.org.demo import DEMO_DATE, load_demo
from khoi.org.models import JointOffice

REAL = datetime.datetime(2026, 12, 1, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def real_day() -> Any:
    with time_machine.travel(REAL, tick=False):
        yield REAL.date()


def test_the_real_clock_by_default(db: None, real_day: datetime.date) -> None:
    do_set_product_date(None, datetime.date(2017, 10, 20))
    assert clock.today() == real_day  # a stored demo date is ignored unless asked for
    assert clock.product_date() is None


def test_an_iso_setting_sets_the_date(real_day: datetime.date) -> None:
    with override_settings(KHOI_CLOCK_DATE="2017-10-13"):
        assert clock.today() == datetime.date(2017, 10, 13)
        assert clock.now().date() == datetime.date(2017, 10, 13)
        assert clock.now().tzinfo is not None
        assert clock.real_now() == REAL


def test_demo_mode_reads_the_stored_date(db: None, real_day: datetime.date) -> None:
    with override_settings(KHOI_CLOCK_DATE="demo"):
        clock.clear_cache()
        assert clock.today() == real_day  # no demo loaded yet
        do_set_product_date(None, datetime.date(2017, 10, 20))
        assert clock.today() == datetime.date(2017, 10, 20)
        with clock.use_date(datetime.date(2017, 1, 2)):
            assert clock.today() == datetime.date(2017, 1, 2)
        assert clock.today() == datetime.date(2017, 10, 20)
    clock.clear_cache()


def test_the_demo_reads_as_october_2017(db: None, real_day: datetime.date) -> None:
    from khoi.work.forms_tasks import TaskForm

    load_demo()
    assert ProductDate.objects.get().date == DEMO_DATE == datetime.date(2017, 10, 20)
    office = JointOffice.objects.get(code="quang-yen")
    client = Client()
    client.force_login(User.objects.get(username="canbo"))
    with override_settings(KHOI_CLOCK_DATE="demo"):
        clock.clear_cache()
        home = client.get("/")
        assert home.status_code == 200
        text = home.content.decode()
        assert "dữ liệu mẫu" in text and "20/10/2017" in text
        cards = {str(c.label): c.value for c in home.context["cards"]}
        assert cards["hoạt động trong tháng"] > 0
        assert cards["nhiệm vụ quá hạn"] < cards["nhiệm vụ chưa hoàn thành"]
        calendar = client.get("/work/activities/calendar/")
        assert calendar.context["first"] == datetime.date(2017, 10, 1)
        scan = client.get(f"/work/joint/scan/?office={office.code}")
        assert scan.context["period"]["start"] == datetime.date(2017, 10, 1)
        form = TaskForm(office=office, data={"title": "Báo cáo", "due_on": "25/10/2017"})
        form.is_valid()
        assert "due_on" not in form.errors
    clock.clear_cache()
    assert "dữ liệu mẫu" not in client.get("/").content.decode()  # tests: the real clock
