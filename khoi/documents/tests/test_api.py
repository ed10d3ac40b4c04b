from __future__ import annotations

import json
from typing import Any

from django.test import Client

from khoi.documents.models import Document
from khoi.documents.tests.factories import incoming
from khoi.testing.factories import World


def _post(client: Client, url: str, data: dict[str, Any]):
    return client.post(url, json.dumps(data, default=str), content_type="application/json")


def test_the_notation_endpoint_parses_or_explains(world: World, as_user) -> None:
    client = as_user("viewer")
    ok = client.get("/api/v1/documents/notation", {"text": "Số: 218 - QĐ/TW"}).json()
    assert ok == {"system": "party", "number": 218, "year": None, "type": "QĐ", "issuer": "TW",
                  "canonical": "218-QĐ/TW"}  # fmt: skip
    bad = client.get("/api/v1/documents/notation", {"text": "218/"})
    assert bad.status_code == 422 and bad.json()["errors"]["text"]


def test_documents_are_registered_issued_and_searched_through_the_api(
    world: World, as_user
) -> None:
    client = as_user("staff")
    created = _post(client, "/api/v1/documents", {
        "office": "quang-yen", "direction": "in", "notation": "11-NQ/TU",
        "issued_on": "2017-01-06", "issuing_body": "Thị ủy", "summary": "Nghị quyết năm 2017",
    })  # fmt: skip
    assert created.status_code == 201 and created.json()["notation"] == "11-NQ/TU"
    duplicate = _post(client, "/api/v1/documents", {
        "office": "quang-yen", "direction": "in", "notation": "11-nq/tu",
        "issued_on": "2017-01-06", "issuing_body": "Thị ủy", "summary": "Trùng",
    })  # fmt: skip
    assert duplicate.status_code == 422 and "notation" in duplicate.json()["errors"]
    issued = _post(client, "/api/v1/documents/issue", {
        "office": "quang-yen", "doc_type": "KH", "issuer_code": "MTTQ", "issued_on": "2017-10-02",
        "issuing_body": "Ủy ban MTTQ thị xã", "summary": "Kế hoạch", "plan_ids": [999],
    })  # fmt: skip
    assert issued.status_code == 422 and "plan_ids" in issued.json()["errors"]
    items = client.get("/api/v1/documents", {"q": "nghi quyet"}).json()["items"]
    assert [d["notation"] for d in items] == ["11-NQ/TU"]
    assert Document.objects.count() == 1


def test_documents_out_of_reach_are_missing_in_the_api(world: World, as_user) -> None:
    doc = incoming(world)
    assert as_user("other_staff").get(f"/api/v1/documents/{doc.pk}").status_code == 404
    assert as_user("outsider").get("/api/v1/documents").json()["items"] == []
    refused = _post(as_user("viewer"), "/api/v1/documents", {
        "office": "quang-yen", "direction": "in", "notation": "12-NQ/TU",
        "issued_on": "2017-01-06", "issuing_body": "Thị ủy", "summary": "x",
    })  # fmt: skip
    assert refused.status_code == 404


def test_reports_through_the_api(world: World, as_user) -> None:
    client = as_user("staff")
    bad = _post(client, "/api/v1/reports", {"office": "quang-yen", "period": "2017-Q9"})
    assert bad.status_code == 422 and "period" in bad.json()["errors"]
    made = _post(client, "/api/v1/reports", {"office": "quang-yen", "period": "2017-Q3"}).json()
    assert made["start_on"] == "2017-06-15" and made["end_on"] == "2017-09-14"
    sections = client.get(f"/api/v1/reports/{made['id']}/sections").json()
    assert "work.activities" in [s["key"] for s in sections]
    edited = client.put(
        f"/api/v1/reports/{made['id']}/sections/work.tasks",
        json.dumps({"paragraphs": ["Đã sửa."]}), content_type="application/json",
    )  # fmt: skip
    assert edited.status_code == 200
    file = client.get(f"/api/v1/reports/{made['id']}/file", {"format": "xlsx"})
    assert file.status_code == 200 and file.content[:2] == b"PK"
    assert as_user("reporter").get(f"/api/v1/reports/{made['id']}").status_code == 404
