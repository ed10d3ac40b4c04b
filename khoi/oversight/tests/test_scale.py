"""The oversight generator of ``generate_scale``: the counts follow the run's density, the same
seed gives the same rows, and what it writes is what the app itself would hold (body keys,
folded text, answers of the answered recommendations, sources in the same office)."""

from __future__ import annotations

import contextlib
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client

from khoi.lib.vntext import fold
from khoi.oversight.models import Programme, Recommendation, RecommendationAnswer, Supervision
from khoi.oversight.models.criticism import Critique, CritiqueComment
from khoi.oversight.models.feedback import FeedbackOpinion, FeedbackRound
from khoi.oversight.models.recommendations import body_key

# a fifth of the national activities' density (60 of 301): 12 recommendations per commune
SMALL = {
    "activities_per_commune": 60,
    "tasks_per_commune": 60,
    "petitions_per_commune": 1,
    "documents_per_commune": 1,
    "fund_entries_per_commune": 1,
    "households_per_commune": 1,
    "year": 2026,
}


class _Undo(Exception):
    pass


def _fingerprint() -> list[Any]:
    return [
        list(Supervision.objects.order_by("office__code", "planned_from", "subject", "body")
             .values_list("office__code", "subject", "body", "form", "planned_from", "status")),
        sorted(Recommendation.objects.values_list(
            "office__code", "source_kind", "body", "content", "issued_on", "due_on", "status")),
        sorted(Critique.objects.values_list("office__code", "title", "received_on", "form")),
        sorted(FeedbackOpinion.objects.values_list(
            "round__office__code", "source_kind", "source_name", "received_on")),
    ]  # fmt: skip


def _generated(seed: int) -> list[Any]:
    with contextlib.suppress(_Undo), transaction.atomic():
        call_command("generate_scale", communes=3, seed=seed, **SMALL)
        result = _fingerprint()
        raise _Undo
    return result


@pytest.mark.django_db
def test_the_generator_writes_a_register_the_app_reads() -> None:
    call_command("generate_scale", communes=3, provinces=1, seed=5, **SMALL)
    assert Programme.objects.count() == 3 * 2
    assert Supervision.objects.count() == 3 * 2
    assert Recommendation.objects.count() == 3 * 12
    assert Critique.objects.count() == 3 and FeedbackRound.objects.count() == 3
    assert CritiqueComment.objects.count() == 3 * 6 and FeedbackOpinion.objects.count() == 3 * 8
    kinds = set(Recommendation.objects.values_list("source_kind", flat=True))
    assert kinds <= {"supervision", "criticism", "feedback"} and "supervision" in kinds
    for r in Recommendation.objects.select_related("supervision"):
        assert r.body_key == body_key(r.body)
        assert r.search_folded == fold(f"{r.body} {r.subject} {r.content}")
        assert r.due_on > r.issued_on
        if r.supervision is not None:
            assert r.supervision.office_id == r.office_id
        assert (r.answered_on is not None) == (r.status in ("accepted", "partly", "rejected"))
    answered = Recommendation.objects.filter(answered_on__isnull=False)
    assert RecommendationAnswer.objects.count() == answered.count()
    for s in Supervision.objects.all():
        assert s.body_key == body_key(s.body) and s.subject_folded == fold(s.subject)
        assert s.programme is not None and s.programme.organization_id == s.organization_id
        assert s.planned_from.year == 2026
        assert s.legal_basis is not None
    for c in CritiqueComment.objects.select_related("critique"):
        assert c.given_on > c.critique.received_on
    # the register opens on what was generated, its summary counting the open rows
    from khoi.accounts.models import User

    admin = User.objects.create(username="admin-scale", is_superuser=True, is_staff=True)
    client = Client()
    client.force_login(admin)
    rows = client.get("/api/v1/oversight/recommendations/by-body").json()
    assert sum(r["open"] for r in rows) == Recommendation.objects.filter(status="open").count()
    assert client.get("/oversight/recommendations/?state=overdue").status_code == 200


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_oversight() -> None:
    first = _generated(21)
    assert all(first)
    assert _generated(21) == first
    assert _generated(22) != first
