"""The protocol's layouts (DESIGN.md §4.3): every example of the issue, n = 1 … 12 in both modes and both
even-number variants written out by hand, and the properties every layout keeps whatever n."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from huiwu.seating.protocol import (
    MAX_SEATS_IN_ROW,
    EvenVariant,
    Mode,
    TableSides,
    rostrum_rows,
    row_order,
    table_sides,
)

# Domestic 以左为上, variant A, as seen from the audience.
DOMESTIC_A = {
    1: "1",
    2: "1 2",
    3: "3 1 2",
    4: "3 1 2 4",
    5: "5 3 1 2 4",
    6: "5 3 1 2 4 6",
    7: "7 5 3 1 2 4 6",
    8: "7 5 3 1 2 4 6 8",
    9: "9 7 5 3 1 2 4 6 8",
    10: "9 7 5 3 1 2 4 6 8 10",
    11: "11 9 7 5 3 1 2 4 6 8 10",
    12: "11 9 7 5 3 1 2 4 6 8 10 12",
}
# Variant B changes the even rows only: 2 on 1's own right.
DOMESTIC_B = DOMESTIC_A | {
    2: "2 1",
    4: "4 2 1 3",
    6: "6 4 2 1 3 5",
    8: "8 6 4 2 1 3 5 7",
    10: "10 8 6 4 2 1 3 5 7 9",
    12: "12 10 8 6 4 2 1 3 5 7 9 11",
}
# Foreign affairs 以右为上: rank 2 on 1's own right in every odd row.
FOREIGN_A = {
    1: "1",
    2: "2 1",
    3: "2 1 3",
    4: "4 2 1 3",
    5: "4 2 1 3 5",
    6: "6 4 2 1 3 5",
    7: "6 4 2 1 3 5 7",
    8: "8 6 4 2 1 3 5 7",
    9: "8 6 4 2 1 3 5 7 9",
    10: "10 8 6 4 2 1 3 5 7 9",
    11: "10 8 6 4 2 1 3 5 7 9 11",
    12: "12 10 8 6 4 2 1 3 5 7 9 11",
}
FOREIGN_B = FOREIGN_A | {
    2: "1 2",
    4: "3 1 2 4",
    6: "5 3 1 2 4 6",
    8: "7 5 3 1 2 4 6 8",
    10: "9 7 5 3 1 2 4 6 8 10",
    12: "11 9 7 5 3 1 2 4 6 8 10 12",
}
TABLES = [
    (Mode.DOMESTIC, EvenVariant.A, DOMESTIC_A),
    (Mode.DOMESTIC, EvenVariant.B, DOMESTIC_B),
    (Mode.FOREIGN, EvenVariant.A, FOREIGN_A),
    (Mode.FOREIGN, EvenVariant.B, FOREIGN_B),
]


def _seats(text: str) -> list[int]:
    return [int(rank) for rank in text.split()]


@pytest.mark.parametrize(
    ("n", "mode", "variant", "expected"),
    [(n, mode, variant, table[n]) for mode, variant, table in TABLES for n in range(1, 13)],
)
def test_it_lays_out_one_row_of_one_to_twelve(n, mode, variant, expected):
    assert row_order(n, mode=mode, variant=variant) == _seats(expected)


@pytest.mark.parametrize(
    ("n", "mode", "variant", "expected"),
    [
        # The issue's own examples.
        (5, Mode.DOMESTIC, EvenVariant.A, "5 3 1 2 4"),
        (7, Mode.DOMESTIC, EvenVariant.A, "7 5 3 1 2 4 6"),
        (2, Mode.DOMESTIC, EvenVariant.A, "1 2"),
        (6, Mode.DOMESTIC, EvenVariant.A, "5 3 1 2 4 6"),
        (8, Mode.DOMESTIC, EvenVariant.A, "7 5 3 1 2 4 6 8"),
        (6, Mode.DOMESTIC, EvenVariant.B, "6 4 2 1 3 5"),
        (5, Mode.FOREIGN, EvenVariant.A, "4 2 1 3 5"),
    ],
)
def test_it_gives_the_issues_examples(n, mode, variant, expected):
    assert row_order(n, mode=mode, variant=variant) == _seats(expected)


def test_it_seats_nobody_in_an_empty_row():
    assert row_order(0) == []
    assert rostrum_rows(0) == []
    assert rostrum_rows(0, row_sizes=[3]) == []


@pytest.mark.parametrize("n", [-1, MAX_SEATS_IN_ROW + 1])
def test_it_refuses_a_row_it_cannot_lay_out(n):
    with pytest.raises(ValueError, match="a row holds"):
        row_order(n)


def test_it_fills_the_front_row_first_and_lays_out_each_row_the_same_way():
    assert rostrum_rows(12, row_sizes=[5, 7]) == [_seats("5 3 1 2 4"), _seats("12 10 8 6 7 9 11")]
    assert rostrum_rows(8, row_sizes=[5, 7]) == [_seats("5 3 1 2 4"), _seats("8 6 7")]
    assert rostrum_rows(4, row_sizes=[5, 7]) == [_seats("3 1 2 4")]
    assert rostrum_rows(6, row_sizes=[3, 3], mode=Mode.FOREIGN) == [_seats("2 1 3"), _seats("5 4 6")]
    assert rostrum_rows(5) == [_seats("5 3 1 2 4")]


@pytest.mark.parametrize(
    ("n", "sizes", "message"),
    [(13, [5, 7], "do not fit"), (3, [], "rows of"), (3, [0, 3], "rows of"), (3, [3] * 11, "rows of")],
)
def test_it_refuses_rows_that_cannot_hold_the_people(n, sizes, message):
    with pytest.raises(ValueError, match=message):
        rostrum_rows(n, row_sizes=sizes)


def test_it_puts_each_sides_chief_in_its_middle_at_a_table():
    assert table_sides(5, 4) == TableSides(guests=_seats("5 3 1 2 4"), hosts=_seats("3 1 2 4"))
    assert table_sides(3, 3, mode=Mode.FOREIGN) == TableSides(guests=_seats("2 1 3"), hosts=_seats("2 1 3"))


ROW = st.integers(min_value=0, max_value=MAX_SEATS_IN_ROW)
MODES = st.sampled_from(Mode)
VARIANTS = st.sampled_from(EvenVariant)


@given(n=ROW, mode=MODES, variant=VARIANTS)
def test_it_seats_every_rank_once(n, mode, variant):
    assert sorted(row_order(n, mode=mode, variant=variant)) == list(range(1, n + 1))


@given(n=ROW.filter(bool), mode=MODES, variant=VARIANTS)
def test_it_puts_rank_one_in_the_centre(n, mode, variant):
    seats = row_order(n, mode=mode, variant=variant)
    centre = seats.index(1)
    # The centre seat of an odd row; one of the two centre seats of an even row, with rank 2 in the other.
    if n % 2:
        assert centre == n // 2
    else:
        assert centre in (n // 2 - 1, n // 2)
        assert seats[n - 1 - centre] == 2


@given(n=ROW, variant=VARIANTS)
def test_it_mirrors_the_domestic_layout_in_foreign_affairs(n, variant):
    domestic = row_order(n, mode=Mode.DOMESTIC, variant=variant)
    assert row_order(n, mode=Mode.FOREIGN, variant=variant) == domestic[::-1]


@given(n=ROW, mode=MODES, variant=VARIANTS)
def test_it_seats_each_rank_nearer_the_centre_than_those_below_it_on_its_side(n, mode, variant):
    seats = row_order(n, mode=mode, variant=variant)
    centre = (n - 1) / 2
    for rank in range(1, n - 1):
        # The next one down on the same side sits one seat further out.
        assert abs(seats.index(rank) - centre) < abs(seats.index(rank + 2) - centre)


@given(sizes=st.lists(st.integers(min_value=1, max_value=12), min_size=1, max_size=4), data=st.data())
def test_it_gives_each_row_the_next_ranks(sizes, data):
    n = data.draw(st.integers(min_value=0, max_value=sum(sizes)))
    rows = rostrum_rows(n, row_sizes=sizes)
    assert [rank for row in rows for rank in sorted(row)] == list(range(1, n + 1))
    assert all(len(row) <= size for row, size in zip(rows, sizes, strict=False))
