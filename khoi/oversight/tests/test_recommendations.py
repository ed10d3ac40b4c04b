"""The register of recommendations: recorded, answered, followed up; refusals save nothing."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from khoi.audit.models import AuditEntry
from khoi.oversight.models import Recommendation, RecommendationAnswer
from khoi.oversight.services.recommendations import (
    Source,
    answer_recommendation,
    create_recommendation,
    follow_up_recommendation,
)

D = datetime.date


def _rec(world: Any, **kw: Any) -> Recommendation:
    args: dict[str, Any] = {
        "body": "UBND phường Hà An",
        "content": "Công khai phương án bồi thường tại nhà văn hóa khu phố.",
        "due_on": D(2025, 11, 15),
        "issued_on": D(2025, 10, 2),
        "subject": "Giải phóng mặt bằng",
    }
    args.update(kw)
    return create_recommendation(world.users["staff"], world.office, **args)


def test_a_recommendation_from_any_source_is_registered_and_audited(world: Any) -> None:
    rec = _rec(world, source=Source("criticism", 42, "Điểm 3 của dự thảo", "/oversight/x/"))
    assert rec.source_kind == "criticism" and rec.source_id == 42
    assert rec.status == Recommendation.Status.OPEN
    assert rec.body_key == "uy ban nhan dan phuong ha an"
    assert AuditEntry.objects.filter(action="oversight.recommendation.create").count() == 1


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"body": ""}, "body"),
        ({"due_on": None}, "due_on"),
        ({"due_on": D(2025, 9, 1)}, "due_on"),
        ({"content": " "}, "content"),
    ],
)
def test_a_recommendation_without_body_or_due_date_is_refused(
    world: Any, kw: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as exc:
        _rec(world, **kw)
    assert field in exc.value.message_dict
    assert not Recommendation.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="oversight.").exists()


def test_an_answer_dated_before_the_recommendation_is_refused(world: Any) -> None:
    rec = _rec(world)
    with pytest.raises(ValidationError) as exc:
        answer_recommendation(
            world.users["staff"], rec, answered_on=D(2025, 10, 1), outcome="accepted"
        )
    assert "trước" in " ".join(exc.value.message_dict["answered_on"])
    assert not RecommendationAnswer.objects.exists()
    rec.refresh_from_db()
    assert rec.status == Recommendation.Status.OPEN


def test_an_answer_sets_the_status_and_a_partial_one_needs_an_explanation(world: Any) -> None:
    rec = _rec(world)
    with pytest.raises(ValidationError):
        answer_recommendation(
            world.users["staff"], rec, answered_on=D(2025, 10, 10), outcome="partly"
        )
    answer_recommendation(
        world.users["staff"], rec, answered_on=D(2025, 10, 10), outcome="partly",
        explanation="Đã công khai tại UBND, chưa tại khu phố.",
    )  # fmt: skip
    rec.refresh_from_db()
    assert rec.status == Recommendation.Status.PARTLY
    assert rec.answered_on == D(2025, 10, 10)


def test_a_reminder_moves_the_due_date_and_an_escalation_names_the_superior(world: Any) -> None:
    rec = _rec(world, due_on=D(2025, 10, 10))
    assert rec.is_overdue(D(2025, 10, 20))
    follow_up_recommendation(
        world.users["staff"], rec, kind="reminder", done_on=D(2025, 10, 16), due_on=D(2025, 10, 31)
    )
    rec.refresh_from_db()
    assert rec.due_on == D(2025, 10, 31) and not rec.is_overdue(D(2025, 10, 20))
    with pytest.raises(ValidationError) as exc:
        follow_up_recommendation(
            world.users["staff"], rec, kind="escalation", done_on=D(2025, 10, 18)
        )
    assert "addressee" in exc.value.message_dict


def test_a_commune_reporter_records_only_for_their_own_commune(world: Any) -> None:
    reporter = world.users["reporter"]
    rec = create_recommendation(
        reporter, world.office, body="UBND phường Hà An", content="Nội dung",
        due_on=D(2025, 11, 1), unit=world.commune, organization=world.commune_front,
    )  # fmt: skip
    assert rec.unit_id == world.commune.pk
    with pytest.raises(ValidationError):
        create_recommendation(
            reporter, world.office, body="UBND xã Tiền Phong", content="Nội dung",
            due_on=D(2025, 11, 1), unit=world.commune2,
        )  # fmt: skip
    with pytest.raises(ValidationError):
        create_recommendation(
            world.users["viewer"], world.office, body="UBND", content="Nội dung",
            due_on=D(2025, 11, 1),
        )  # fmt: skip
