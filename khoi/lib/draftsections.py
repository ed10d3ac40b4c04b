"""Split the text of a draft (a policy, plan or programme pasted from a word processor) into
its sections at its headings, for anchoring comments to them.

A Vietnamese draft is headed the administrative way: "Phần I", "Chương II", Roman numerals
("I. MỤC ĐÍCH, YÊU CẦU"), then "Điều 5." or "Mục 2", then Arabic numerals ("1. Nhiệm vụ…").
The text is cut at the highest level that occurs in it (a programme with Roman headings is
cut there, not at every "1." inside them); the text before the first heading, if any, is
the preamble. Pure: no database, no Django.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Heading patterns from the highest level down. A heading line is short (a title, not a
# paragraph that happens to start with a number).
LEVELS: tuple[re.Pattern[str], ...] = (
    re.compile(r"^(?:phần|chương)\s+(?:[ivxlc]+|\d+)\b", re.IGNORECASE),
    re.compile(r"^[IVXLC]+\s*[.)\-–:]\s*\S"),
    re.compile(r"^(?:điều|mục)\s+\d+\b", re.IGNORECASE),
    re.compile(r"^\d+\s*[.)]\s*\S"),
)
MAX_HEADING_CHARS = 200
PREAMBLE = "Phần mở đầu"


@dataclass(frozen=True)
class Section:
    heading: str
    text: str


def _clean(text: str) -> list[str]:
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    return [" ".join(line.split()) for line in text.split("\n")]


def _level(line: str) -> int | None:
    if not line or len(line) > MAX_HEADING_CHARS:
        return None
    for index, pattern in enumerate(LEVELS):
        if pattern.match(line):
            return index
    return None


def split(text: str, preamble: str = PREAMBLE) -> list[Section]:
    """The sections of ``text``: one per heading of the highest level found, each with the
    lines up to the next such heading; the whole text as one section when it has none."""
    lines = _clean(text)
    found = {lvl for line in lines if (lvl := _level(line)) is not None}
    if not found:
        body = "\n".join(line for line in lines if line).strip()
        return [Section(preamble, body)] if body else []
    top = min(found)
    sections: list[Section] = []
    heading: str | None = None
    buffer: list[str] = []

    def flush() -> None:
        body = "\n".join(line for line in buffer if line).strip()
        if heading is None:
            if body:
                sections.append(Section(preamble, body))
        else:
            sections.append(Section(heading, body))

    for line in lines:
        if _level(line) == top:
            flush()
            heading, buffer = line, []
        else:
            buffer.append(line)
    flush()
    return sections
