"""The incoming register as people fill it: serial numbers ("số đến"), notations typed
without Vietnamese input, and notations the parser does not know."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.test import override_settings

from khoi.documents import services
from khoi.documents.models import Document
from khoi.documents.tests.factories import incoming, outgoing
from khoi.testing.factories import World, build_world

D = datetime.date


def test_incoming_documents_get_the_registers_serial_number_per_office_and_year(
    world: World,
) -> None:
    first = incoming(world, notation="11-NQ/TU", received_on=D(2017, 1, 9))
    second = incoming(world, notation="04-NQ/TW", issued_on=D(2016, 10, 30),
                      received_on=D(2017, 2, 1))  # fmt: skip
    next_year = incoming(world, notation="01-NQ/TU", issued_on=D(2017, 12, 28),
                         received_on=D(2018, 1, 3))  # fmt: skip
    sent = outgoing(world)
    other = services.do_register_document(
        world.users["other_staff"], world.other_office, direction="in", notation="11-NQ/TU",
        issued_on=D(2017, 1, 6), received_on=D(2017, 1, 9), issuing_body="Thị ủy",
        summary="Nghị quyết",
    )  # fmt: skip
    assert [(d.incoming_year, d.incoming_number) for d in (first, second, next_year, other)] == [
        (2017, 1), (2017, 2), (2018, 1), (2017, 1)
    ]  # fmt: skip
    assert sent.incoming_number is None
    assert first.incoming_label == "01/2017"


@override_settings(KHOI_CLOCK_DATE="2021-10-13")  # the world's memberships start in 2020
def test_without_a_reception_date_the_registration_year_numbers_it(world: World) -> None:
    doc = incoming(world, received_on=None, issued_on=D(2020, 12, 20))
    assert (doc.incoming_year, doc.incoming_number) == (2021, 1)


def test_a_notation_typed_with_d_for_dj_is_registered_as_qdj(world: World, as_user) -> None:
    response = as_user("staff").post(
        "/documents/new/",
        {"office": "quang-yen", "direction": "in", "notation": "217-QD/TW",
         "issued_on": "12/12/2013", "received_on": "20/12/2013", "issuing_body": "Bộ Chính trị",
         "summary": "Quy chế giám sát và phản biện xã hội"},
    )  # fmt: skip
    assert response.status_code == 302
    doc = Document.objects.get()
    assert (doc.notation, doc.doc_type, doc.notation_raw) == ("217-QĐ/TW", "QĐ", "217-QD/TW")


def test_an_unknown_incoming_notation_is_registered_with_a_warning(world: World, as_user) -> None:
    client = as_user("staff")
    response = client.post(
        "/documents/new/",
        {"office": "quang-yen", "direction": "in", "notation": " 01/QCPH/UBND-UBMTTQ ",
         "issued_on": "05/01/2017", "received_on": "09/01/2017",
         "issuing_body": "UBND và Ủy ban MTTQ thị xã",
         "summary": "Quy chế phối hợp giữa UBND và Ủy ban MTTQ thị xã"},
        follow=True,
    )  # fmt: skip
    assert response.status_code == 200
    doc = Document.objects.get()
    assert (doc.notation, doc.system, doc.number) == ("01/QCPH/UBND-UBMTTQ", "other", 1)
    assert doc.incoming_number == 1
    shown = [str(m) for m in response.context["messages"]]
    assert any("01/QCPH/UBND-UBMTTQ" in m and "không theo" in m for m in shown), shown
    page = client.get(f"/documents/{doc.pk}/").content.decode()
    assert "không theo" in page and "01/2017" in page


def test_an_empty_notation_is_refused_in_both_directions(world: World) -> None:
    for direction in ("in", "out"):
        with pytest.raises(ValidationError) as exc:
            incoming(world, notation="  ", direction=direction)
        assert "notation" in exc.value.message_dict
    assert Document.objects.count() == 0


def test_the_api_reports_the_incoming_number_and_the_unknown_notation(
    world: World, as_user
) -> None:
    response = as_user("staff").post(
        "/api/v1/documents",
        {"office": "quang-yen", "direction": "in", "notation": "01/QCPH/UBND-UBMTTQ",
         "issued_on": "2017-01-05", "issuing_body": "UBND", "summary": "Quy chế phối hợp",
         "received_on": "2017-01-09"},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["notation_recognised"] is False and body["incoming_number"] == 1


WRITERS = 6
EACH = 5


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks are only tested on PostgreSQL (set KHOI_DATABASE_URL=postgres://…)",
)
@pytest.mark.django_db(transaction=True)
def test_people_registering_at_the_same_moment_never_get_the_same_incoming_number() -> None:
    world = build_world()
    staff = world.users["staff"]
    start = threading.Barrier(WRITERS)
    errors: list[BaseException] = []

    def write(n: int) -> None:
        try:
            start.wait()
            for i in range(EACH):
                services.do_register_document(
                    staff, world.office, direction="in", notation=f"{n * 100 + i + 1}/UBND-VP",
                    issued_on=D(2017, 10, 2), received_on=D(2017, 10, 3),
                    issuing_body="UBND thị xã", summary="Công văn đồng thời",
                )  # fmt: skip
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(WRITERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    numbers = sorted(n for n in Document.objects.values_list("incoming_number", flat=True) if n)
    assert numbers == list(range(1, WRITERS * EACH + 1))
