"""The office staff's pages: new campaign, indicators and targets, launching document,
commendation proposals, scoring tables and scores by hand; who may open them."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse

from khoi.campaigns.models import Campaign, Indicator, ManualScore, Proposal, Target
from khoi.campaigns.tests.factories import setup_campaign

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("persona", "status"),
    [("staff", 200), ("office_head", 200), ("admin", 200), ("org_leader", 404), ("reporter", 404),
     ("viewer", 404), ("other_staff", 200), ("outsider", 404)],
)  # fmt: skip
def test_who_may_open_the_new_campaign_page(
    world: Any, as_user: Any, persona: str, status: int
) -> None:
    assert as_user(persona).get(reverse("campaigns:create")).status_code == status


def test_staff_create_a_campaign_add_an_indicator_a_target_and_issue_the_launch(
    world: Any, as_user: Any
) -> None:
    client = as_user("staff")
    response = client.post(reverse("campaigns:create"), {
        "kind": "campaign", "title": "Người Việt Nam ưu tiên dùng hàng Việt Nam",
        "start_on": "01/01/2017", "organizations": [world.front.pk],
    })  # fmt: skip
    campaign = Campaign.objects.get()
    assert response.status_code == 302 and list(campaign.organizations.all()) == [world.front]
    url = reverse("campaigns:manage", args=[campaign.pk])
    client.post(url, {"action": "indicator", "code": "1", "name": "Buổi tuyên truyền", "kind": "number",
                      "level": "commune", "period_kind": "quarter", "min_value": "0", "max_value": "50"})  # fmt: skip
    indicator = Indicator.objects.get()
    bad = client.post(url, {"action": "indicator", "code": "1", "name": "x", "kind": "number",
                            "level": "commune", "period_kind": "quarter"})  # fmt: skip
    assert "đã dùng mã này" in bad.content.decode()
    client.post(url, {"action": "target", "indicator": indicator.pk, "commune": world.commune.pk,
                      "year": 2017, "value": "12"})  # fmt: skip
    assert Target.objects.get().value == 12
    client.post(url, {"action": "launch", "signer": "Nguyễn Văn Hùng"})
    campaign.refresh_from_db()
    assert campaign.launch_document is not None and "/KH-MTTQ" in campaign.launch_document.notation
    assert as_user("reporter").get(url).status_code == 404
    assert as_user("viewer").get(url).status_code == 404


def test_an_organization_leader_proposes_a_commendation(world: Any, as_user: Any) -> None:
    client = as_user("org_leader")
    page = client.get(reverse("campaigns:proposal_create"))
    assert page.status_code == 200
    response = client.post(reverse("campaigns:proposal_create"), {
        "proposer": world.women.pk, "form_code": "giay-khen-ca-nhan", "nominee_name": "Vũ Thị Lan",
        "year": 2017, "achievement": "Vận động hội viên",
    })  # fmt: skip
    assert response.status_code == 302 and Proposal.objects.get().proposer == world.women
    assert as_user("reporter").get(reverse("campaigns:proposal_create")).status_code == 404


def test_staff_set_a_scoring_table_and_score_by_hand_on_the_cluster_page(
    world: Any, as_user: Any
) -> None:
    from khoi.campaigns import services

    c = setup_campaign(world)
    cluster = services.do_create_cluster(
        world.users["staff"], world.office, name="Cụm", kind="communes", units=[world.commune]
    )
    client = as_user("staff")
    url = reverse("campaigns:cluster_manage", args=[cluster.pk])
    client.post(url, {"action": "table", "campaign": c["campaign"].pk, "year": 2017, "base_points": "0",
                      "criteria": "Tuyên truyền | 50 | chỉ tiêu 1\nChung | 40 | chấm tay"})  # fmt: skip
    assert not cluster.tables.exists()  # 90 ≠ 100
    client.post(url, {"action": "table", "campaign": c["campaign"].pk, "year": 2017, "base_points": "0",
                      "criteria": "Tuyên truyền | 60 | chỉ tiêu 1\nChung | 40 | chấm tay"})  # fmt: skip
    table = cluster.tables.get()
    manual = table.criteria.get(source="manual")
    client.post(url, {"action": "score", "year": 2017, "criterion": manual.pk,
                      "member": cluster.members.get().pk, "points": "30", "note": "Tốt"})  # fmt: skip
    assert ManualScore.objects.get().points == 30
    page = client.get(reverse("campaigns:cluster_detail", args=[cluster.pk]) + "?year=2017")
    assert "Tốt" in page.content.decode()  # the note of the score given by hand
    assert as_user("viewer").post(url, {"action": "score"}).status_code == 404


def test_staff_recognise_an_area_and_record_a_solidarity_day(world: Any, as_user: Any) -> None:
    from khoi.campaigns import services
    from khoi.campaigns.models import ModelHolding, SolidarityDayEvent

    c = setup_campaign(world)
    model = services.do_create_model(world.users["staff"], world.office, name="KDC văn hóa ATGT")
    area = c["areas"][0]
    client = as_user("staff")
    url = reverse("campaigns:model_list")
    client.post(url, {"action": "recognise", "model": model.pk, "area": area.pk,
                      "recognised_on": "18/11/2015"})  # fmt: skip
    client.post(url, {"action": "recognise", "model": model.pk, "area": area.pk,
                      "recognised_on": "20/09/2017"})  # fmt: skip
    holding = ModelHolding.objects.get()
    assert (
        holding.recognised_on.year,
        holding.re_recognised_on and holding.re_recognised_on.year,
    ) == (2015, 2017)
    client.post(url, {"action": "solidarity", "area": area.pk, "held_on": "18/11/2016",
                      "participants": 250, "funds_raised": 12000000})  # fmt: skip
    again = client.post(url, {"action": "solidarity", "area": area.pk, "held_on": "18/11/2016",
                              "participants": 1, "funds_raised": 0})  # fmt: skip
    assert "đã được ghi nhận" in again.content.decode()
    assert SolidarityDayEvent.objects.get().participants == 250
    page = as_user("viewer").get(url).content.decode()
    assert "Nghị định 122/2018/NĐ-CP" in page and "KDC văn hóa ATGT" in page
    assert as_user("viewer").post(url, {"action": "recognise"}).status_code == 404


def test_campaign_criteria_keep_one_line_each(world: Any) -> None:
    from khoi.campaigns import services

    campaign = services.do_create_campaign(
        world.users["staff"], world.office, kind="movement", title="Phong trào",
        start_on=datetime.date(2017, 1, 1),
        criteria="Gia đình văn hóa\n  Khu dân cư  văn hóa \n\nNhà Đại đoàn kết",
    )  # fmt: skip
    assert campaign.criteria_lines() == [
        "Gia đình văn hóa",
        "Khu dân cư văn hóa",
        "Nhà Đại đoàn kết",
    ]
