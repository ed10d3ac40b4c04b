from __future__ import annotations

import datetime
from typing import Any

from khoi.documents import services
from khoi.documents.models import Document
from khoi.testing.factories import World

D = datetime.date


def incoming(world: World, notation: str = "11-NQ/TU", **kw: Any) -> Document:
    data: dict[str, Any] = {
        "direction": "in",
        "notation": notation,
        "issued_on": D(2017, 1, 6),
        "received_on": D(2017, 1, 9),
        "issuing_body": "Thị ủy Quảng Yên",
        "summary": "Nghị quyết về phương hướng, nhiệm vụ năm 2017",
    }
    data.update(kw)
    return services.do_register_document(world.users["staff"], world.office, **data)


def outgoing(world: World, **kw: Any) -> Document:
    data: dict[str, Any] = {
        "system": "state",
        "doc_type": "KH",
        "issuer_code": "MTTQ",
        "issued_on": D(2017, 10, 2),
        "issuing_body": "Ủy ban MTTQ thị xã",
        "summary": "Kế hoạch tuyên truyền",
    }
    data.update(kw)
    return services.do_issue_document(world.users["staff"], world.office, **data)


# The smallest valid files of each accepted type.
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def ooxml(main_part: str) -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(main_part, "<x/>")
    return buffer.getvalue()
