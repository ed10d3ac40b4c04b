from __future__ import annotations

import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from khoi.documents.tests.factories import PDF, ooxml
from khoi.lib.filetypes import ACCEPTED, DOCX, FileRefused, check_upload, sniff, sniff_bytes


def test_sniffing_restores_the_stream_position() -> None:
    stream = io.BytesIO(ooxml("word/document.xml"))
    stream.seek(3)
    assert sniff(stream) == DOCX and stream.tell() == 3


def test_a_zip_that_is_not_an_office_document_is_refused() -> None:
    assert sniff_bytes(ooxml("content.xml")) is None
    assert sniff_bytes(b"PK\x03\x04broken") is None


def test_size_is_checked_before_content() -> None:
    with pytest.raises(FileRefused) as exc:
        check_upload(io.BytesIO(PDF), 3 * 1024 * 1024, max_bytes=2 * 1024 * 1024)
    assert exc.value.code == "too_large" and "2 MB" in exc.value.message
    with pytest.raises(FileRefused) as empty:
        check_upload(io.BytesIO(b""), 0)
    assert empty.value.code == "empty"


@given(st.binary(max_size=64))
def test_any_bytes_are_either_an_accepted_type_or_none(data: bytes) -> None:
    assert sniff_bytes(data) in (*ACCEPTED, None)


def test_check_image_decodes_and_refuses_a_bare_signature() -> None:
    from PIL import Image

    from khoi.lib import filetypes

    buffer = io.BytesIO()
    Image.new("RGB", (5, 5), (1, 2, 3)).save(buffer, "JPEG")
    jpeg = buffer.getvalue()
    assert filetypes.check_image(jpeg) == filetypes.JPEG
    for data in (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, jpeg[:40], b"%PDF-1.4 x"):
        with pytest.raises(filetypes.FileRefused):
            filetypes.check_image(data)
