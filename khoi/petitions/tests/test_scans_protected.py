"""Issue #9 finding 8: originals of protected petitions are sealed and their opening logged.

The attack: anyone with the media directory reads a denouncer's signed letter in clear, and
downloads of the unredacted scan leave no trace.
"""

from __future__ import annotations

from io import StringIO
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from khoi.audit.models import SensitiveAccess
from khoi.petitions import crypto, services
from khoi.petitions.models import Kind
from khoi.petitions.tests.conftest import Case, intake

SCAN = b"%PDF-1.7\n(Hoang Thi Bi Mat, so 7 ngo Kin) chu ky\n%%EOF\n"
REDACTED = b"%PDF-1.7\n(xxxx) \n%%EOF\n"


def _stored(field: Any) -> bytes:
    with field.storage.open(field.name, "rb") as handle:
        return handle.read()


def _protected(case: Case, redacted: bool = True) -> Any:
    p = services.do_create_petition(
        case.world.users["staff"], case.world.office,
        intake(kind=Kind.DENUNCIATION, subject="Tố cáo có bản quét",
               attachments=[(SimpleUploadedFile("scan.pdf", SCAN),
                             SimpleUploadedFile("che.pdf", REDACTED) if redacted else None)]),
    )  # fmt: skip
    services.do_assign_handler(case.world.users["office_head"], p, case.handler)
    return p


def _get(client: Any, p: Any) -> Any:
    att = p.attachments.get()
    return client.get(reverse("petitions:attachment_download", args=[p.pk, att.pk]))


def test_the_original_is_encrypted_at_rest_and_the_redacted_copy_is_not(case: Case) -> None:
    att = _protected(case).attachments.get()
    stored = _stored(att.file)
    assert b"Hoang Thi" not in stored and crypto.is_sealed(stored)
    assert crypto.open_bytes(stored) == SCAN
    assert _stored(att.redacted) == REDACTED


def test_unprotected_scans_are_stored_as_they_are(case: Case) -> None:
    p = services.do_create_petition(
        case.world.users["staff"], case.world.office,
        intake(kind=Kind.REQUEST, attachments=[(SimpleUploadedFile("s.pdf", SCAN), None)]),
    )  # fmt: skip
    assert _stored(p.attachments.get().file) == SCAN


def test_opening_the_original_is_an_identity_view_for_handler_and_head(
    case: Case, as_user: Any
) -> None:
    p = _protected(case)
    for persona, user in (("handler", case.handler), ("head", case.world.users["office_head"])):
        client = as_user("office_head") if persona == "head" else None
        if client is None:
            from django.test import Client

            client = Client()
            client.force_login(user)
        response = _get(client, p)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == SCAN
        assert SensitiveAccess.objects.filter(
            user=user, object_id=str(p.pk), purpose__startswith="scan original"
        ).exists()


def test_others_get_the_redacted_copy_or_nothing_and_no_log(case: Case, as_user: Any) -> None:
    p = _protected(case)
    bare = _protected(case, redacted=False)
    staff = as_user("staff")
    response = _get(staff, p)
    assert b"".join(response.streaming_content) == REDACTED
    assert _get(staff, bare).status_code == 404
    for persona in ("viewer", "admin", "org_leader", "other_staff"):
        assert _get(as_user(persona), bare).status_code == 404
    assert not SensitiveAccess.objects.filter(purpose__startswith="scan original").exists()


def test_the_rotation_command_seals_originals_stored_in_clear(case: Case) -> None:
    att = _protected(case).attachments.get()
    storage, name = att.file.storage, att.file.name
    storage.delete(name)
    storage.save(name, ContentFile(SCAN))  # as stored before this change
    call_command("rotate_petition_keys", stdout=StringIO())
    stored = _stored(att.file)
    assert crypto.is_sealed(stored) and crypto.open_bytes(stored) == SCAN
