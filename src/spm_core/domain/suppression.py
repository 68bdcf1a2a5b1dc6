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

For tables whose dimensions are hierarchies — areas from villages up to a city, sex
and age group with their totals, served and not served within a denominator — the
exact check grows too large; :func:`protect` hides, around each small cell of such a
table (:class:`Hierarchy`, :func:`margins`), a *hypercube* of cells whose values can
move together without any published total moving, which is safe by construction. The
store's aggregate path uses it for every suppressed report.

Pure: no I/O; the report engine and the research extracts both call this module.

Example:
    >>> table = suppress([[12, 3], [20, 9]], threshold=5)
    >>> table.cells
    ((None, None), (None, None))
    >>> table.row_totals, table.column_totals, table.total
    ((15, 29), (32, 12), 44)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction
from functools import partial

import attrs

from spm_core.errors import InvalidValue

__all__ = [
    "DEFAULT_THRESHOLD",
    "Hierarchy",
    "Position",
    "SuppressedTable",
    "determined_cells",
    "margins",
    "protect",
    "suppress",
]

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


Position = tuple[str, ...]
"""A cell of a table whose dimensions are hierarchies: one node per dimension."""


def _sorted(parents: Mapping[str, str | None]) -> dict[str, str | None]:
    return dict(sorted(parents.items()))


@attrs.frozen
class Hierarchy:
    """One dimension of a table: categories in a tree, each total above its parts.

    ``parents`` maps every node to the node it sums into; the root maps to ``None``.
    The leaves (nodes that are no one's parent) are the categories counted; every
    other node is the sum of the leaves below it and is published too. A dimension
    with a single node has no breakdown.

    Example:
        >>> sex = Hierarchy.flat("*", ["L", "P"])
        >>> sex.root, sex.leaves_under("*")
        ('*', ('L', 'P'))
    """

    parents: Mapping[str, str | None] = attrs.field(converter=_sorted)
    _below: dict[str, tuple[str, ...]] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        below: dict[str, list[str]] = {node: [] for node in self.parents}
        roots = [node for node, parent in self.parents.items() if parent is None]
        if len(roots) != 1 or any(
            parent is not None and parent not in self.parents for parent in self.parents.values()
        ):
            raise InvalidValue(
                value=sorted(roots),
                reason_id="dimensi tabel harus satu pohon dengan satu akar",
                reason_en="a table dimension must be one tree with one root",
            )
        for node, parent in self.parents.items():
            if parent is not None:
                below[parent].append(node)
        object.__setattr__(self, "_below", {n: tuple(c) for n, c in below.items()})

    @classmethod
    def flat(cls, root: str, leaves: Sequence[str]) -> Hierarchy:
        """Return a dimension of ``leaves`` summing into ``root``."""
        return cls({root: None, **dict.fromkeys(leaves, root)})

    @property
    def root(self) -> str:
        """The node every other node sums into."""
        return next(node for node, parent in self.parents.items() if parent is None)

    def children(self, node: str) -> tuple[str, ...]:
        """The nodes directly below ``node``."""
        return self._below[node]

    def path(self, node: str, top: str | None = None) -> tuple[str, ...]:
        """``node`` and the nodes above it, up to ``top`` included (the root by default)."""
        out = [node]
        while out[-1] != top and self.parents[out[-1]] is not None:
            parent = self.parents[out[-1]]
            assert parent is not None
            out.append(parent)
        return tuple(out)

    def leaves_under(self, node: str) -> tuple[str, ...]:
        """The leaves at or below ``node``."""
        below = self.children(node)
        if not below:
            return (node,)
        return tuple(leaf for child in below for leaf in self.leaves_under(child))


def margins(counts: Mapping[Position, int], dimensions: Sequence[Hierarchy]) -> dict[Position, int]:
    """Return every cell a table publishes: each combination of nodes, summed.

    ``counts`` holds the leaf cells (one leaf per dimension); the result adds every
    total above them: per dimension, each node on the path from the leaf to the root.

    Example:
        >>> area = Hierarchy({"kota": None, "kec-1": "kota", "kec-2": "kota"})
        >>> sex = Hierarchy.flat("*", ["L", "P"])
        >>> table = margins({("kec-1", "L"): 3, ("kec-2", "L"): 7, ("kec-2", "P"): 4}, [area, sex])
        >>> table[("kota", "*")], table[("kec-2", "*")], table[("kota", "L")]
        (14, 11, 10)
    """
    out: dict[Position, int] = dict(counts)
    for axis, dimension in enumerate(dimensions):
        paths = {node: dimension.path(node)[1:] for node in dimension.parents}
        for position, value in list(out.items()):
            for node in paths[position[axis]]:
                above = (*position[:axis], node, *position[axis + 1 :])
                out[above] = out.get(above, 0) + value
    return out


def _choices(dimension: Hierarchy, node: str) -> list[tuple[str, ...]]:
    """Return the ways to move ``node``'s value along one dimension without a total moving.

    Each choice is the set of nodes whose value changes: a leaf under ``node`` and the
    nodes up to the first ancestor with a sibling, paired with a leaf under that
    sibling and its nodes up to the sibling (their common parent does not change);
    with no sibling anywhere up, the leaf and everything up to the root.
    """
    if len(dimension.parents) == 1:
        return [(node,)]
    top = node
    while (
        dimension.parents[top] is not None
        and len(dimension.children(dimension.parents[top] or "")) == 1
    ):
        top = dimension.parents[top] or ""
    parent = dimension.parents[top]
    ups = [dimension.path(leaf, node) for leaf in dimension.leaves_under(node)]
    ups = [(*up, *dimension.path(node, top)[1:]) for up in ups]
    if parent is None:
        return [(*up, *dimension.path(top)[1:]) for up in ups]
    return [
        (*up, *dimension.path(leaf, sibling))
        for sibling in dimension.children(parent)
        if sibling != top
        for leaf in dimension.leaves_under(sibling)
        for up in ups
    ]


def _cost(
    values: Mapping[Position, int],
    hidden: set[Position],
    cell: Position,
    axis: int,
    nodes: tuple[str, ...],
) -> tuple[int, int, int, tuple[str, ...]]:
    """How much hiding ``nodes`` along ``axis`` through ``cell`` costs (smaller is better)."""
    line = [(*cell[:axis], node, *cell[axis + 1 :]) for node in nodes]
    new = [p for p in line if p not in hidden]
    zeros = sum(1 for p in line if values.get(p, 0) == 0)
    return (len(new), zeros, sum(values.get(p, 0) for p in new), nodes)


def protect(
    values: Mapping[Position, int],
    dimensions: Sequence[Hierarchy],
    sensitive: Iterable[Position],
    *,
    hidden: Iterable[Position] = (),
) -> frozenset[Position]:
    """Hide each ``sensitive`` cell of a hierarchical table so it cannot be worked out.

    ``values`` holds every published cell (:func:`margins`; a position missing is a
    published zero). Each sensitive cell gets
    a *hypercube* of hidden cells (the method of Repsilber's GHMITER): per dimension, a
    leaf under the cell's node paired with a leaf of a sibling subtree (or, where no
    node up has a sibling, the leaf and its totals up to the root); adding ``+t`` to the
    corners of one parity and ``-t`` to the others changes the cell and leaves every
    published total untouched, so no sum of published values can tell its value. Each
    cell hidden this way is covered by such a change; ``hidden`` names cells already
    covered (the result keeps them). Per dimension the pairing that hides the fewest new
    cells is taken, then the one with the fewest zeros (a change must keep the corners
    non-negative), then the smallest values; ties by position. Safe, not minimal.

    Returns:
        Every hidden cell.
    """
    out = set(hidden)
    known: dict[tuple[int, str], list[tuple[str, ...]]] = {}
    for cell in sorted(set(sensitive)):
        if cell in out:
            continue
        axes: list[tuple[str, ...]] = []
        for axis, dimension in enumerate(dimensions):
            options = known.get((axis, cell[axis]))
            if options is None:
                options = known[(axis, cell[axis])] = _choices(dimension, cell[axis])
            axes.append(min(options, key=partial(_cost, values, out, cell, axis)))
        cube: list[Position] = [()]
        for nodes in axes:
            cube = [(*position, node) for position in cube for node in nodes]
        out.update(cube)
    return frozenset(out)
