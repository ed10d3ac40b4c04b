"""#10: the housing workflow driven entirely through the API (/api/v1/fund/...).

One case from proposal to settlement; maker-checker; the tranche order; each endpoint per
persona (allowed / 403 / 404 out of scope); bad input per endpoint (422 naming the field,
nothing saved); the list endpoints at a fixed number of queries; identifiers masked.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from time_machine import TimeMachineFixture

from khoi.accounts import services as account_services
from khoi.audit.models import AuditEntry, SensitiveAccess
from khoi.documents.models import Document
from khoi.fund import housing, services
from khoi.fund.demo import demo_photo
from khoi.fund.models import (
    CasePhoto,
    Entry,
    Fund,
    Household,
    HousingCase,
    MatchDecision,
)

PNG = demo_photo()  # a real PNG: photos are decoded
D = datetime.date(2023, 3, 10)
API = "/api/v1/fund"
SIGNERS = ["Nguyễn Văn Mặt trận", "Trần Thị Ủy ban", "Lê Văn Trưởng khu", "Phạm Văn Dũng"]
VIETNAMESE = "ăâđêôơưàảãáạềếệểễờớợởỡừứựửữìíịỉĩòóọỏõùúụủũýỳỷỹỵ"


@pytest.fixture(autouse=True)
def _setup(time_machine: TimeMachineFixture, settings: Any, tmp_path: Path) -> None:
    time_machine.move_to(datetime.datetime(2023, 6, 30, 9, 0, tzinfo=datetime.UTC), tick=False)
    settings.MEDIA_ROOT = str(tmp_path)


@pytest.fixture
def fund(world: Any) -> Fund:
    """The commune's fund, kept by the office of the town (whose head is the standing
    board); the staff member is its accountant."""
    fund = services.do_create_fund(None, name="Quỹ Vì người nghèo phường Hà An",
                                   unit=world.commune, level=Fund.Level.COMMUNE,
                                   office=world.office)  # fmt: skip
    services.do_add_accountant(None, fund, world.users["staff"])
    services.do_post_receipt(None, fund, amount=100_000_000, date=D, donor_kind="organization",
                             donor_name="Công ty Than Quảng Yên")  # fmt: skip
    return fund


def _household(world: Any, name: str = "Phạm Văn Dũng", unit: Any = None, **kw: Any) -> Household:
    return services.do_create_household(None, unit=unit or world.commune, head_name=name, **kw)


def _json(client: Client, url: str, data: Any = None) -> Any:
    body = json.dumps(data) if data is not None else ""
    return client.post(url, body, content_type="application/json")


def _photo(name: str = "nha.png", data: bytes = PNG) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/png")


def _token_client(world: Any, persona: str) -> Client:
    """A client that authenticates as the existing endpoints do for tools: a bearer token."""
    _, key = account_services.do_create_api_token(world.users[persona], "tool")
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


def _vietnamese(errors: dict[str, list[str]]) -> bool:
    return all(any(ch in m.lower() for ch in VIETNAMESE) for ms in errors.values() for m in ms)


def _actions(case: HousingCase) -> list[str]:
    return list(
        AuditEntry.objects.filter(object_type__endswith="housingcase", object_id=str(case.pk))
        .order_by("seq")
        .values_list("action", flat=True)
    )


# --- one case, from proposal to settlement, through the API only -----------------------------


def test_one_housing_case_from_proposal_to_settlement_through_the_api(
    world: Any, fund: Fund
) -> None:
    reporter, staff = _token_client(world, "reporter"), _token_client(world, "staff")
    head = _token_client(world, "office_head")
    household = _household(world, id_number="022145245882", phone="0912 345 678")

    resp = _json(reporter, f"{API}/households/{household.pk}/cases",
                 {"fund_id": fund.pk, "kind": "new", "year": 2023, "note": "Họp khu 5"})  # fmt: skip
    assert resp.status_code == 201, resp.content
    case = resp.json()
    assert case["status"] == "proposed" and case["amount"] == 40_000_000
    assert case["proposed_by_id"] == world.users["reporter"].pk
    assert case["actions"] == ["verify"]
    url = f"{API}/cases/{case['id']}"

    assert reporter.post(f"{url}/verify").json()["status"] == "verified"
    resp = staff.post(f"{url}/appraisal", {"criteria": ["poverty", "house_state", "land"],
                                           "photos": [_photo(), _photo("nha-2.png")]})  # fmt: skip
    assert resp.status_code == 200, resp.content
    body = resp.json()
    assert body["status"] == "appraised" and body["score"] == 8
    assert body["checklist"]["poverty"] is True and body["checklist"]["priority"] is False
    assert [p["stage"] for p in body["photos"]] == ["appraisal", "appraisal"]

    resp = head.post(f"{url}/approve")
    assert resp.status_code == 200 and resp.json()["status"] == "approved"
    assert resp.json()["approved_by_id"] == world.users["office_head"].pk

    resp = _json(staff, f"{url}/decision", {"date": "2023-03-10"})
    assert resp.status_code == 200, resp.content
    notation = resp.json()["decision_notation"]
    assert notation.endswith("/QĐ-MTTQ") and resp.json()["decision_date"] == "2023-03-10"
    assert Document.objects.filter(office=world.office, notation=notation).count() == 1

    resp = _json(staff, f"{url}/tranches", {"tranche": 1, "date": "2023-03-11"})
    assert resp.status_code == 201 and resp.json()["amount"] == 24_000_000
    assert resp.json()["decision_ref"] == notation

    resp = reporter.post(f"{url}/progress", {"note": "Xong móng", "photos": [_photo("mong.png")]})
    assert resp.status_code == 200 and len(resp.json()["photos"]) == 3
    roles = reporter.get(url).json()["signing_roles"]
    required = [r for r in roles if r["required"]]
    assert len(required) == 4 and required[3]["label"] == "Chủ hộ được hỗ trợ"
    signers = {str(r["id"]): name for r, name in zip(required, SIGNERS, strict=True)}
    resp = _json(staff, f"{url}/acceptance", {"date": "2023-05-20", "signers": signers})
    assert resp.status_code == 200, resp.content
    assert resp.json()["accepted_on"] == "2023-05-20"
    assert resp.json()["acceptance_signers"][3].endswith(": Phạm Văn Dũng")

    resp = _json(staff, f"{url}/tranches", {"tranche": 2, "date": "2023-05-21"})
    assert resp.status_code == 201 and resp.json()["amount"] == 16_000_000
    resp = _json(reporter, f"{url}/handover", {"date": "2023-05-25"})
    assert resp.status_code == 200 and resp.json()["handed_over_on"] == "2023-05-25"
    resp = staff.post(f"{url}/settlement")
    assert resp.status_code == 200 and resp.json()["status"] == "settled"
    assert resp.json()["actions"] == []

    assert services.balance(fund) == 60_000_000
    assert Entry.objects.filter(fund=fund, purpose="housing_new").count() == 2
    saved = HousingCase.objects.get(pk=case["id"])
    assert _actions(saved) == [
        "fund.case.propose", "fund.case.verify", "fund.case.appraise", "fund.case.approve",
        "fund.case.decide", "fund.case.tranche1", "fund.case.progress", "fund.case.accept",
        "fund.case.tranche2", "fund.case.handover", "fund.case.settle",
    ]  # fmt: skip
    listed = staff.get(f"{API}/cases?fund_id={fund.pk}&status=settled").json()
    assert [c["id"] for c in listed["items"]] == [case["id"]]


# --- maker-checker and the tranche order -------------------------------------------------------


def _through_api_to_appraised(world: Any, fund: Fund, proposer: str, name: str) -> int:
    client = _token_client(world, proposer)
    household = _household(world, name)
    resp = _json(client, f"{API}/households/{household.pk}/cases",
                 {"fund_id": fund.pk, "kind": "repair"})  # fmt: skip
    assert resp.status_code == 201, resp.content
    pk = resp.json()["id"]
    assert client.post(f"{API}/cases/{pk}/verify").status_code == 200
    resp = client.post(f"{API}/cases/{pk}/appraisal", {"criteria": ["land"], "photos": [_photo()]})
    assert resp.status_code == 200, resp.content
    return int(pk)


def test_the_proposer_never_approves_through_the_api(world: Any, fund: Fund) -> None:
    pk = _through_api_to_appraised(world, fund, "office_head", "Lê Văn Tư")
    head = _token_client(world, "office_head")
    assert "approve" not in head.get(f"{API}/cases/{pk}").json()["actions"]
    before = AuditEntry.objects.count()
    resp = head.post(f"{API}/cases/{pk}/approve")
    assert resp.status_code == 403
    assert "chính mình" in resp.json()["detail"]
    case = HousingCase.objects.get(pk=pk)
    assert case.status == "appraised" and case.approved_by_id is None
    assert AuditEntry.objects.count() == before
    # the standing board is the head; nobody else of the office approves either
    assert _token_client(world, "staff").post(f"{API}/cases/{pk}/approve").status_code == 403
    assert HousingCase.objects.get(pk=pk).status == "appraised"
    # a case the head did not propose, they approve
    other = _through_api_to_appraised(world, fund, "staff", "Đỗ Văn Hải")
    assert "approve" in head.get(f"{API}/cases/{other}").json()["actions"]
    assert head.post(f"{API}/cases/{other}/approve").json()["status"] == "approved"


def test_tranches_out_of_order_are_refused_through_the_api(
    world: Any, fund: Fund, as_user: Any
) -> None:
    pk = _through_api_to_appraised(world, fund, "staff", "Lê Văn Tư")
    staff, url = as_user("staff"), f"{API}/cases/{pk}"
    resp = _json(staff, f"{url}/tranches", {"tranche": 1, "date": "2023-03-11"})  # not approved
    assert resp.status_code == 422 and "quyết định" in resp.json()["errors"]["tranche"][0]
    assert as_user("office_head").post(f"{url}/approve").status_code == 200
    assert _json(staff, f"{url}/decision", {"date": "2023-03-10"}).status_code == 200
    resp = _json(staff, f"{url}/tranches", {"tranche": 2, "date": "2023-03-11"})
    assert resp.status_code == 422 and "nghiệm thu" in resp.json()["errors"]["tranche"][0]
    assert _json(staff, f"{url}/tranches", {"tranche": 1, "date": "2023-03-11"}).status_code == 201
    resp = _json(staff, f"{url}/tranches", {"tranche": 2, "date": "2023-03-12"})
    assert resp.status_code == 422 and "nghiệm thu" in resp.json()["errors"]["tranche"][0]
    # acceptance without a progress photo is refused as well, so tranche 2 stays refused
    resp = _json(staff, f"{url}/acceptance", {"date": "2023-04-01", "signers": SIGNERS})
    assert resp.status_code == 422 and "photos" in resp.json()["errors"]
    resp = _json(staff, f"{url}/tranches", {"tranche": 2, "date": "2023-04-02"})
    assert resp.status_code == 422
    assert Entry.objects.filter(fund=fund, kind="expenditure").count() == 1
    assert HousingCase.objects.get(pk=pk).status == "tranche1"


# --- each endpoint per persona -----------------------------------------------------------------

PERSONAS = ["office_head", "staff", "reporter", "viewer", "org_leader", "admin", "other_staff",
            "outsider"]  # fmt: skip
RECORDERS = {"office_head": 200, "staff": 200, "reporter": 200, "viewer": 403,
             "org_leader": 403, "admin": 403, "other_staff": 404, "outsider": 404}  # fmt: skip

# step → (the status the case is brought to first, the request, who may: persona → code)
Setup = Callable[[Any, HousingCase], None]


def _bring(world: Any, case: HousingCase, status: str) -> HousingCase:
    """Take ``case`` through the services up to ``status`` (the proposer is the staff)."""
    staff, head = world.users["staff"], world.users["office_head"]
    steps: list[tuple[str, Callable[[HousingCase], Any]]] = [
        ("verified", lambda c: housing.do_verify_case(staff, c)),
        ("appraised", lambda c: housing.do_appraise_case(
            staff, c, checklist={"land": True}, photos=[("a.png", PNG)])),
        ("approved", lambda c: housing.do_approve_case(head, c)),
        ("decided", lambda c: housing.do_issue_decision(staff, c, issued_on=D)),
        ("tranche1", lambda c: housing.do_pay_tranche(staff, c, tranche=1, date=D)),
        ("accepted", lambda c: (
            housing.do_record_progress(staff, c, note="móng", photos=[("b.png", PNG)]),
            housing.do_accept_case(staff, c, accepted_on=D, signers=SIGNERS))),
        ("tranche2", lambda c: housing.do_pay_tranche(staff, c, tranche=2, date=D)),
        ("handed_over", lambda c: housing.do_hand_over(staff, c, date=D)),
    ]  # fmt: skip
    order = ["proposed", *(reached for reached, _step in steps)]
    case = HousingCase.objects.get(pk=case.pk)  # the API may have moved it
    for reached, step in steps:
        if order.index(case.status) >= order.index(status):
            break
        if order.index(case.status) >= order.index(reached):
            continue
        step(case)
        case = HousingCase.objects.get(pk=case.pk)
        assert case.status == reached
    assert case.status == status
    return case


def _new_case(world: Any, fund: Fund, unit: Any = None, name: str = "Phạm Văn Dũng") -> HousingCase:
    h = _household(world, name, unit=unit)
    return housing.do_propose_case(world.users["staff"], h, fund, year=2023, kind="new")


STEPS: dict[str, tuple[str, str, Any, dict[str, int]]] = {
    "verify": ("proposed", "verify", None, RECORDERS),
    "appraise": ("verified", "appraisal", "multipart-appraisal", RECORDERS),
    "approve": ("appraised", "approve", None, {**dict.fromkeys(RECORDERS, 403),
                "office_head": 200, "admin": 403, "other_staff": 404, "outsider": 404}),
    "decide": ("approved", "decision", {"date": "2023-03-10"}, {**RECORDERS, "reporter": 403}),
    "tranche1": ("decided", "tranches", {"tranche": 1, "date": "2023-03-10"},
                 {**dict.fromkeys(RECORDERS, 403), "staff": 201, "admin": 403,
                  "other_staff": 404, "outsider": 404}),
    "progress": ("tranche1", "progress", "multipart-progress", RECORDERS),
    "accept": ("tranche1", "acceptance", {"date": "2023-03-10", "signers": SIGNERS}, RECORDERS),
    "tranche2": ("accepted", "tranches", {"tranche": 2, "date": "2023-03-10"},
                 {**dict.fromkeys(RECORDERS, 403), "staff": 201, "admin": 403,
                  "other_staff": 404, "outsider": 404}),
    "handover": ("tranche2", "handover", {"date": "2023-03-10"}, RECORDERS),
    "settle": ("handed_over", "settlement", None, {**RECORDERS, "reporter": 403}),
}  # fmt: skip


def _call(client: Client, case: HousingCase, path: str, body: Any) -> Any:
    url = f"{API}/cases/{case.pk}/{path}"
    if body == "multipart-appraisal":
        return client.post(url, {"criteria": ["land"], "photos": [_photo()]})
    if body == "multipart-progress":
        return client.post(url, {"note": "Xong tường", "photos": [_photo()]})
    return _json(client, url, body)


@pytest.mark.parametrize("step", list(STEPS))
@pytest.mark.parametrize("persona", PERSONAS)
def test_each_step_per_persona(
    world: Any, fund: Fund, as_user: Any, step: str, persona: str
) -> None:
    status, path, body, allowed = STEPS[step]
    case = _bring(world, _new_case(world, fund), status)
    if step == "accept":
        housing.do_record_progress(world.users["staff"], case, note="x", photos=[("b.png", PNG)])
    before = (AuditEntry.objects.count(), Entry.objects.count(), CasePhoto.objects.count())
    resp = _call(as_user(persona), case, path, body)
    assert resp.status_code == allowed[persona], (step, persona, resp.content)
    after = HousingCase.objects.get(pk=case.pk)
    if resp.status_code in (200, 201):
        assert AuditEntry.objects.count() > before[0]
        if step == "progress":  # the status stays; the photos are kept
            assert after.photos.filter(stage="progress").count() == 1
        else:
            assert after.status != status
    else:
        assert after.status == status
        assert (AuditEntry.objects.count(), Entry.objects.count(),
                CasePhoto.objects.count()) == before  # fmt: skip
        if resp.status_code == 403:
            assert any(ch in resp.json()["detail"] for ch in VIETNAMESE), resp.json()


@pytest.mark.parametrize("step", list(STEPS))
def test_the_commune_reporter_does_not_reach_another_commune(
    world: Any, fund: Fund, as_user: Any, step: str
) -> None:
    status, path, body, _allowed = STEPS[step]
    case = _bring(world, _new_case(world, fund, unit=world.commune2), status)
    client = as_user("reporter")
    assert client.get(f"{API}/cases/{case.pk}").status_code == 404
    assert _call(client, case, path, body).status_code == 404
    assert HousingCase.objects.get(pk=case.pk).status == status
    # the office staff of the town reach both communes
    assert as_user("staff").get(f"{API}/cases/{case.pk}").status_code == 200


@pytest.mark.parametrize(
    ("persona", "code"),
    [("office_head", 201), ("staff", 201), ("reporter", 201), ("viewer", 403),
     ("org_leader", 403), ("admin", 403), ("other_staff", 404), ("outsider", 404)],
)  # fmt: skip
def test_proposing_per_persona(
    world: Any, fund: Fund, as_user: Any, persona: str, code: int
) -> None:
    household = _household(world)
    resp = _json(as_user(persona), f"{API}/households/{household.pk}/cases",
                 {"fund_id": fund.pk, "kind": "new"})  # fmt: skip
    assert resp.status_code == code, resp.content
    assert HousingCase.objects.filter(household=household).count() == (code == 201)
    other = _household(world, "Vũ Văn Bảy", unit=world.commune2)
    resp = _json(as_user("reporter"), f"{API}/households/{other.pk}/cases",
                 {"fund_id": fund.pk, "kind": "new"})  # fmt: skip
    assert resp.status_code == 404


@pytest.mark.parametrize(
    ("persona", "sees"),
    [("office_head", {"hà an", "tiền phong"}), ("staff", {"hà an", "tiền phong"}),
     ("viewer", {"hà an", "tiền phong"}), ("reporter", {"hà an"}), ("admin", {"hà an",
     "tiền phong"}), ("other_staff", set()), ("outsider", set())],
)  # fmt: skip
def test_the_lists_show_only_what_the_user_may_see(
    world: Any, fund: Fund, as_user: Any, persona: str, sees: set[str]
) -> None:
    here = _new_case(world, fund, name="Hộ Hà An")
    there = _new_case(world, fund, unit=world.commune2, name="Hộ Tiền Phong")
    client = as_user(persona)
    cases = client.get(f"{API}/cases").json()["items"]
    names = {c["household_name"].removeprefix("Hộ ").lower() for c in cases}
    assert names == sees
    households = client.get(f"{API}/households").json()["items"]
    assert {h["head_name"].removeprefix("Hộ ").lower() for h in households} == sees
    filtered = client.get(f"{API}/cases", {"unit_id": world.commune2.pk}).json()["items"]
    assert [c["id"] for c in filtered] == ([there.pk] if "tiền phong" in sees else [])
    assert client.get(f"{API}/cases", {"year": 2020}).json()["count"] == 0
    wanted = here.pk if "hà an" in sees else None
    ids = [
        c["id"]
        for c in client.get(
            f"{API}/cases", {"status": "proposed", "unit_id": world.commune.pk, "fund_id": fund.pk}
        ).json()["items"]
    ]
    assert ids == ([wanted] if wanted else [])  # fmt: skip


# --- bad input per endpoint: 422, the field named in Vietnamese, nothing saved -----------------


def _refused(resp: Any, field: str) -> dict[str, list[str]]:
    assert resp.status_code == 422, resp.content
    errors: dict[str, list[str]] = resp.json()["errors"]
    assert any(k == field or k.startswith(f"{field}.") for k in errors), errors
    assert _vietnamese(errors), errors
    return errors


@pytest.mark.parametrize(
    ("body", "field"),
    [({"kind": "villa"}, "kind"), ({"kind": None}, "kind"), ({"year": 1800}, "year"),
     ({"year": "năm nay"}, "year"), ({"fund_id": "x"}, "fund_id"), ({"fund_id": -1}, "fund_id"),
     ({"fund_id": "hidden"}, "fund_id"), ({"note": "x" * 501}, "note"),
     ({"kind": "repair", "year": 1990}, "amount"), ({"year": "duplicate"}, "year")],
)  # fmt: skip
def test_bad_proposals(
    world: Any, fund: Fund, as_user: Any, body: dict[str, Any], field: str
) -> None:
    household = _household(world)
    if body.get("year") == "duplicate":
        housing.do_propose_case(world.users["staff"], household, fund, year=2023, kind="new")
        body = {"year": 2023}
    if body.get("fund_id") == "hidden":  # a fund of another office: not the user's to choose
        hidden = services.do_create_fund(None, name="Quỹ Vàng Danh", unit=world.other_commune,
                                         level=Fund.Level.COMMUNE)  # fmt: skip
        body = {"fund_id": hidden.pk}
    data = {"fund_id": fund.pk, "kind": "new", **body}
    before = (HousingCase.objects.count(), AuditEntry.objects.count())
    _refused(_json(as_user("staff"), f"{API}/households/{household.pk}/cases", data), field)
    assert (HousingCase.objects.count(), AuditEntry.objects.count()) == before


def test_bad_steps(world: Any, fund: Fund, as_user: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    staff, head = as_user("staff"), as_user("office_head")
    case = _new_case(world, fund)
    url = f"{API}/cases/{case.pk}"

    def unchanged(status: str) -> None:
        assert HousingCase.objects.get(pk=case.pk).status == status

    # out of order: the status is named
    _refused(staff.post(f"{url}/settlement"), "status")
    _refused(_json(staff, f"{url}/handover", {"date": "2023-03-10"}), "status")
    unchanged("proposed")
    assert staff.post(f"{url}/verify").status_code == 200
    _refused(staff.post(f"{url}/verify"), "status")

    # the appraisal: unknown criterion, no photo, a file that is not a photo (none kept)
    audits, photos = AuditEntry.objects.count(), CasePhoto.objects.count()
    _refused(staff.post(f"{url}/appraisal", {"criteria": ["nha-dep"], "photos": [_photo()]}),
             "criteria")  # fmt: skip
    _refused(staff.post(f"{url}/appraisal", {"criteria": ["land"]}), "photos")
    fake = _photo("nha.png", b"MZ\x90\x00 not an image at all" * 4)
    errors = _refused(staff.post(f"{url}/appraisal", {"criteria": ["land"],
                                                       "photos": [_photo(), fake]}), "photos")  # fmt: skip
    assert "nha.png" in errors["photos"][0]
    _refused(staff.post(f"{url}/appraisal", {"criteria": ["x" * 51], "photos": [_photo()]}),
             "criteria")  # fmt: skip
    monkeypatch.setattr(housing, "MAX_PHOTO_BYTES", 1000)
    big = _photo("to.png", PNG + b"\x00" * 5000)
    _refused(staff.post(f"{url}/appraisal", {"criteria": ["land"], "photos": [big]}), "photos")
    monkeypatch.undo()
    assert (AuditEntry.objects.count(), CasePhoto.objects.count()) == (audits, photos)
    unchanged("verified")
    _refused(head.post(f"{url}/approve"), "status")
    case = _bring(world, case, "approved")

    # the decision: no date, an impossible date, the register untouched
    documents = Document.objects.count()
    _refused(_json(staff, f"{url}/decision", {}), "date")
    _refused(_json(staff, f"{url}/decision", {"date": "2023-02-30"}), "date")
    _refused(_json(staff, f"{url}/decision", {"date": "30/02/2023"}), "date")
    assert Document.objects.count() == documents
    unchanged("approved")

    # the tranche: not a tranche number
    case = _bring(world, case, "decided")
    _refused(_json(staff, f"{url}/tranches", {"tranche": 3, "date": "2023-03-10"}), "tranche")
    _refused(_json(staff, f"{url}/tranches", {"tranche": "1", "date": "2023-03-10"}), "tranche")
    _refused(_json(staff, f"{url}/tranches", {"tranche": 1}), "date")
    assert Entry.objects.filter(kind="expenditure").count() == 0
    case = _bring(world, case, "tranche1")

    # progress: no photo, a note too long
    _refused(staff.post(f"{url}/progress", {"note": "Xong móng"}), "photos")
    _refused(staff.post(f"{url}/progress", {"note": "x" * 301, "photos": [_photo()]}), "note")
    assert not CasePhoto.objects.filter(case=case, stage="progress").exists()
    housing.do_record_progress(world.users["staff"], case, note="x", photos=[("b.png", PNG)])

    # the acceptance: a required signer missing, signers not names, no date
    errors = _refused(_json(staff, f"{url}/acceptance",
                            {"date": "2023-04-01", "signers": SIGNERS[:3]}), "signers")  # fmt: skip
    assert "Chủ hộ" in errors["signers"][0]
    _refused(_json(staff, f"{url}/acceptance", {"date": "2023-04-01", "signers": 5}), "signers")
    _refused(_json(staff, f"{url}/acceptance", {"signers": SIGNERS}), "date")
    unchanged("tranche1")
    assert HousingCase.objects.get(pk=case.pk).accepted_on is None

    # a case that does not exist is 404, an id beyond the database's range 422
    assert staff.post(f"{API}/cases/987654321/verify").status_code == 404
    _refused(staff.post(f"{API}/cases/{2**70}/verify"), "case_id")


@pytest.mark.parametrize(
    ("path", "query", "field"),
    [("cases", {"status": "dang-xay"}, "status"), ("cases", {"year": 99999}, "year"),
     ("cases", {"kind": "villa"}, "kind"), ("cases", {"fund_id": "abc"}, "fund_id"),
     ("cases", {"unit_id": -3}, "unit_id"), ("cases", {"page": 0}, "page"),
     ("households", {"unit_id": "x"}, "unit_id"), ("households", {"page": 10**7}, "page"),
     ("households", {"q": "x" * 201}, "q")],
)  # fmt: skip
def test_bad_list_queries(
    world: Any, as_user: Any, path: str, query: dict[str, Any], field: str
) -> None:
    _refused(as_user("staff").get(f"{API}/{path}", query), field)


# --- the list endpoints: a fixed number of queries whatever the size ---------------------------


def _queries(client: Client, url: str, query: dict[str, Any]) -> tuple[int, int]:
    client.get(url, query)  # warm (session, content types)
    with CaptureQueriesContext(connection) as ctx:
        resp = client.get(url, query)
    assert resp.status_code == 200
    return len(ctx.captured_queries), resp.json()["count"]


@pytest.mark.parametrize(
    ("path", "query"),
    [("cases", {}), ("cases", {"fund_id": "FUND", "year": 2023, "status": "proposed"}),
     ("households", {}), ("households", {"q": "nguyen"})],
)  # fmt: skip
@pytest.mark.parametrize("persona", ["staff", "reporter"])
def test_list_endpoints_run_a_fixed_number_of_queries(
    world: Any, fund: Fund, as_user: Any, path: str, query: dict[str, Any], persona: str
) -> None:
    query = {k: (fund.pk if v == "FUND" else v) for k, v in query.items()}
    client = as_user(persona)
    counts = []
    made = 0
    for size in (3, 30):  # the second size is ten times the first
        while made < size:
            made += 1
            _new_case(world, fund, name=f"Nguyễn Văn Số {made}")
        counts.append(_queries(client, f"{API}/{path}", query))
    (small, n_small), (large, n_large) = counts
    assert (n_small, n_large) == (3, 30)
    assert small == large, (small, large)


# --- the household register: masked, the full view for the roles allowed, logged --------------

ID, PHONE = "022145245882", "0912345678"


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_households_list_masks_identifiers(world: Any, as_user: Any, persona: str) -> None:
    household = _household(world, "Đinh Văn Khải", id_number=ID, phone="0912.345.678",
                           head_birth_year=1949, area_name="Khu 4")  # fmt: skip
    client = as_user(persona)
    listing = client.get(f"{API}/households")
    detail = client.get(f"{API}/households/{household.pk}")
    text = listing.content.decode() + detail.content.decode()
    for secret in (ID, PHONE, "145245", "345678"):
        assert secret not in text
    if persona in ("other_staff", "outsider"):
        assert listing.json()["count"] == 0 and detail.status_code == 404
        return
    row = listing.json()["items"][0]
    assert row["id_masked"] == "*********882" and row["phone_masked"] == "*******678"
    assert detail.json()["id_masked"] == "*********882"


@pytest.mark.parametrize(
    ("persona", "code"),
    [("office_head", 200), ("staff", 200), ("reporter", 200), ("viewer", 403),
     ("org_leader", 403), ("admin", 403), ("other_staff", 404), ("outsider", 404)],
)  # fmt: skip
def test_the_full_identity_only_for_the_roles_allowed_and_every_view_logged(
    world: Any, as_user: Any, persona: str, code: int
) -> None:
    household = _household(world, "Đinh Văn Khải", id_number=ID, phone=PHONE)
    before = (SensitiveAccess.objects.count(), AuditEntry.objects.count())
    resp = _json(as_user(persona), f"{API}/households/{household.pk}/identity",
                 {"purpose": "đối chiếu hồ sơ nhà Đại đoàn kết"})  # fmt: skip
    assert resp.status_code == code, resp.content
    if code == 200:
        assert resp.json() == {"id_number": ID, "phone": PHONE}
        access = SensitiveAccess.objects.latest("pk")
        assert access.user == world.users[persona] and access.object_id == str(household.pk)
        assert access.purpose == "đối chiếu hồ sơ nhà Đại đoàn kết"
        assert AuditEntry.objects.filter(action="fund.household.identity.view").count() == 1
    else:
        assert ID not in resp.content.decode()
        assert (SensitiveAccess.objects.count(), AuditEntry.objects.count()) == before
    _refused(_json(as_user("staff"), f"{API}/households/{household.pk}/identity",
                   {"purpose": "x" * 201}), "purpose")  # fmt: skip


# --- the same household in two lists: confirm or reject (kept, audited) ------------------------


def test_matches_are_listed_masked_and_confirmed_or_rejected(world: Any, as_user: Any) -> None:
    a = _household(world, "Nguyễn Văn Thành", head_birth_year=1960, id_number="022060001234",
                   address="Khu 5", source="Danh sách MTTQ")  # fmt: skip
    b = _household(world, "Nguyen Van Thanh", head_birth_year=1960, id_number="022060001234",
                   address="khu 5", source="Danh sách Hội LHPN")  # fmt: skip
    services.do_add_support(None, b, year=2019, organization="Hội LHPN thị xã",
                            kind="housing_repair", amount=20_000_000)  # fmt: skip
    staff = as_user("staff")
    matches = staff.get(f"{API}/households/{a.pk}/matches")
    assert matches.status_code == 200
    [match] = matches.json()
    assert match["household"]["id"] == b.pk and match["reasons"]
    assert match["household"]["id_masked"] == "*********234"
    assert "022060001234" not in matches.content.decode()
    assert match["supports"] == [{"year": 2019, "organization": "Hội LHPN thị xã",
                                  "kind": "housing_repair", "amount": 20_000_000}]  # fmt: skip
    url = f"{API}/households/{a.pk}/matches/{b.pk}"

    for persona, code in [("viewer", 403), ("admin", 403), ("outsider", 404),
                          ("other_staff", 404)]:  # fmt: skip
        assert _json(as_user(persona), url, {"decision": "same"}).status_code == code
    assert not MatchDecision.objects.exists()
    _refused(_json(staff, url, {"decision": "maybe"}), "decision")
    _refused(_json(staff, f"{API}/households/{a.pk}/matches/{a.pk}", {"decision": "same"}),
             "other")  # fmt: skip
    _refused(_json(staff, url, {"decision": "same", "reasons": ["x"] * 21}), "reasons")
    assert not MatchDecision.objects.exists()

    resp = _json(staff, url, {"decision": "same", "reasons": ["same_id"]})
    assert resp.status_code == 200 and resp.json()["decision"] == "same"
    assert resp.json()["decided_by_id"] == world.users["staff"].pk
    assert staff.get(f"{API}/households/{a.pk}/matches").json()[0]["decision"] == "same"
    resp = _json(as_user("reporter"), url, {"decision": "different"})
    assert resp.status_code == 200
    row = MatchDecision.objects.get()
    assert row.decision == "different" and row.decided_by == world.users["reporter"]
    assert staff.get(f"{API}/households/{a.pk}/matches").json() == []
    assert AuditEntry.objects.filter(action="fund.household.match").count() == 2
    # a household of another commune is not the commune reporter's to match
    c = _household(world, "Nguyễn Văn Thành", unit=world.commune2)
    assert _json(as_user("reporter"), f"{API}/households/{a.pk}/matches/{c.pk}",
                 {"decision": "same"}).status_code == 404  # fmt: skip


def test_a_match_across_a_merge_outside_the_users_scope_is_not_shown(
    world: Any, as_user: Any
) -> None:
    """The matcher looks across the 1 July 2025 merges; a household of a commune outside the
    user's scope is not shown to them, neither by the API nor by the page."""
    from khoi.org.models import UnitSuccession

    UnitSuccession.objects.create(former=world.other_commune, current=world.commune)
    a = _household(world, "Nguyễn Văn Thành", head_birth_year=1960, id_number="022060001234")
    b = _household(world, "Nguyen Van Thanh", head_birth_year=1960, id_number="022060001234",
                   unit=world.other_commune, address="Số 7 Vàng Danh")  # fmt: skip
    assert [m.other.pk for m in services.find_household_matches(a)] == [b.pk]
    admin = as_user("admin").get(f"{API}/households/{a.pk}/matches").json()
    assert [m["household"]["id"] for m in admin] == [b.pk]
    staff = as_user("staff")
    assert staff.get(f"{API}/households/{a.pk}/matches").json() == []
    page = staff.get(f"/fund/households/{a.pk}/").content.decode()
    assert "Số 7 Vàng Danh" not in page and "Nguyen Van Thanh" not in page
    assert _json(staff, f"{API}/households/{a.pk}/matches/{b.pk}",
                 {"decision": "same"}).status_code == 404  # fmt: skip
