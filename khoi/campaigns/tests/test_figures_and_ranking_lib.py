"""The pure helpers: reading typed figures and ranking a cluster (hypothesis)."""

from __future__ import annotations

import itertools
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from khoi.lib import figures, ranking


@given(st.decimals(min_value=-(10**12), max_value=10**12, places=2, allow_nan=False))
def test_a_number_shown_the_vietnamese_way_reads_back_the_same(value: Decimal) -> None:
    assert figures.parse_number(figures.fmt(value)) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1.234", Decimal("1234")),
        ("1.234,5", Decimal("1234.5")),
        ("12,5", Decimal("12.5")),
        ("12.5", Decimal("12.5")),
        (" 7 ", Decimal("7")),
        ("", None),
    ],
)
def test_numbers_are_read_with_either_separator(text: str, value: Decimal | None) -> None:
    assert figures.parse_number(text) == value


def test_a_numerator_above_its_denominator_is_refused_in_vietnamese() -> None:
    with pytest.raises(figures.FigureRefused, match=r"Tử số .* lớn hơn mẫu số"):
        figures.read_figure("percent", numerator="12", denominator="10")


def test_a_value_outside_the_range_names_the_bound() -> None:
    with pytest.raises(figures.FigureRefused, match="lớn hơn mức cao nhất cho phép \\(100\\)"):
        figures.read_figure("number", value="101", low=Decimal(0), high=Decimal(100))


def test_weights_that_do_not_add_up_are_refused() -> None:
    specs = [
        ranking.CriterionSpec(1, "A", "weighted", Decimal(60)),
        ranking.CriterionSpec(2, "B", "weighted", Decimal(30)),
    ]
    with pytest.raises(ranking.TableRefused, match="là 90 điểm, phải bằng 100 điểm"):
        ranking.check_weights(specs, Decimal(100))


points = st.decimals(min_value=0, max_value=1, places=3, allow_nan=False)


@given(
    st.lists(
        st.tuples(points, points, st.decimals(min_value=0, max_value=5, places=2)),
        min_size=1,
        max_size=25,
    ),
    st.lists(st.sampled_from(["An", "Bình", "Cường", "Dũng"]), min_size=25, max_size=25),
)
def test_ranking_is_a_stable_order_of_totals_that_equal_their_breakdown(
    raws: list[tuple[Decimal, Decimal, Decimal]], names: list[str]
) -> None:
    criteria = [
        ranking.CriterionSpec(1, "A", "weighted", Decimal(70)),
        ranking.CriterionSpec(2, "B", "weighted", Decimal(30)),
        ranking.CriterionSpec(3, "C", "penalty", Decimal(5)),
    ]
    members = [(i, f"{names[i]} {i}", names[i]) for i in range(len(raws))]
    raw = {}
    for i, (a, b, c) in enumerate(raws):
        raw[(i, 1)], raw[(i, 2)], raw[(i, 3)] = a, b, c
    rows = ranking.rank(members, criteria, Decimal(10), raw)
    assert sorted(r.key for r in rows) == list(range(len(raws)))
    for row in rows:
        assert row.total == row.base + sum(row.parts.values())
    keys = [(-r.total, r.sort_key, r.key) for r in rows]
    assert keys == sorted(keys)
    for first, second in itertools.pairwise(rows):
        assert (first.rank == second.rank) == (first.total == second.total)
        if first.total == second.total:
            assert second.name in first.tied_with
