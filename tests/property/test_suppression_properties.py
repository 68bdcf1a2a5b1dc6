"""Small-cell suppression: nothing below the threshold shown, nothing hidden recoverable.

Checked independently of the module's own linear algebra: for each hidden cell, an
exact rank test over the published equations (numerator-free fractions via integer
Gaussian elimination in sympy-free form) decides whether the cell is determined.
"""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from spm_core.domain.suppression import SuppressedTable, suppress

tables = st.integers(1, 5).flatmap(
    lambda rows: st.integers(1, 5).flatmap(
        lambda columns: st.lists(
            st.lists(st.integers(0, 30), min_size=columns, max_size=columns),
            min_size=rows,
            max_size=rows,
        )
    )
)


def _shown(result: SuppressedTable) -> list[list[int | None]]:
    """The published table with margins as a grid (``None`` where hidden)."""
    grid: list[list[int | None]] = [
        [*row, total] for row, total in zip(result.cells, result.row_totals, strict=True)
    ]
    grid.append([*result.column_totals, result.total])
    return grid


def _rank(rows: list[list[Fraction]]) -> int:
    work = [r[:] for r in rows]
    rank = 0
    for column in range(len(work[0]) if work else 0):
        pivot = next((i for i in range(rank, len(work)) if work[i][column]), None)
        if pivot is None:
            continue
        work[rank], work[pivot] = work[pivot], work[rank]
        for i in range(len(work)):
            if i != rank and work[i][column]:
                f = work[i][column] / work[rank][column]
                work[i] = [a - f * b for a, b in zip(work[i], work[rank], strict=True)]
        rank += 1
    return rank


def _recoverable(grid: list[list[int | None]]) -> list[tuple[int, int]]:
    """Hidden cells whose unit vector lies in the span of the line equations."""
    hidden = [(r, c) for r, row in enumerate(grid) for c, v in enumerate(row) if v is None]
    if not hidden:
        return []
    index = {cell: i for i, cell in enumerate(hidden)}
    height, width = len(grid), len(grid[0])
    lines = [[(r, c) for c in range(width)] for r in range(height)]
    lines += [[(r, c) for r in range(height)] for c in range(width)]
    equations = []
    for line in lines:
        vector = [Fraction(0)] * len(hidden)
        *inner, total = line
        for cell in inner:
            if cell in index:
                vector[index[cell]] += 1
        if total in index:
            vector[index[total]] -= 1
        equations.append(vector)
    base = _rank(equations)
    found = []
    for cell, i in index.items():
        unit = [Fraction(0)] * len(hidden)
        unit[i] = Fraction(1)
        if _rank([*equations, unit]) == base:
            found.append(cell)
    return found


@given(tables, st.integers(1, 10))
def test_no_shown_cell_is_small_and_no_hidden_cell_is_recoverable(
    counts: list[list[int]], threshold: int
) -> None:
    result = suppress(counts, threshold)
    grid = _shown(result)
    for row in grid:
        for value in row:
            assert value is None or value == 0 or value >= threshold
    # No row or column (margins included) with exactly one hidden cell ...
    for line in [*grid, *zip(*grid, strict=True)]:
        assert sum(v is None for v in line) != 1
    # ... and, stronger, no hidden cell determined by any linear combination.
    assert _recoverable(grid) == []
    # Shown values are the true ones.
    full = [[*row, sum(row)] for row in counts]
    full.append([sum(col) for col in zip(*full, strict=True)])
    for r, row in enumerate(grid):
        for c, value in enumerate(row):
            assert value is None or value == full[r][c]


@given(tables)
def test_a_table_without_small_cells_is_published_whole(counts: list[list[int]]) -> None:
    big = [[0 if v < 5 else v for v in row] for row in counts]
    full = [[*row, sum(row)] for row in big]
    if any(0 < v < 5 for v in (*(r[-1] for r in full), *(sum(c) for c in zip(*big, strict=True)))):
        return
    assert suppress(big, 5).hidden == frozenset()
