"""A denouncer's name appears nowhere but in the case handler's and office head's view."""

from __future__ import annotations

import logging

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from khoi.audit.models import AuditEntry, SensitiveAccess
from khoi.lib.vntext import fold
from khoi.petitions.tests.conftest import SECRET_ADDRESS, SECRET_NAME, Case

NEEDLES = [SECRET_NAME, fold(SECRET_NAME), SECRET_ADDRESS, "0912000111"]


def _all_database_text() -> str:
    """Every value of every table, as text (works on SQLite and PostgreSQL)."""
    parts: list[str] = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            for row in cursor.fetchall():
                parts.extend(str(v) for v in row)
    return "\n".join(parts)


def _pages(case: Case) -> list[str]:
    pk = case.denunciation.pk
    return [
        reverse("petitions:petition_list"),
        reverse("petitions:petition_detail", args=[pk]),
        reverse("petitions:overdue_list"),
        reverse("petitions:statistics"),
        reverse("audit:history", args=["petitions.petition", pk]),
        reverse("audit:log"),
        "/api/v1/petitions",
        f"/api/v1/petitions/{pk}",
    ]


def test_the_name_is_not_stored_in_clear_text_anywhere_in_the_database(case: Case) -> None:
    text = _all_database_text()
    for needle in NEEDLES:
        assert needle not in text
    if connection.vendor == "sqlite":
        raw = connection.connection.serialize()  # the database file's bytes
        for needle in NEEDLES:
            assert needle.encode() not in raw


def test_the_audit_log_records_petitioners_redacted(case: Case) -> None:
    entries = AuditEntry.objects.filter(object_id=str(case.denunciation.pk))
    dumped = " ".join(str(e.changes) + e.object_repr for e in entries)
    assert "[được bảo vệ]" in dumped
    assert SECRET_NAME not in dumped


@pytest.mark.parametrize(
    "persona", ["staff", "org_leader", "other_staff", "reporter", "viewer", "outsider", "admin"]
)
def test_no_page_or_api_answer_shows_the_name_to_another_persona(
    case: Case,
    as_user,
    persona: str,
) -> None:
    client = as_user(persona)
    for url in _pages(case):
        body = client.get(url).content.decode()
        for needle in NEEDLES:
            assert needle not in body, (persona, url)
    # searching by the name finds nothing (only the search box echoes the words typed)
    found = client.get(reverse("petitions:petition_list"), {"q": SECRET_NAME}).content.decode()
    assert reverse("petitions:petition_detail", args=[case.denunciation.pk]) not in found
    api = client.get("/api/v1/petitions", {"q": SECRET_NAME})
    assert api.status_code != 200 or api.json()["count"] == 0
    identity = client.get(reverse("petitions:petition_identity", args=[case.denunciation.pk]))
    assert identity.status_code == 404
    assert not SensitiveAccess.objects.exists()


def test_the_forwarding_letter_does_not_name_the_denouncer(case: Case) -> None:
    from khoi.petitions import services

    head = case.world.users["office_head"]
    services.do_classify(head, case.denunciation)
    fwd = services.do_forward(
        head, case.denunciation, authority="Chủ tịch UBND thị xã", letter_number="12/MTTQ-BTT",
        letter_date=case.denunciation.received_on,
    )  # fmt: skip
    client = Client()
    client.force_login(case.handler)
    url = reverse("petitions:forwarding_letter", args=[case.denunciation.pk, fwd.pk])
    response = client.get(url)
    assert response.status_code == 200
    import io
    import zipfile

    xml = zipfile.ZipFile(io.BytesIO(response.content)).read("word/document.xml").decode()
    assert "Chủ tịch UBND thị xã" in xml
    assert SECRET_NAME not in xml
    assert "Điều 47" in xml


@pytest.mark.parametrize("who", ["handler", "office_head"])
def test_the_handler_and_the_office_head_see_the_name_and_each_view_is_logged(
    case: Case, who: str
) -> None:
    user = case.handler if who == "handler" else case.world.users["office_head"]
    client = Client()
    client.force_login(user)
    url = reverse("petitions:petition_identity", args=[case.denunciation.pk])
    assert SECRET_NAME in client.get(url).content.decode()
    assert SECRET_NAME in client.get(url).content.decode()
    logged = SensitiveAccess.objects.filter(user=user, object_id=str(case.denunciation.pk))
    assert logged.count() == 2
    # the detail page links to the identity but does not show it
    detail = client.get(reverse("petitions:petition_detail", args=[case.denunciation.pk]))
    assert SECRET_NAME not in detail.content.decode()
    assert url in detail.content.decode()


def test_the_logs_never_carry_the_name(case: Case, caplog: pytest.LogCaptureFixture) -> None:
    from khoi.petitions import services
    from khoi.petitions.reminders import send_deadline_reminders
    from khoi.petitions.tests.conftest import TODAY, intake

    caplog.set_level(logging.DEBUG)
    staff = case.world.users["staff"]
    services.do_create_petition(
        staff, case.world.office,
        intake(kind="denunciation", petitioners=[services.PetitionerData(SECRET_NAME)]),
    )  # fmt: skip
    client = Client()
    client.force_login(case.handler)
    client.get(reverse("petitions:petition_identity", args=[case.denunciation.pk]))
    send_deadline_reminders(TODAY, 10)
    for needle in NEEDLES:
        assert needle not in caplog.text
