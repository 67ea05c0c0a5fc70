"""Seating by protocol (DESIGN.md §4.3, seed 篇1 §2 "与会人员的就座方位"): pure functions, no database.

People come as ranks in precedence order (1 is the most senior). A layout answers, for each row, the ranks in
the seats **left to right as seen from the audience** (for a table: as seen from the other side of it).

- Domestic rule 以左为上 (the default): the seat on rank 1's own left (the audience's right) comes next.
  Odd n: rank 1 in the centre, 2 on its left, 3 on its right, alternating outward (n=5 → 5 3 1 2 4).
  Even n, variant A (mainstream): 1 and 2 take the two centre seats, 2 on 1's left; odd ranks go outward to
  the audience's left, even ranks to the audience's right (n=6 → 5 3 1 2 4 6). Variant B mirrors the even
  layouts (n=6 → 6 4 2 1 3 5); odd layouts have one centre and are the same in both.
- Foreign-affairs rule 以右为上: the mirror of the domestic layout (n=5 → 4 2 1 3 5).
- Several rostrum rows: row 1 takes ranks 1…k, row 2 the next ones, each row laid out by the same rule.
- A meeting table: the host and guest sides face each other, each side's chief in its middle and the others
  alternating by the same rule; the guests sit facing the door.
"""

from dataclasses import dataclass
from enum import StrEnum

# A rostrum or a table side longer than this is not a row anyone lays out by hand.
MAX_SEATS_IN_ROW = 60
MAX_ROWS = 10
MAX_PEOPLE = MAX_SEATS_IN_ROW * MAX_ROWS


class Mode(StrEnum):
    DOMESTIC = "domestic"  # 以左为上
    FOREIGN = "foreign"  # 以右为上


class EvenVariant(StrEnum):
    A = "a"  # 1 and 2 in the centre, 2 on 1's own left
    B = "b"  # the mirror: 2 on 1's own right


def row_order(n: int, *, mode: Mode = Mode.DOMESTIC, variant: EvenVariant = EvenVariant.A) -> list[int]:
    """Ranks 1…n in one row, left to right as seen from the audience."""
    if not 0 <= n <= MAX_SEATS_IN_ROW:
        raise ValueError(f"a row holds 0 to {MAX_SEATS_IN_ROW} seats, not {n}")
    seats = [0] * n
    if n % 2:
        centre = n // 2
        for rank in range(1, n + 1):
            # 2, 4, 6… step to the audience's right of the centre; 3, 5, 7… to its left.
            offset = rank // 2
            seats[centre + offset if rank % 2 == 0 else centre - offset] = rank
    else:
        left_centre = n // 2 - 1
        for rank in range(1, n + 1):
            # Odd ranks from the left centre seat outward to the left; even ranks from the right centre seat
            # outward to the right.
            step = (rank - 1) // 2
            seats[left_centre - step if rank % 2 else left_centre + 1 + step] = rank
        if variant is EvenVariant.B:
            seats.reverse()
    return seats[::-1] if mode is Mode.FOREIGN else seats


def rostrum_rows(
    n: int,
    *,
    row_sizes: list[int] | None = None,
    mode: Mode = Mode.DOMESTIC,
    variant: EvenVariant = EvenVariant.A,
) -> list[list[int]]:
    """Ranks 1…n over the rostrum's rows, front row first: each row takes the next ranks, up to its size, and
    lays them out by the rule (a row left short is laid out with the people it has, around its centre).
    Without `row_sizes`, one row of n."""
    if row_sizes is None:
        return [row_order(n, mode=mode, variant=variant)] if n else []
    sizes = row_sizes
    if not 1 <= len(sizes) <= MAX_ROWS or any(not 1 <= size <= MAX_SEATS_IN_ROW for size in sizes):
        raise ValueError(f"1 to {MAX_ROWS} rows of 1 to {MAX_SEATS_IN_ROW} seats")
    if not 0 <= n <= sum(sizes):
        raise ValueError(f"{n} people do not fit {sum(sizes)} seats")
    rows, first = [], 1
    for size in sizes:
        count = min(size, n - first + 1)
        if count <= 0:
            break
        rows.append([first - 1 + rank for rank in row_order(count, mode=mode, variant=variant)])
        first += count
    return rows


@dataclass(frozen=True)
class TableSides:
    """A meeting table: each side's ranks, left to right as seen from across the table. The guests face the
    door; the hosts sit with their backs to it."""

    guests: list[int]
    hosts: list[int]


def table_sides(
    guests: int, hosts: int, *, mode: Mode = Mode.DOMESTIC, variant: EvenVariant = EvenVariant.A
) -> TableSides:
    """Each side's chief in its middle, the others alternating by the same rule as a rostrum row."""
    return TableSides(
        guests=row_order(guests, mode=mode, variant=variant), hosts=row_order(hosts, mode=mode, variant=variant)
    )
