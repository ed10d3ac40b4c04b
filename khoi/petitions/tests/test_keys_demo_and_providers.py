"""Key rotation, the 2017 demo, the registry providers and the reminders."""

from __future__ import annotations

import datetime

import pytest
from cryptography.fernet import Fernet
from django.core import mail
from django.core.management import call_command
from django.test.utils import override_settings

from khoi.petitions import access, crypto
from khoi.petitions.models import DuplicateLink, Petition, Petitioner, Status
from khoi.petitions.providers import petition_agenda, petition_cards, petition_report_section
from khoi.petitions.reminders import send_deadline_reminders
from khoi.petitions.tests.conftest import SECRET_NAME, TODAY, Case

D = datetime.date


def test_rotation_re_encrypts_with_the_new_key_and_keeps_the_indexes_working(
    case: Case, monkeypatch: pytest.MonkeyPatch
) -> None:
    new = Fernet.generate_key().decode()
    before = Petitioner.objects.get(petition=case.denunciation).identity
    # the identities were written with the development key; put a new key in front
    monkeypatch.setenv(crypto.ENV_VAR, f"{new},{crypto._derived_dev_key().decode()}")
    call_command("rotate_petition_keys")
    monkeypatch.setenv(crypto.ENV_VAR, new)  # the old key is dropped
    people = access.reveal_identities(case.handler, case.denunciation, "test")
    assert people[0]["name"] == SECRET_NAME
    stored = Petitioner.objects.get(petition=case.denunciation)
    assert stored.identity != before
    assert stored.name_index == crypto.blind_index(SECRET_NAME)


def test_rotation_fails_loudly_when_a_needed_key_is_missing(
    case: Case, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.core.exceptions import ImproperlyConfigured

    monkeypatch.setenv(crypto.ENV_VAR, Fernet.generate_key().decode())
    with pytest.raises(ImproperlyConfigured):
        call_command("rotate_petition_keys")


def test_production_requires_the_key_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    from django.core.exceptions import ImproperlyConfigured

    monkeypatch.delenv(crypto.ENV_VAR, raising=False)
    with override_settings(KHOI_FIELD_KEYS_REQUIRED=True), pytest.raises(ImproperlyConfigured):
        crypto.keys()


def test_the_report_section_counts_matters_and_papers(case: Case) -> None:
    section = petition_report_section(case.world.office, D(2025, 1, 1), D(2025, 12, 31))
    assert section is not None
    assert section.figures["petitions.papers"] == 2
    assert SECRET_NAME not in str(section)
    assert petition_report_section(case.world.office, D(2024, 1, 1), D(2024, 12, 31)) is None


def test_the_agenda_suggests_petitions_near_their_deadline(case: Case) -> None:
    from khoi.petitions import services

    services.do_action(case.handler, case.complaint, "classify")
    items = petition_agenda(case.world.office, D(2025, 11, 21))
    assert [i.object_id for i in items] == [case.complaint.pk, None]
    assert "Luật" in items[0].detail and case.complaint.subject in items[0].detail
    # the protected denunciation only as a count (issue #9, finding 7)
    assert items[1].title == "1 đơn tố cáo được bảo vệ quá hạn"
    assert (items[1].detail, items[1].url) == ("", "")
    cards = petition_cards(case.world.users["staff"], [case.world.office])
    assert [c.value for c in cards] == [2, 1, 0]
    assert petition_cards(case.world.users["outsider"], [case.world.office]) == []


def test_reminders_go_to_the_handler_once_a_day_without_the_name(case: Case) -> None:
    sent = send_deadline_reminders(TODAY, 2)
    assert sent == 1
    assert mail.outbox[0].to == [case.handler.email]
    assert SECRET_NAME not in mail.outbox[0].body
    assert send_deadline_reminders(TODAY, 2) == 0


@pytest.mark.django_db
def test_the_2017_demo_has_every_state(monkeypatch: pytest.MonkeyPatch) -> None:
    from khoi.org.demo import load_demo

    load_demo()
    load_demo()  # idempotent
    petitions = Petition.objects.filter(year=2017)
    assert (
        petitions.count() == 14
    )  # the seed's 11 and the 3 recent ones, dated back from 20/10/2017
    today = D(2017, 10, 20)
    states = {p.deadline_state(today) for p in petitions}
    assert {"on_time", "near", "overdue"} <= states
    assert petitions.filter(status=Status.CLOSED).exists()
    assert petitions.filter(status=Status.FILED, anonymous=True).exists()
    assert petitions.filter(signatory_count=46).count() == 2
    reasons = set(DuplicateLink.objects.values_list("reason", flat=True))
    assert {"household", "content"} <= reasons
    assert petitions.filter(reception__isnull=False).count() == 2


@pytest.mark.django_db
def test_every_demo_petition_renders_for_the_head_the_handler_and_the_viewer() -> None:
    from django.test import Client
    from django.urls import reverse

    from khoi.accounts.models import User
    from khoi.org.demo import load_demo

    load_demo()
    secret = "Hoàng Văn Sơn"  # the demo's protected denouncer
    for login in ("truongkhoi", "canboxuly", "canbo", "thanhtra"):
        client = Client()
        client.force_login(User.objects.get(username=login))
        for p in Petition.objects.filter(year=2017):
            response = client.get(reverse("petitions:petition_detail", args=[p.pk]))
            assert response.status_code == 200
            assert secret not in response.content.decode()
        for name in ("petition_list", "overdue_list", "statistics", "reception_list"):
            assert client.get(reverse(f"petitions:{name}")).status_code == 200


def test_the_reminders_command_reports_and_refuses_a_bad_date(case: Case) -> None:
    import io

    from django.core.management.base import CommandError

    out = io.StringIO()
    call_command("petition_reminders", "--date", "2025-10-17", stdout=out)
    assert "1 thời hạn" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("petition_reminders", "--date", "17/10/2025")
