"""Recognise an uploaded file's type from its first bytes, never from its name.

Accepted: PDF, DOCX, XLSX (Office Open XML zips whose main part is present), JPEG, PNG.
:func:`sniff` returns the content type or None; :func:`check_upload` also enforces the
size limit and raises :class:`FileRefused` with a stable ``code``.
"""

from __future__ import annotations

import io
import zipfile
from typing import BinaryIO, Final

PDF: Final = "application/pdf"
DOCX: Final = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX: Final = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
JPEG: Final = "image/jpeg"
PNG: Final = "image/png"
ACCEPTED: Final = (PDF, DOCX, XLSX, JPEG, PNG)
# Short names, as file extensions say them.
SHORT_NAMES: Final = {PDF: "pdf", DOCX: "docx", XLSX: "xlsx", JPEG: "jpeg", PNG: "png"}
DEFAULT_MAX_BYTES: Final = 20 * 1024 * 1024

# Leading bytes of the simple formats.
MAGIC: Final = ((b"%PDF-", PDF), (b"\x89PNG\r\n\x1a\n", PNG), (b"\xff\xd8\xff", JPEG))
# The part that makes an Office Open XML zip a document or a workbook.
OOXML_PARTS: Final = (("word/document.xml", DOCX), ("xl/workbook.xml", XLSX))

MESSAGES: Final = {
    "empty": "Tệp rỗng.",
    "too_large": "Tệp quá lớn (tối đa {limit}).",
    "bad_type": "Chỉ nhận tệp PDF, Word (.docx), Excel (.xlsx), ảnh JPEG hoặc PNG; "
    "nội dung tệp này không thuộc các loại đó.",
    "bad_image": "Tệp không phải là ảnh đọc được: phần đầu giống ảnh JPEG/PNG nhưng nội dung "
    "hỏng hoặc không phải ảnh.",
}
# Pillow's formats for the image types (the decoded format must be the sniffed one).
IMAGE_FORMATS: Final = {JPEG: "JPEG", PNG: "PNG"}
MAX_IMAGE_PIXELS: Final = 60_000_000  # a phone photo is ~12–50 Mpx; beyond that, refused


class FileRefused(ValueError):
    def __init__(self, code: str, **params: object) -> None:
        self.code = code
        self.message = MESSAGES[code].format(**params)
        super().__init__(self.message)


def _ooxml_type(stream: BinaryIO) -> str | None:
    try:
        with zipfile.ZipFile(stream) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    for part, content_type in OOXML_PARTS:
        if part in names:
            return content_type
    return None


def sniff(stream: BinaryIO) -> str | None:
    """The content type of ``stream`` (read from the start, position restored), or None."""
    start = stream.tell()
    try:
        stream.seek(0)
        head = stream.read(8)
        for magic, content_type in MAGIC:
            if head.startswith(magic):
                return content_type
        if head.startswith(b"PK\x03\x04"):
            stream.seek(0)
            return _ooxml_type(stream)
        return None
    finally:
        stream.seek(start)


def human_size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / 1024 / 1024:.0f} MB"
    return f"{size // 1024} KB" if size >= 1024 else f"{size} byte"


def check_upload(stream: BinaryIO, size: int, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """The content type of an acceptable upload; :class:`FileRefused` otherwise."""
    if size <= 0:
        raise FileRefused("empty")
    if size > max_bytes:
        raise FileRefused("too_large", limit=human_size(max_bytes))
    content_type = sniff(stream)
    if content_type is None:
        raise FileRefused("bad_type")
    return content_type


def sniff_bytes(data: bytes) -> str | None:
    return sniff(io.BytesIO(data))


def check_image(data: bytes) -> str:
    """The content type of a JPEG or PNG photo that Pillow decodes entirely (not only its
    first bytes): a file that starts with an image signature followed by anything else is
    refused with :class:`FileRefused` ``bad_image``; a decompression bomb too."""
    from PIL import Image, UnidentifiedImageError

    content_type = sniff_bytes(data)
    expected = IMAGE_FORMATS.get(content_type or "")
    if expected is None:
        raise FileRefused("bad_type")
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format != expected:
                raise FileRefused("bad_image")
            width, height = image.size
            if width * height > MAX_IMAGE_PIXELS:
                raise FileRefused("bad_image")
            image.verify()  # structure and checksums
        with Image.open(io.BytesIO(data)) as image:
            image.load()  # every pixel decoded: a truncated or zero-filled body fails here
    except FileRefused:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise FileRefused("bad_image") from None
    return content_type  # type: ignore[return-value]
