"""A protected identity typed into free text: find it and black it out.

Pure functions (no database): ``identity_mentions(text, people)`` lists where a petitioner's
name, phone number or address appears in ``text`` (case-insensitive, any spacing, a phone
number with or without separators); ``redact(text, people)`` replaces each with
``REDACTED_MARK``. The intake form uses them to warn before a protected petition is saved.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from khoi.lib.vntext import nfc

REDACTED_MARK = "[đã che]"
MIN_PART = 10  # an address part shorter than this ("Khu 5") is too common to look for


@dataclass(frozen=True)
class Mention:
    field: str  # "name", "phone" or "address"
    text: str  # what was found, as typed


def _words(value: str) -> str:
    return r"\s+".join(re.escape(w) for w in nfc(value).split())


def _patterns(person: Mapping[str, str]) -> list[tuple[str, re.Pattern[str]]]:
    out: list[tuple[str, re.Pattern[str]]] = []
    name = nfc(person.get("name", ""))
    if len(name.split()) >= 2:  # a full name, not a lone given name
        out.append(("name", re.compile(rf"(?<!\w){_words(name)}(?!\w)", re.IGNORECASE)))
    digits = re.sub(r"\D", "", person.get("phone", ""))
    if len(digits) >= 8:
        sep = r"[\s.\-]?"
        out.append(("phone", re.compile(rf"(?<!\d){sep.join(digits)}(?!\d)")))
    address = nfc(person.get("address", ""))
    parts = [address] + [p.strip() for p in address.split(",")[:1]]
    for part in dict.fromkeys(p for p in parts if len(p) >= MIN_PART):
        out.append(("address", re.compile(rf"(?<!\w){_words(part)}(?!\w)", re.IGNORECASE)))
    return out


def identity_mentions(text: str, people: Iterable[Mapping[str, str]]) -> list[Mention]:
    """Each place where one of ``people``'s name, phone or address appears in ``text``."""
    text = nfc(text)
    found: list[Mention] = []
    for person in people:
        for field, pattern in _patterns(person):
            found += [Mention(field, m.group(0)) for m in pattern.finditer(text)]
    return found


def redact(text: str, people: Iterable[Mapping[str, str]]) -> str:
    """``text`` with every mention of ``people``'s identity replaced by ``REDACTED_MARK``
    (longest patterns first, so that a full address goes before its first part)."""
    text = nfc(text)
    patterns = [p for person in people for _f, p in _patterns(person)]
    for pattern in sorted(patterns, key=lambda p: len(p.pattern), reverse=True):
        text = pattern.sub(REDACTED_MARK, text)
    return text
