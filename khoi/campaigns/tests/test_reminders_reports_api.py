"""Reminders to communes that have not reported, the report sections with their chart, the
agenda suggestions, the dashboard cards and the approval API."""

from __future__ import annotations

import datetime
import io
import zipfile
from typing import Any

import pytest
from django.core import mail

from khoi.campaigns import providers, services
from khoi.campaigns.models import Reminder, Submission
from khoi.campaigns.reminders import send_missing_reminders
from khoi.campaigns.tests.factories import full_cells, setup_campaign
from khoi.org import services as org_services

pytestmark = pytest.mark.django_db
Q = "2017-Q3"


@pytest.fixture
def c(world: Any) -> dict[str, Any]:
    return setup_campaign(world)


def test_communes_that_have_not_reported_get_one_reminder_a_day(
    world: Any, c: dict[str, Any]
) -> None:
    org_services.do_update_person(None, world.people["reporter"], email="mai@example.org")
    day = datetime.date(2020, 10, 10)  # the reporter's membership runs from 2020
    assert send_missing_reminders(day) == 1  # Hà An has a reporter with an address
    assert send_missing_reminders(day) == 0  # not twice the same day
    message = mail.outbox[0]
    assert message.to == ["mai@example.org"] and "quý III/2020" in message.subject
    assert Reminder.objects.get().period == "2020-Q3"
    reporter, campaign = world.users["reporter"], c["campaign"]
    services.do_save_figures(reporter, campaign, world.commune, "2020-Q3", full_cells(c))
    services.do_submit_figures(reporter, campaign, world.commune, "2020-Q3")
    assert send_missing_reminders(day + datetime.timedelta(days=1)) == 0


def test_the_report_has_the_campaign_section_with_a_chart(world: Any, c: dict[str, Any]) -> None:
    from khoi.documents import reports
    from khoi.documents.periods import parse_period

    services.do_save_figures(
        world.users["reporter"], c["campaign"], world.commune, Q, full_cells(c)
    )
    sub = services.do_submit_figures(world.users["reporter"], c["campaign"], world.commune, Q)
    services.do_approve_figures(world.users["staff"], sub)  # only approved figures count
    section = providers.campaign_section(
        world.office, datetime.date(2017, 9, 15), datetime.date(2017, 10, 14)
    )
    assert section is not None and section.images and section.images[0].png.startswith(b"\x89PNG")
    rows = section.tables[0].rows
    assert any("73,33 %" in r[3] for r in rows)  # 110 / 150 households
    report = reports.transient_report(world.office, parse_period("2017-10"))
    data = reports.build_docx(report)
    assert any(n.startswith("word/media/") for n in zipfile.ZipFile(io.BytesIO(data)).namelist())


def test_agenda_names_communes_not_reported_and_figures_waiting(
    world: Any, c: dict[str, Any]
) -> None:
    services.do_save_figures(
        world.users["reporter"], c["campaign"], world.commune, Q, full_cells(c)
    )
    services.do_submit_figures(world.users["reporter"], c["campaign"], world.commune, Q)
    items = providers.agenda(world.office, datetime.date(2017, 10, 9))
    titles = " | ".join(i.title for i in items)
    assert "1 xã, phường chưa báo cáo quý III/2017" in titles
    assert "1 báo cáo chờ duyệt" in titles
    cards = providers.cards(world.users["staff"], [world.office])
    assert cards[0].value == 1 and cards[0].alert


def test_the_api_approves_returns_and_refuses_by_persona(
    world: Any, c: dict[str, Any], as_user: Any
) -> None:
    services.do_save_figures(
        world.users["reporter"], c["campaign"], world.commune, Q, full_cells(c)
    )
    sub = services.do_submit_figures(world.users["reporter"], c["campaign"], world.commune, Q)
    url = f"/api/v1/campaigns/submissions/{sub.pk}"
    assert as_user("outsider").post(f"{url}/approve").status_code == 404
    assert as_user("other_staff").post(f"{url}/approve").status_code == 404
    assert as_user("reporter").post(f"{url}/approve").status_code == 422
    bad = as_user("staff").post(f"{url}/return", {"reason": ""}, content_type="application/json")
    assert bad.status_code == 422 and "lý do" in bad.json()["detail"]
    ok = as_user("staff").post(f"{url}/approve")
    assert ok.status_code == 200 and ok.json()["status"] == Submission.Status.APPROVED
    totals = as_user("viewer").get(f"/api/v1/campaigns/{c['campaign'].pk}/totals/{Q}").json()
    assert totals["totals"]["2"] == "73.33" and totals["completeness"]["approved"] == 1
    assert (
        as_user("reporter").get(f"/api/v1/campaigns/{c['campaign'].pk}/totals/{Q}").status_code
        == 404
    )
    assert (
        as_user("staff").get(f"/api/v1/campaigns/{c['campaign'].pk}/totals/2017-Q9").status_code
        == 422
    )


def test_the_quarter_page_colours_communes_by_completion(
    world: Any, c: dict[str, Any], as_user: Any
) -> None:
    body = as_user("staff").get(f"/campaigns/{c['campaign'].pk}/?period={Q}").content.decode()
    assert "completion-none" in body  # not started: red
    services.do_save_figures(
        world.users["reporter"], c["campaign"], world.commune, Q, full_cells(c)
    )
    services.do_submit_figures(world.users["reporter"], c["campaign"], world.commune, Q)
    body = as_user("staff").get(f"/campaigns/{c['campaign'].pk}/?period={Q}").content.decode()
    assert "completion-most" in body  # submitted: light green
