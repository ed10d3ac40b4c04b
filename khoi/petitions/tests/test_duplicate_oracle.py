"""Issue #9 finding 1: the duplicate finder is not an oracle on protected identities.

Staff who cannot open a denouncer's identity record a petition with similar content and a
guessed name or address: a right guess and a wrong guess must look the same to them (page
and API), while the office head still sees the match, and every computed match on a
protected identity is logged like an identity view.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from khoi.audit.models import SensitiveAccess
from khoi.petitions import duplicates, services
from khoi.petitions.models import Kind
from khoi.petitions.tests.conftest import SECRET_ADDRESS, SECRET_NAME, Case, intake

# Similar to the denunciation's content, but not a copy (scored between the two bars).
PROBE = dict(
    kind=Kind.REQUEST,
    subject="Kiểm đếm đất nhà tôi",
    content="Cán bộ phường ghi thiếu diện tích đất vườn khi kiểm đếm nhà tôi.",
)


def _probe(case: Case, name: str, address: str = "") -> Any:
    return services.do_create_petition(
        case.world.users["staff"], case.world.office,
        intake(**PROBE, petitioners=[services.PetitionerData(name, address)]),
    )  # fmt: skip


def _page(client: Any, pk: int) -> str:
    return client.get(reverse("petitions:petition_detail", args=[pk])).content.decode()


def test_a_right_guess_of_name_or_address_looks_like_a_wrong_one_to_staff(
    case: Case, as_user: Any
) -> None:
    right = _probe(case, SECRET_NAME)
    home = _probe(case, "Người Khác", SECRET_ADDRESS)
    wrong = _probe(case, "Phạm Văn Đoán", "Số 99 đường Sai")
    # the finder did find the protected petition through the digests...
    assert right.duplicate_links.filter(original=case.denunciation, reason="petitioner").exists()
    assert home.duplicate_links.filter(original=case.denunciation, reason="household").exists()
    assert not wrong.duplicate_links.filter(original=case.denunciation).exists()
    staff = as_user("staff")
    label = case.denunciation.label
    for p in (right, home, wrong):
        body = _page(staff, p.pk)
        assert label not in body
        assert "same petitioner" not in body and "same household" not in body
    # ...and a staff member cannot decide a link they may not see
    link = right.duplicate_links.get(original=case.denunciation)
    decide = reverse("petitions:duplicate_decide", args=[right.pk, link.pk])
    assert staff.post(decide, {"decision": "confirm"}).status_code == 404
    # the head, who may see both identities, is told
    assert label in _page(as_user("office_head"), right.pk)


def test_a_copied_content_is_still_shown_but_as_a_content_match(case: Case, as_user: Any) -> None:
    copy = services.do_create_petition(
        case.world.users["staff"], case.world.office,
        intake(kind=Kind.REQUEST, subject=case.denunciation.subject,
               content=case.denunciation.content,
               petitioners=[services.PetitionerData(SECRET_NAME)]),
    )  # fmt: skip
    link = copy.duplicate_links.get(original=case.denunciation)
    assert link.reason == "petitioner"
    assert duplicates.shown_reason(case.world.users["staff"], copy, link) == "content"
    body = _page(as_user("staff"), copy.pk)
    assert case.denunciation.label in body and "same petitioner" not in body


def test_every_computed_match_on_a_protected_identity_is_logged(case: Case) -> None:
    before = SensitiveAccess.objects.count()
    right = _probe(case, SECRET_NAME)
    row = SensitiveAccess.objects.get(purpose=f"duplicate-match:{right.pk}")
    assert row.user == case.world.users["staff"]
    assert row.object_id == str(case.denunciation.pk)
    _probe(case, "Phạm Văn Đoán")
    assert SensitiveAccess.objects.count() == before + 1


def test_the_api_says_nothing_of_the_match(case: Case) -> None:
    from django.test import Client

    client = Client()
    client.force_login(case.world.users["staff"])
    right = _probe(case, SECRET_NAME)
    body = client.get(f"/api/v1/petitions/{right.pk}").content.decode()
    assert (
        case.denunciation.label not in body
        and str(case.denunciation.pk) not in body.split('"id":')[0]
    )
