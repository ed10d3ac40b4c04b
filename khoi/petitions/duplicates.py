"""Finding petitions that repeat an earlier one ("đơn trùng", "đơn nhiều người đứng tên").

Two ways a new petition can repeat an earlier one of the same office:

- **same petitioner** (or the same household) with similar content: found through the
  blind indexes of ``Petitioner`` (keyed digests of the folded name and address, see
  ``crypto.blind_index``), then scored on the content; the bar is low (``PERSON_THRESHOLD``);
- **same content** (a letter copied and signed by many people, or sent twice): found
  through MinHash band hashes stored in ``ContentBand`` (``BANDS`` bands of ``ROWS`` rows
  over the word pairs of the content: two texts whose word pairs have Jaccard similarity
  J share a band with probability 1 − (1 − J⁵)⁸: 1.0 for copies, 0.94 at J = 0.8, 0.77 at
  0.7, 0.02 at 0.3, so petitions that merely use the same vocabulary rarely become
  candidates), then scored exactly; the bar is high (``CONTENT_THRESHOLD``).

Content is reduced by the shared Vietnamese text engine (``khoi.lib.vntext.tokens``:
accent folding, tone placement, abbreviations, boilerplate) to shingles
(``vntext.shingles``: words and unordered neighbouring pairs); the score is the Dice
coefficient of the two shingle sets. Staff confirm or dismiss each proposal; statistics
count matters (petitions that repeat none), not papers.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from khoi.lib import vntext

BANDS = 8
ROWS = 5
MAX_TOKENS = 300
PERSON_THRESHOLD = 0.3
CONTENT_THRESHOLD = 0.6
MAX_CANDIDATES = 100
MAX_PROPOSALS = 5
_P = (1 << 61) - 1
# Fixed coefficients of the BANDS × ROWS hash permutations (stored values depend on them).
_COEFFS: tuple[tuple[int, int], ...] = tuple(
    (
        int.from_bytes(hashlib.sha256(f"a{i}".encode()).digest()[:8], "big") % _P | 1,
        int.from_bytes(hashlib.sha256(f"b{i}".encode()).digest()[:8], "big") % _P,
    )
    for i in range(BANDS * ROWS)
)
STOP_PHRASES: tuple[str, ...] = (
    "kính gửi", "đề nghị", "xem xét", "giải quyết", "trân trọng", "cảm ơn", "tôi", "chúng tôi",
    "gia đình tôi", "đơn", "ông", "bà", "trú tại",
)  # fmt: skip


def content_tokens(subject: str, content: str) -> list[str]:
    """The folded content tokens of a petition (at most ``MAX_TOKENS``)."""
    return vntext.tokens(f"{subject}. {content}", STOP_PHRASES)[:MAX_TOKENS]


def shingle_set(tokens: Sequence[str]) -> frozenset[str]:
    return frozenset(vntext.shingles(tokens))


def similarity(a: frozenset[str], b: frozenset[str]) -> float:
    """Dice coefficient of two shingle sets (0..1)."""
    if not a or not b:
        return 0.0
    return 2 * len(a & b) / (len(a) + len(b))


def _hash64(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big")


def bands(shingles: Iterable[str]) -> list[int]:
    """The ``BANDS`` MinHash band hashes (signed 63-bit, database-safe) of a shingle set.

    Only word pairs are used (single words say little about a copy), unless the text has
    fewer than three of them.
    """
    items = list(shingles)
    pairs = [s for s in items if " " in s]
    xs = [_hash64(s) for s in (pairs if len(pairs) >= 3 else items)]
    if not xs:
        return []
    mins = [min((a * x + b) % _P for x in xs) for a, b in _COEFFS]
    out = []
    for band in range(BANDS):
        row = mins[band * ROWS : (band + 1) * ROWS]
        key = f"{band}:" + ":".join(str(v) for v in row)
        out.append(_hash64(key) >> 1)
    return out


@dataclass(frozen=True)
class Candidate:
    petition_id: int
    reason: str  # "petitioner", "household" or "content"
    score: float


def rank(
    new_tokens: Sequence[str],
    candidates: dict[int, str],
    by_person: dict[int, str],
) -> list[Candidate]:
    """Score candidates (id → stored tokens) and keep those above their bar.

    ``by_person`` maps the ids found through a petitioner digest to "petitioner" or
    "household"; the others came from the content bands.
    """
    mine = shingle_set(new_tokens)
    out: list[Candidate] = []
    for pk, stored in candidates.items():
        score = similarity(mine, shingle_set(stored.split()))
        reason = by_person.get(pk)
        if reason is not None and score >= PERSON_THRESHOLD:
            out.append(Candidate(pk, reason, round(score, 3)))
        elif score >= CONTENT_THRESHOLD:
            out.append(Candidate(pk, "content", round(score, 3)))
    out.sort(key=lambda c: (-c.score, c.petition_id))
    return out[:MAX_PROPOSALS]


# --- Who may learn of a match on a person ---------------------------------------------------
#
# A match found through a petitioner's name or address digest says who the petitioner of
# the other petition is. When either petition's identity is protected, the match is shown
# only to someone who may see both identities (the office head, the case handler of both);
# anyone else sees the link only if the content alone would have proposed it, and as a
# content match. Every such match, when computed, is logged like an identity view.

PERSON_REASONS = frozenset({"petitioner", "household"})
MATCH_PURPOSE = "duplicate-match"


def log_person_matches(actor: Any, petition: Any, links: Sequence[Any]) -> None:
    """Write a ``SensitiveAccess`` row for each person match that touches a protected identity."""
    from khoi.audit.services import log_sensitive

    if actor is None or not getattr(actor, "is_authenticated", False):
        return
    for link in links:
        if link.reason in PERSON_REASONS and (petition.confidential or link.original.confidential):
            log_sensitive(
                actor, "petitions.petition", link.original_id, f"{MATCH_PURPOSE}:{petition.pk}"
            )


def shown_reason(user: Any, petition: Any, link: Any) -> str | None:
    """The reason this user may be told for ``link`` (None: the link is not shown)."""
    from khoi.petitions.access import can_see_identity

    if link.reason not in PERSON_REASONS:
        return link.reason
    original = link.original
    if not (petition.confidential or original.confidential):
        return link.reason
    if can_see_identity(user, petition) and can_see_identity(user, original):
        return link.reason
    return "content" if link.score >= CONTENT_THRESHOLD else None


def visible_links(user: Any, petition: Any) -> list[Any]:
    """The duplicate proposals of ``petition`` this user may see, with ``shown_reason`` set."""
    out = []
    for link in petition.duplicate_links.select_related("original").order_by("-score", "id"):
        reason = shown_reason(user, petition, link)
        if reason is not None:
            link.shown_reason = reason
            link.shown_reason_label = _reason_labels()[reason]
            out.append(link)
    return out


def _reason_labels() -> dict[str, str]:
    from khoi.petitions.models import DuplicateLink

    return {str(v): str(label) for v, label in DuplicateLink.Reason.choices}
