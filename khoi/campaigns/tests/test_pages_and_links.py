"""Every page of the campaigns app a persona is shown a link to opens for that persona; the
pages that used to exist only as services (clusters, pledges, practice models, forms of
commendation) work in the browser; no Vietnamese literal is left in the app's messages."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.urls import reverse

from khoi import clock
from khoi.campaigns import services
from khoi.campaigns.models import Cluster, ModelHolding, Pledge, PracticeModel
from khoi.campaigns.tests.factories import full_cells, setup_campaign
from khoi.lib import figures

pytestmark = pytest.mark.django_db

PERSONAS = [
    "office_head", "org_leader", "staff", "other_staff", "reporter", "viewer", "outsider",
    "admin",
]  # fmt: skip
HREF = re.compile(r'href="(/(?:campaigns|documents)/[^"#]*)"')
DAY = datetime.date(2017, 12, 10)


def _everything(world: Any) -> dict[str, Any]:
    """A campaign with figures submitted and approved, a cluster with its scoring table and a
    pledge, a practice model held by an area and a commune, a decided commendation."""
    staff, head, reporter = (world.users[p] for p in ("staff", "office_head", "reporter"))
    c = setup_campaign(world)
    campaign = c["campaign"]
    services.do_save_figures(reporter, campaign, world.commune, "2017-Q3", full_cells(c))
    sub = services.do_submit_figures(reporter, campaign, world.commune, "2017-Q3")
    services.do_approve_figures(staff, sub)
    services.do_save_figures(reporter, campaign, world.commune, "2017-Q4", full_cells(c, "7"))
    services.do_submit_figures(reporter, campaign, world.commune, "2017-Q4")
    cluster = services.do_create_cluster(
        staff, world.office, name="Cụm 1", kind="communes", units=[world.commune, world.commune2]
    )
    services.do_set_scoring_table(
        staff, cluster, year=2017, base_points=Decimal(10), campaign=campaign,
        criteria=[
            services.CriterionInput("Tuyên truyền", Decimal(60), "indicator", indicator=c["count"]),
            services.CriterionInput("Đánh giá chung", Decimal(40), "manual"),
        ],
    )  # fmt: skip
    services.do_record_pledge(
        staff, cluster.members.all()[0], year=2017, signed_on=datetime.date(2017, 1, 20),
        content="Hoàn thành 100% chỉ tiêu",
    )  # fmt: skip
    model = services.do_create_model(staff, world.office, name="KDC văn hóa ATGT")
    services.do_recognise_model(
        staff, model, commune=world.commune, area=c["areas"][0],
        recognised_on=datetime.date(2016, 11, 18),
    )  # fmt: skip
    proposal = services.do_propose_award(
        staff, world.office, proposer=world.front, form_code="giay-khen-ca-nhan",
        nominee_name="Nguyễn Văn A", year=2017, achievement="Vận động", campaign=campaign,
    )  # fmt: skip
    services.do_record_vote(head, proposal, members=7, votes_for=6, votes_against=1, voted_on=DAY)
    services.do_issue_award_decision(head, world.office, [proposal], issued_on=DAY)
    return {"c": c, "cluster": cluster, "model": model, "proposal": proposal}


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_campaigns_link_a_persona_is_shown_opens(
    world: Any, as_user: Any, persona: str
) -> None:
    _everything(world)
    client = as_user(persona)
    seen: set[str] = set()
    # from the campaigns list, and from the dashboard (its campaign cards link here)
    queue = [reverse("campaigns:list"), "/"]
    while queue and len(seen) < 150:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        assert response.status_code == 200, (persona, url, response.status_code)
        if "html" not in response.get("Content-Type", ""):
            continue
        for href in HREF.findall(response.content.decode()):
            href = href.replace("&amp;", "&")
            # follow every campaigns page, and the register's pages the app links to
            if href.startswith("/campaigns/") or urlsplit(href).path.count("/") <= 3:
                queue.append(href)
    assert len(seen) > 3, seen


def test_the_crawl_reaches_the_new_pages_for_the_office_staff(world: Any, as_user: Any) -> None:
    data = _everything(world)
    client = as_user("staff")
    home = client.get(reverse("campaigns:list")).content.decode()
    for name in ("campaigns:cluster_list", "campaigns:award_forms", "campaigns:model_list"):
        assert reverse(name) in home
    page = client.get(reverse("campaigns:cluster_detail", args=[data["cluster"].pk]) + "?year=2017")
    text = page.content.decode()
    assert "Hoàn thành 100% chỉ tiêu" in text and 'id="ranking-chart"' in text
    detail = client.get(reverse("campaigns:proposal_detail", args=[data["proposal"].pk]))
    assert "/QĐ-MTTQ" in detail.content.decode() and 'href="/documents/' in detail.content.decode()


def test_staff_create_a_cluster_on_its_page_and_record_a_pledge(world: Any, as_user: Any) -> None:
    client = as_user("staff")
    url = reverse("campaigns:cluster_list")
    bad = client.post(url, {"name": "Cụm 2", "kind": "communes"})
    assert "Hãy chọn các xã, phường của cụm." in bad.content.decode()
    assert not Cluster.objects.exists()
    response = client.post(url, {
        "name": "Cụm thi đua số 2", "kind": "communes",
        "units": [world.commune.pk, world.commune2.pk],
    })  # fmt: skip
    cluster = Cluster.objects.get()
    assert response.status_code == 302 and cluster.members.count() == 2
    orgs = client.post(url, {
        "name": "Khối các đoàn thể", "kind": "organizations",
        "organizations": [world.front.pk, world.women.pk],
    })  # fmt: skip
    assert orgs.status_code == 302 and Cluster.objects.count() == 2
    manage = reverse("campaigns:cluster_manage", args=[cluster.pk])
    member = cluster.members.all()[0]
    pledge = {"action": "pledge", "member": member.pk, "year": 2017, "signed_on": "20/01/2017",
              "content": "Giữ vững danh hiệu"}  # fmt: skip
    client.post(manage, pledge)
    assert Pledge.objects.get().content == "Giữ vững danh hiệu"
    again = client.post(manage, pledge, follow=True)
    assert "đã được ghi nhận" in again.content.decode() and Pledge.objects.count() == 1
    for persona in ("reporter", "org_leader", "viewer", "outsider"):
        assert as_user(persona).post(url, {"name": "x", "kind": "communes"}).status_code == 404
        assert as_user(persona).post(manage, pledge).status_code == 404
    assert as_user("reporter").get(url).status_code == 200  # reads, no form
    assert "New emulation cluster" not in as_user("reporter").get(url).content.decode()


def test_staff_add_a_practice_model_and_recognise_a_whole_commune(world: Any, as_user: Any) -> None:
    client = as_user("staff")
    url = reverse("campaigns:model_list")
    client.post(url, {"action": "model", "name": "Khu dân cư văn hóa an toàn giao thông",
                      "short_name": "KDC văn hóa ATGT"})  # fmt: skip
    model = PracticeModel.objects.get()
    client.post(url, {"action": "recognise", "model": model.pk, "commune": world.commune.pk,
                      "recognised_on": "18/11/2016"})  # fmt: skip
    holding = ModelHolding.objects.get()
    assert holding.commune == world.commune and holding.area is None
    empty = client.post(url, {"action": "recognise", "model": model.pk,
                              "recognised_on": "18/11/2016"})  # fmt: skip
    assert "Hãy chọn xã, phường hoặc một khu dân cư của xã." in empty.content.decode()
    page = client.get(url).content.decode()
    assert "KDC văn hóa ATGT" in page and "<title>" in page
    title = page.split("<title>", 1)[1].split("</title>", 1)[0]
    assert "<section" not in title  # the forms are in the page, not in its title
    assert as_user("reporter").post(url, {"action": "model", "name": "x"}).status_code == 404


def test_the_forms_of_commendation_show_multiple_amount_and_source(
    world: Any, as_user: Any
) -> None:
    with clock.use_date(datetime.date(2024, 8, 1)):
        page = as_user("reporter").get(reverse("campaigns:award_forms")).content.decode()
    assert "98/2023/NĐ-CP" in page and "73/2024/NĐ-CP" in page
    assert "2.340.000" in page  # the base salary from 1/7/2024


def test_the_app_holds_no_vietnamese_literal_outside_data_and_the_decision_text() -> None:
    from khoi.accounts.tests.test_messages_translatable import _literals

    root = Path(settings.BASE_DIR) / "khoi"
    # data with its source (statutory rows, the illustrative demo) and the decision's fixed
    # administrative wording (like khoi/fund/documents.py) are not messages
    skip = {"demo.py", "statutory.py", "decision.py", "scale.py"}  # scale: generated data
    files = [
        f
        for f in [*(root / "campaigns").glob("*.py"), *(root / "campaigns").glob("*/*.py")]
        if f.name not in skip and "migrations" not in f.parts and "tests" not in f.parts
    ] + [root / "lib" / "figures.py"]
    # the words a reporter may type for yes and no are data the reader accepts
    words = {repr(w) for w in figures.YES | figures.NO}
    found = [line for f in files for line in _literals(f) if line.split(": ", 1)[1] not in words]
    assert not found, found


def test_staff_record_an_earlier_award_and_the_prerequisite_is_then_met(
    world: Any, as_user: Any
) -> None:
    from khoi.campaigns.models import AwardRecord, Proposal

    client = as_user("staff")
    url = reverse("campaigns:proposal_list")
    proposal = {
        "proposer": world.women.pk, "form_code": "bang-khen-tinh-tap-the",
        "nominee_name": "Xã Tiền Phong", "year": clock.today().year, "achievement": "Dẫn đầu",
    }  # fmt: skip
    refused = client.post(reverse("campaigns:proposal_create"), proposal)
    assert "yêu cầu đã được" in refused.content.decode() and not Proposal.objects.exists()
    record = {"nominee_name": "xã tiền phong", "form_code": "giay-khen-tap-the",
              "year": clock.today().year - 2, "decision": "12/QĐ-UBND"}  # fmt: skip
    assert client.post(url, record).status_code == 302
    again = client.post(url, record)
    assert "đã được ghi nhận" in again.content.decode() and AwardRecord.objects.count() == 1
    response = client.post(reverse("campaigns:proposal_create"), proposal)
    assert response.status_code == 302 and Proposal.objects.count() == 1
    page = client.get(reverse("campaigns:proposal_detail", args=[Proposal.objects.get().pk]))
    assert "12/QĐ-UBND" in page.content.decode()  # the history the check used
    for persona in ("org_leader", "reporter", "viewer", "outsider"):
        assert as_user(persona).post(url, record).status_code == 404
    assert "Ghi nhận khen thưởng" not in as_user("org_leader").get(url).content.decode()


def test_staff_set_a_target_for_a_residential_area_on_the_manage_page(
    world: Any, as_user: Any
) -> None:
    from khoi.campaigns.models import Target

    c = setup_campaign(world)
    client = as_user("staff")
    url = reverse("campaigns:manage", args=[c["campaign"].pk])
    area = c["areas"][1]
    client.post(url, {"action": "target", "indicator": c["pct"].pk, "area": area.pk,
                      "year": 2017, "value": "80"})  # fmt: skip
    target = Target.objects.get()
    assert (target.commune, target.area, target.value) == (world.commune, area, 80)
    empty = client.post(url, {"action": "target", "indicator": c["pct"].pk, "year": 2017,
                              "value": "80"})  # fmt: skip
    assert "Hãy chọn xã, phường hoặc một khu dân cư của xã." in empty.content.decode()
    page = client.get(url).content.decode()
    assert 'id="targets"' in page and "Khu 2" in page
