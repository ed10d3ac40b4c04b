"""Scoring tables, the ranking with its breakdown, and commendation proposals."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from khoi.campaigns import scoring, services
from khoi.campaigns.models import AwardRecord, Proposal, Submission, Value
from khoi.campaigns.tests.factories import setup_campaign
from khoi.documents.models import Document

pytestmark = pytest.mark.django_db


@pytest.fixture
def c(world: Any) -> dict[str, Any]:
    return setup_campaign(world)


def _cluster(world: Any, c: dict[str, Any]) -> Any:
    staff = world.users["staff"]
    cluster = services.do_create_cluster(
        staff, world.office, name="Cụm 1", kind="communes", units=[world.commune, world.commune2]
    )
    services.do_set_scoring_table(
        staff,
        cluster,
        year=2017,
        base_points=Decimal(10),
        campaign=c["campaign"],
        criteria=[
            services.CriterionInput("Tuyên truyền", Decimal(60), "indicator", indicator=c["count"]),
            services.CriterionInput("Đánh giá chung", Decimal(40), "manual"),
            services.CriterionInput("Vi phạm", Decimal(5), "manual", kind="penalty"),
        ],
    )
    return cluster


def test_a_scoring_table_whose_weights_do_not_add_up_is_refused(
    world: Any, c: dict[str, Any]
) -> None:
    cluster = services.do_create_cluster(
        world.users["staff"], world.office, name="Cụm", kind="communes"
    )
    with pytest.raises(ValidationError, match="là 90 điểm, phải bằng 100 điểm"):
        services.do_set_scoring_table(
            world.users["staff"],
            cluster,
            year=2017,
            base_points=Decimal(0),
            criteria=[
                services.CriterionInput("A", Decimal(50)),
                services.CriterionInput("B", Decimal(40)),
            ],
        )
    assert not cluster.tables.exists()


def test_the_ranking_breaks_the_total_down_and_explains_ties(
    world: Any, c: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    cluster = _cluster(world, c)
    Value.objects.create(
        indicator=c["count"], commune=world.commune, period="2017-Q1", year=2017, number=8
    )
    Value.objects.create(
        indicator=c["count"], commune=world.commune2, period="2017-Q1", year=2017, number=4
    )
    for unit in (world.commune, world.commune2):  # only approved figures are scored
        Submission.objects.create(
            campaign=c["campaign"], commune=unit, period="2017-Q1", year=2017, status="approved"
        )
    table = cluster.tables.get()
    manual, penalty = table.criteria.filter(source="manual").order_by("order")
    a, b = cluster.members.order_by("name")  # Hà An, Tiền Phong
    services.do_score_by_hand(world.users["staff"], manual, a, points=Decimal(10), note="Khá")
    services.do_score_by_hand(world.users["staff"], manual, b, points=Decimal(40), note="Tốt")
    with pytest.raises(ValidationError, match="cần có ghi chú"):
        services.do_score_by_hand(world.users["staff"], penalty, a, points=Decimal(1), note="")
    with django_assert_max_num_queries(8):
        result = scoring.compute_ranking(cluster, 2017)
    assert result is not None
    rows = {r.name: r for r in result.rows}
    # Hà An: 10 + 60×8/8 + 10 = 80; Tiền Phong: 10 + 60×4/8 + 40 = 80 → tied, same rank.
    assert rows["Phường Hà An"].total == rows["Xã Tiền Phong"].total == Decimal(80)
    assert rows["Phường Hà An"].rank == rows["Xã Tiền Phong"].rank == 1
    assert rows["Phường Hà An"].tied_with == ["Xã Tiền Phong"]
    for r in result.rows:
        assert r.total == r.base + sum(r.parts.values())


def test_the_ranking_page_shows_the_chart(world: Any, c: dict[str, Any], as_user: Any) -> None:
    cluster = _cluster(world, c)
    url = reverse("campaigns:cluster_detail", args=[cluster.pk]) + "?year=2017"
    body = as_user("office_head").get(url).content.decode()
    assert "<svg" in body and "Phường Hà An" in body
    assert as_user("other_staff").get(url).status_code == 404


def test_the_same_achievement_is_not_proposed_twice_and_prerequisites_are_checked(
    world: Any, c: dict[str, Any]
) -> None:
    staff = world.users["staff"]
    kw = {
        "nominee_name": "Khu 1 phường Hà An",
        "year": 2017,
        "achievement": "Mô hình tự quản",
        "campaign": c["campaign"],
    }
    p = services.do_propose_award(
        staff, world.office, proposer=world.front, form_code="giay-khen-tap-the", **kw
    )
    assert p.amount > 0 and p.amount % 10000 == 0
    with pytest.raises(ValidationError, match="đã được Ủy ban MTTQ thị xã đề nghị"):
        services.do_propose_award(
            staff, world.office, proposer=world.women, form_code="giay-khen-tap-the", **kw
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
    AwardRecord.objects.create(
        office=world.office,
        nominee_key="xa tien phong",
        nominee_name="Xã Tiền Phong",
        form_code="giay-khen-tap-the",
        year=2015,
    )
    services.do_propose_award(
        staff,
        world.office,
        proposer=world.women,
        form_code="bang-khen-tinh-tap-the",
        nominee_name="Xã Tiền Phong",
        year=2017,
        achievement="x",
    )


def test_the_council_votes_and_the_head_issues_the_decision_in_the_register(
    world: Any, c: dict[str, Any]
) -> None:
    staff, head = world.users["staff"], world.users["office_head"]
    p = services.do_propose_award(
        staff,
        world.office,
        proposer=world.front,
        form_code="giay-khen-ca-nhan",
        nominee_name="Nguyễn Văn A",
        year=2017,
        achievement="Tuyên truyền",
    )
    with pytest.raises(ValidationError):
        services.do_record_vote(
            staff, p, members=7, votes_for=5, votes_against=2, voted_on=datetime.date(2017, 12, 1)
        )
    services.do_record_vote(
        head, p, members=7, votes_for=5, votes_against=2, voted_on=datetime.date(2017, 12, 1)
    )
    p.refresh_from_db()
    assert p.status == Proposal.Status.PASSED
    document = services.do_issue_award_decision(
        head, world.office, [p], issued_on=datetime.date(2017, 12, 5)
    )
    assert document.doc_type == "QĐ" and Document.objects.filter(pk=document.pk).exists()
    attachment = document.attachments.get()
    assert attachment.content_type.endswith("wordprocessingml.document")
    p.refresh_from_db()
    assert (
        p.status == Proposal.Status.DECIDED
        and AwardRecord.objects.filter(nominee_name="Nguyễn Văn A").exists()
    )
