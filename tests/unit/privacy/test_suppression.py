"""Worked examples of complementary suppression, as a statistics office would check them."""

from __future__ import annotations

import pytest

from spm_core.domain.suppression import determined_cells, suppress
from spm_core.errors import InvalidValue


def test_a_lone_small_cell_takes_a_partner_in_its_row_and_column() -> None:
    # Stunted toddlers by kelurahan (rows) and sex (columns).
    counts = [[12, 3], [20, 9], [15, 11]]
    table = suppress(counts, threshold=5)
    assert table.primary == {(0, 1)}
    # Row 0 would give 15 - 12 = 3, so 12 is hidden too; column 0 then gives 12 back
    # from 47 - 20 - 15, so 15 is hidden; and 11 closes the rectangle in column 1.
    assert table.cells == ((None, None), (20, 9), (None, None))
    assert table.row_totals == (15, 29, 26)
    assert table.column_totals == (47, 23)
    assert table.total == 70


def test_a_small_total_is_hidden_with_its_line() -> None:
    table = suppress([[2, 1], [10, 10]], threshold=5)
    assert table.row_totals[0] is None
    assert table.cells[0] == (None, None)
    assert determined_cells(2, 2, table.hidden) == set()


def test_zeros_are_shown_and_nothing_small_means_nothing_hidden() -> None:
    table = suppress([[0, 7], [6, 0]])
    assert table.hidden == frozenset()
    assert table.cells == ((0, 7), (6, 0))


def test_bad_tables_are_refused() -> None:
    with pytest.raises(InvalidValue):
        suppress([[1, 2], [3]])
    with pytest.raises(InvalidValue):
        suppress([[-1]])
    with pytest.raises(InvalidValue):
        suppress([[1]], threshold=0)
