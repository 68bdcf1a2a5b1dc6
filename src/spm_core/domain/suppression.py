"""Small-cell suppression with complementary suppression for a table with margins.

A published table of counts (rows × columns, with row totals, column totals and the
grand total) must not show a count from 1 to ``threshold - 1``: too few people, who
might be recognised. Hiding those cells (*primary* suppression) is not enough, because
a hidden cell alone in its row equals the row total minus the cells shown. So more
cells are hidden (*complementary* suppression) until no hidden cell can be worked out
from what is published by adding and subtracting rows, columns and totals.

The margins are treated as cells of the table: a total below the threshold is hidden
too, and each row, column, the total row and the total column forms one equation
(the cells of the line sum to its total). :func:`suppress` hides cells until

* no shown cell, interior or margin, is from 1 to ``threshold - 1`` (zeros are shown:
  "nobody" identifies no one), and
* no hidden cell is determined by the published values: its unit vector is not a
  linear combination of the equations restricted to the hidden cells (checked exactly,
  with fractions). In particular no line has exactly one hidden cell.

Complements are chosen greedily: in a line with one hidden cell, a shown cell of that
line whose crossing line also has one hidden cell (closing a rectangle), else the
smallest; interior cells before the total; ties by position. The result is safe, not
minimal.

Pure: no I/O; the report engine and the research extracts both call it.

Example:
    >>> table = suppress([[12, 3], [20, 9]], threshold=5)
    >>> table.cells
    ((None, None), (None, None))
    >>> table.row_totals, table.column_totals, table.total
    ((15, 29), (32, 12), 44)
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

import attrs

from spm_core.errors import InvalidValue

__all__ = ["DEFAULT_THRESHOLD", "SuppressedTable", "determined_cells", "suppress"]

DEFAULT_THRESHOLD = 5
"""Counts from 1 to 4 are hidden unless a caller asks for a higher threshold."""

Cell = tuple[int, int]
"""A position in the table with margins: ``(row, column)``; row ``R`` is the total row
and column ``C`` the total column of an ``R × C`` table."""


@attrs.frozen
class SuppressedTable:
    """A table of counts as it may be published: hidden cells are ``None``.

    ``hidden`` lists every hidden position of the table with margins (see :data:`Cell`);
    ``primary`` those hidden for being small, the rest were hidden as complements.
    """

    cells: tuple[tuple[int | None, ...], ...]
    row_totals: tuple[int | None, ...]
    column_totals: tuple[int | None, ...]
    total: int | None
    threshold: int
    primary: frozenset[Cell]
    hidden: frozenset[Cell]


def _check(counts: Sequence[Sequence[int]], threshold: int) -> tuple[int, int]:
    if isinstance(threshold, bool) or not isinstance(threshold, int) or threshold < 1:
        raise InvalidValue(
            value=threshold,
            reason_id="ambang sel kecil harus bilangan bulat 1 atau lebih",
            reason_en="the small-cell threshold must be a whole number of 1 or more",
        )
    rows = len(counts)
    columns = len(counts[0]) if rows else 0
    for row in counts:
        if len(row) != columns:
            raise InvalidValue(
                value=[len(r) for r in counts],
                reason_id="setiap baris tabel harus sama panjang",
                reason_en="every row of the table must have the same length",
            )
        for value in row:
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise InvalidValue(
                    value=value,
                    reason_id="isi tabel harus bilangan cacah",
                    reason_en="table cells must be whole numbers of 0 or more",
                )
    return rows, columns


def _full(counts: Sequence[Sequence[int]], rows: int, columns: int) -> list[list[int]]:
    """Return the table with its margins: an ``(R + 1) × (C + 1)`` grid."""
    grid = [[*row, sum(row)] for row in counts]
    totals = [sum(grid[r][c] for r in range(rows)) for c in range(columns + 1)]
    return [*grid, totals]


def _lines(rows: int, columns: int) -> list[list[Cell]]:
    """Return the equations of the table: each is a list of cells, total last."""
    lines = [[(r, c) for c in range(columns + 1)] for r in range(rows + 1)]
    lines += [[(r, c) for r in range(rows + 1)] for c in range(columns + 1)]
    return lines


def _reduced(matrix: list[list[Fraction]]) -> list[tuple[int, list[Fraction]]]:
    """Return the reduced row echelon form of ``matrix`` as ``(pivot column, row)`` pairs."""
    work = [row[:] for row in matrix]
    out: list[tuple[int, list[Fraction]]] = []
    rank, width = 0, len(work[0]) if work else 0
    for column in range(width):
        pivot = next((i for i in range(rank, len(work)) if work[i][column] != 0), None)
        if pivot is None:
            continue
        work[rank], work[pivot] = work[pivot], work[rank]
        lead = work[rank][column]
        work[rank] = [value / lead for value in work[rank]]
        for i in range(len(work)):
            if i != rank and work[i][column] != 0:
                factor = work[i][column]
                work[i] = [a - factor * b for a, b in zip(work[i], work[rank], strict=True)]
        out.append((column, work[rank]))
        rank += 1
    # Rows reduced after being recorded changed in place only above: re-read them.
    return [(column, work[i]) for i, (column, _) in enumerate(out)]


def determined_cells(rows: int, columns: int, hidden: frozenset[Cell]) -> set[Cell]:
    """Return the hidden cells whose value the published margins and cells determine.

    Each line of the table with margins says "interior cells sum to the total"; with
    the shown values moved to the right-hand side, a hidden cell is determined exactly
    when its unit vector lies in the row space of the equations over the hidden cells.

    Example:
        >>> sorted(determined_cells(2, 2, frozenset({(0, 0)})))
        [(0, 0)]
        >>> determined_cells(2, 2, frozenset({(0, 0), (0, 1), (1, 0), (1, 1)}))
        set()
    """
    order = sorted(hidden)
    if not order:
        return set()
    index = {cell: i for i, cell in enumerate(order)}
    equations: list[list[Fraction]] = []
    for line in _lines(rows, columns):
        *interior, total = line
        vector = [Fraction(0)] * len(order)
        for cell in interior:
            if cell in index:
                vector[index[cell]] += 1
        if total in index:
            vector[index[total]] -= 1
        if any(vector):
            equations.append(vector)
    # A hidden cell is determined exactly when its unit vector is in the row space:
    # in reduced echelon form, when it is a pivot whose row has no other entry.
    found: set[Cell] = set()
    for column, row in _reduced(equations):
        if all(value == 0 for i, value in enumerate(row) if i != column):
            found.add(order[column])
    return found


def _complement(
    line: list[Cell], grid: list[list[int]], hidden: set[Cell], lines: list[list[Cell]]
) -> Cell | None:
    """Return the shown cell of ``line`` to hide next.

    Preferred: an interior cell whose crossing line has exactly one hidden cell (hiding
    it mends two lines at once, closing a rectangle), then the smallest value; the
    line's total last; ties by position.
    """
    shown = [cell for cell in line if cell not in hidden]
    if not shown:
        return None
    total = line[-1]

    def lonely_crossing(cell: Cell) -> bool:
        return any(
            cell in other and other is not line and sum(c in hidden for c in other) == 1
            for other in lines
        )

    return min(
        shown,
        key=lambda cell: (cell == total, not lonely_crossing(cell), grid[cell[0]][cell[1]], cell),
    )


def suppress(
    counts: Sequence[Sequence[int]], threshold: int = DEFAULT_THRESHOLD
) -> SuppressedTable:
    """Hide small cells of ``counts`` and enough others that none can be worked out.

    Args:
        counts: the interior of the table, one list per row (whole numbers ≥ 0).
        threshold: counts from 1 to ``threshold - 1`` are hidden (default 5).

    Returns:
        The table as it may be published, margins included.

    Raises:
        InvalidValue: a ragged table, a negative or non-integer count, or a threshold
            below 1.
    """
    rows, columns = _check(counts, threshold)
    grid = _full(counts, rows, columns)
    positions = [(r, c) for r in range(rows + 1) for c in range(columns + 1)]
    primary = {cell for cell in positions if 0 < grid[cell[0]][cell[1]] < threshold}
    hidden = set(primary)
    lines = _lines(rows, columns)
    while True:
        changed = False
        for line in lines:
            if sum(1 for cell in line if cell in hidden) == 1:
                extra = _complement(line, grid, hidden, lines)
                if extra is not None:
                    hidden.add(extra)
                    changed = True
        if changed:
            continue
        exposed = determined_cells(rows, columns, frozenset(hidden))
        if not exposed:
            break
        cell = min(exposed)
        # Hide one more cell of a line through the exposed cell: a new unknown there.
        for line in lines:
            if cell in line:
                extra = _complement(line, grid, hidden, lines)
                if extra is not None:
                    hidden.add(extra)
                    changed = True
                    break
        if not changed:  # every line through it is hidden already: hide everything
            hidden.update(positions)
            break

    def shown(cell: Cell) -> int | None:
        return None if cell in hidden else grid[cell[0]][cell[1]]

    return SuppressedTable(
        cells=tuple(tuple(shown((r, c)) for c in range(columns)) for r in range(rows)),
        row_totals=tuple(shown((r, columns)) for r in range(rows)),
        column_totals=tuple(shown((rows, c)) for c in range(columns)),
        total=shown((rows, columns)),
        threshold=threshold,
        primary=frozenset(primary),
        hidden=frozenset(hidden),
    )
