from __future__ import annotations

import datetime
import threading

import pytest
from django.db import connection, connections

from khoi.documents import services
from khoi.documents.models import Document
from khoi.testing.factories import build_world

WRITERS = 6
EACH = 5


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks are only tested on PostgreSQL (set KHOI_DATABASE_URL=postgres://…)",
)
@pytest.mark.django_db(transaction=True)
def test_people_issuing_at_the_same_moment_never_get_the_same_number() -> None:
    world = build_world()
    staff = world.users["staff"]
    start = threading.Barrier(WRITERS)
    errors: list[BaseException] = []

    def write() -> None:
        try:
            start.wait()
            for _ in range(EACH):
                services.do_issue_document(
                    staff, world.office, system="state", doc_type="BC",
                    issuer_code="MTTQ", issued_on=datetime.date(2017, 10, 13),
                    issuing_body="Ủy ban MTTQ thị xã", summary="Báo cáo đồng thời",
                )  # fmt: skip
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write) for _ in range(WRITERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    numbers = sorted(n for n in Document.objects.values_list("number", flat=True) if n)
    assert numbers == list(range(1, WRITERS * EACH + 1))
