"""Scoring and ranking an emulation cluster (pure, no Django).

Each member gets the base points, plus for every weighted criterion its weight × the
fraction achieved (0…1), plus bonus points, minus penalty points. Every shown part is
rounded to two decimals first and the total is the sum of the shown parts, so the
breakdown always adds up. The ranking is a stable order: by total (highest first), then
by the member's sort key; members with equal totals share a rank and each carries a
note naming the others it is tied with.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Final

CENT: Final = Decimal("0.01")
WEIGHTED, BONUS, PENALTY = "weighted", "bonus", "penalty"


class TableRefused(ValueError):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class CriterionSpec:
    key: int
    name: str
    kind: str  # weighted | bonus | penalty
    weight: Decimal  # largest points of the criterion


@dataclass
class Row:
    key: int
    name: str
    sort_key: str
    base: Decimal
    parts: dict[int, Decimal] = field(default_factory=dict)
    total: Decimal = Decimal(0)
    rank: int = 0
    tied_with: list[str] = field(default_factory=list)


MAX_WEIGHT: Final = Decimal(1_000_000)  # the stored weight: 8 digits, 2 of them decimals


def check_weights(criteria: Sequence[CriterionSpec], total_weight: Decimal) -> None:
    for c in criteria:
        # before the sum: "Infinity", "sNaN" or 1e400 would make it fail, and a third
        # decimal would be rounded away when stored (33,333 × 3 adds up; 33,33 × 3 does not)
        if not c.weight.is_finite() or abs(c.weight) >= MAX_WEIGHT:
            raise TableRefused(f"Tiêu chí “{c.name}” có trọng số không hợp lệ.")
        if c.weight != c.weight.quantize(CENT):
            raise TableRefused(f"Trọng số của tiêu chí “{c.name}” có quá hai chữ số thập phân.")
    weights = sum((c.weight for c in criteria if c.kind == WEIGHTED), Decimal(0))
    if weights != total_weight:
        raise TableRefused(
            f"Tổng trọng số các tiêu chí là {_vn(weights)} điểm, phải bằng {_vn(total_weight)} điểm."  # noqa: E501
        )
    for c in criteria:
        if c.weight < 0:
            raise TableRefused(f"Tiêu chí “{c.name}” có trọng số âm.")


def _vn(d: Decimal) -> str:
    text = f"{d.quantize(CENT):f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def part_points(spec: CriterionSpec, raw: Decimal) -> Decimal:
    """Points of one criterion: weighted → weight × fraction (clamped to 0…1);
    bonus → points (0…weight); penalty → minus points (0…weight)."""
    if spec.kind == WEIGHTED:
        fraction = min(max(raw, Decimal(0)), Decimal(1))
        return (spec.weight * fraction).quantize(CENT)
    points = min(max(raw, Decimal(0)), spec.weight).quantize(CENT)
    return -points if spec.kind == PENALTY else points


def rank(
    members: Sequence[tuple[int, str, str]],
    criteria: Sequence[CriterionSpec],
    base: Decimal,
    raw: Mapping[tuple[int, int], Decimal],
) -> list[Row]:
    """``members``: (key, name, sort key); ``raw[(member, criterion)]``: the fraction of a
    weighted criterion, or the points of a bonus/penalty one (missing = 0)."""
    rows = []
    base = base.quantize(CENT)
    for key, name, sort_key in members:
        row = Row(key, name, sort_key, base)
        for spec in criteria:
            row.parts[spec.key] = part_points(spec, raw.get((key, spec.key), Decimal(0)))
        row.total = base + sum(row.parts.values(), Decimal(0))
        rows.append(row)
    rows.sort(key=lambda r: (-r.total, r.sort_key, r.key))
    by_total: dict[Decimal, list[Row]] = {}
    for r in rows:
        by_total.setdefault(r.total, []).append(r)
    position = 0
    previous: Decimal | None = None
    for index, r in enumerate(rows, start=1):
        if r.total != previous:
            position = index
            previous = r.total
        r.rank = position
        r.tied_with = [o.name for o in by_total[r.total] if o is not r]
    return rows
