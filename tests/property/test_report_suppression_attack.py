"""Withheld report counts cannot be worked out from everything else a researcher is shown.

A researcher may ask the same count query at every area level (kelurahan, kecamatan,
kota) and with every breakdown (none, by sex, by age group, by both), and sees the
served (numerator) and the counted (denominator) of every row. The attacker here writes
each published value as a sum over the unknown smallest cells — per village, sex and
age group: the served and the counted-but-not-served — and, for every cell of the whole
table (any area, any breakdown or total; served, not served or counted) whose true
value is from 1 to 4, asks whether the published sums determine it exactly: whether its
row of coefficients lies in their span (exact rational Gaussian elimination, written
here independently of :mod:`spm_core.domain.suppression`).

Primary suppression alone (hiding only the counts from 1 to 4, as the store did before)
fails this attack: :func:`test_primary_only_suppression_leaks` shows a worked case.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from fractions import Fraction

from hypothesis import Phase, find, given, settings
from hypothesis import strategies as st

from spm_core.access import Actor, AreaScope, Role
from spm_core.domain import KodeWilayah
from spm_core.store.aggregate import Counts, ReportLevel, _roll_up

RESEARCHER = Actor("peneliti", Role.RESEARCHER, AreaScope(KodeWilayah("32.75")))
OPERATOR = Actor("operator", Role.OPERATOR, AreaScope(KodeWilayah("32.75")))
SEXES = ("L", "P")
AGES = ("0-1", "2-4", "5-6")
LEVELS = ("desa_kelurahan", "kecamatan", "kabupaten_kota")
BREAKDOWNS: tuple[tuple[str, ...], ...] = ((), ("sex",), ("age_group",), ("sex", "age_group"))

Cell = tuple[str, str, str]  # village, sex, age group
Table = dict[Cell, tuple[int, int]]  # (served, counted)


def _villages(shape: Sequence[int]) -> list[str]:
    """Villages of Kota Bekasi: ``shape[k]`` villages in the k-th kecamatan."""
    return [f"32.75.{k + 1:02d}.{1001 + j}" for k, count in enumerate(shape) for j in range(count)]


@st.composite
def tables(draw: st.DrawFn) -> Table:
    """Served and counted children per village, sex and age group; small counts likely."""
    shape = draw(st.lists(st.integers(1, 3), min_size=1, max_size=3))
    ages = AGES[: draw(st.integers(1, 3))]
    out: Table = {}
    for cell in itertools.product(_villages(shape), SEXES, ages):
        counted = draw(st.sampled_from((0, 1, 2, 3, 4, 5, 6, 8, 12, 20)))
        out[cell] = (draw(st.integers(0, counted)), counted)
    return out


def publish(table: Table, level: str, keys: tuple[str, ...], *, complementary: bool) -> Counts:
    """What the store returns a researcher for one level and breakdown.

    ``complementary=False`` is the old rule, for comparison: each count from 1 to 4 at
    the level and breakdown asked is hidden, nothing else.
    """
    rows: list[tuple[object, ...]] = [
        (f"p-{village}", village, sex, age, served, counted)
        for (village, sex, age), (served, counted) in table.items()
    ]
    visible = {f"p-{village}" for village, _, _ in table}
    asked = ("sex", "age_group") if complementary else keys
    if not complementary:
        rows = [
            (
                p,
                v,
                *(g for g, k in zip((s, a), ("sex", "age_group"), strict=True) if k in keys),
                n,
                d,
            )
            for p, v, s, a, n, d in rows
        ]
    counts = _roll_up(
        RESEARCHER if complementary else OPERATOR,
        visible,
        rows,
        ReportLevel.parse(level),
        asked,
        ("n", "d"),
        5 if complementary else None,
        shown_keys=keys,
        within={"n": "d"},
    )
    if complementary:
        return counts
    hidden = {
        k: tuple(None if x is not None and 0 < x < 5 else x for x in v)
        for k, v in counts.rows.items()
    }
    return Counts(counts.level, counts.keys, counts.columns, hidden, 5)


def _under(cell: Cell, area: str, group: Mapping[str, str]) -> bool:
    village, sex, age = cell
    inside = village == area or village.startswith(area + ".")
    return inside and group.get("sex", sex) == sex and group.get("age_group", age) == age


def _vector(
    cells: Sequence[Cell], area: str, group: Mapping[str, str], part: str
) -> list[Fraction]:
    """Coefficients over the unknowns (served, not served per cell) of one sum."""
    out = [Fraction(0)] * (2 * len(cells))
    for i, cell in enumerate(cells):
        if _under(cell, area, group):
            if part in ("served", "counted"):
                out[2 * i] = Fraction(1)
            if part in ("rest", "counted"):
                out[2 * i + 1] = Fraction(1)
    return out


def _true(table: Table, area: str, group: Mapping[str, str], part: str) -> int:
    inside = [v for c, v in table.items() if _under(c, area, group)]
    served = sum(n for n, _ in inside)
    counted = sum(d for _, d in inside)
    return {"served": served, "counted": counted, "rest": counted - served}[part]


class Span:
    """The span of the published sums, kept in reduced echelon form."""

    def __init__(self) -> None:
        self.rows: list[tuple[int, list[Fraction]]] = []

    def reduce(self, vector: list[Fraction]) -> list[Fraction]:
        out = vector[:]
        for pivot, row in self.rows:
            if out[pivot]:
                factor = out[pivot]
                out = [a - factor * b for a, b in zip(out, row, strict=True)]
        return out

    def add(self, vector: list[Fraction]) -> None:
        rest = self.reduce(vector)
        pivot = next((i for i, v in enumerate(rest) if v), None)
        if pivot is None:
            return
        rest = [v / rest[pivot] for v in rest]
        self.rows = [
            (p, [a - r[pivot] * b for a, b in zip(r, rest, strict=True)]) for p, r in self.rows
        ]
        self.rows.append((pivot, rest))

    def determines(self, vector: list[Fraction]) -> bool:
        return not any(self.reduce(vector))


def attack(table: Table, *, complementary: bool) -> list[tuple[str, dict[str, str], str, int]]:
    """Return every small count (1 to 4) the published reports determine exactly."""
    cells = sorted(table)
    span = Span()
    areas: set[str] = set()
    for level, keys in itertools.product(LEVELS, BREAKDOWNS):
        counts = publish(table, level, keys, complementary=complementary)
        for key, (served, counted) in counts.rows.items():
            area, group = str(key[0]), dict(zip(keys, (str(v) for v in key[1:]), strict=True))
            areas.add(area)
            for part, value in (("served", served), ("counted", counted)):
                if value is None:
                    continue
                assert not 0 < value < 5, (level, key, part, value)
                assert value == _true(table, area, group, part)
                span.add(_vector(cells, area, group, part))
    found = []
    sexes = [{}, *({"sex": s} for s in SEXES)]
    ages = [{}, *({"age_group": a} for a in {c[2] for c in cells})]
    for area, by_sex, by_age in itertools.product(sorted(areas), sexes, ages):
        group = {**by_sex, **by_age}
        for part in ("served", "rest", "counted"):
            value = _true(table, area, group, part)
            if 0 < value < 5 and span.determines(_vector(cells, area, group, part)):
                found.append((area, group, part, value))
    return found


@settings(max_examples=40, deadline=None)
@given(tables())
def test_no_withheld_small_count_can_be_worked_out(table: Table) -> None:
    assert attack(table, complementary=True) == []


# A worked case: two villages of one kecamatan, boys and girls, one age group.
#
#                 Jatiasih (1001)   Jatimekar (1002)   kecamatan
#   boys  served        3                 10               13
#         counted       9                 12               21
#   girls served        9                  8               17
#         counted      10                  9               19
WORKED: Table = {
    ("32.75.01.1001", "L", "0-1"): (3, 9),
    ("32.75.01.1001", "P", "0-1"): (9, 10),
    ("32.75.01.1002", "L", "0-1"): (10, 12),
    ("32.75.01.1002", "P", "0-1"): (8, 9),
}


def test_the_attacker_breaks_primary_only_suppression_on_drawn_tables() -> None:
    leaky = find(
        tables(),
        lambda table: bool(attack(table, complementary=False)),
        settings=settings(phases=[Phase.generate], database=None, max_examples=200),
    )
    assert attack(leaky, complementary=True) == []


def test_primary_only_suppression_leaks() -> None:
    # Hiding only the counts from 1 to 4: the 3 boys served in Jatiasih are withheld,
    # but the kecamatan's 13 minus Jatimekar's 10 gives them back, and so on.
    leaked = attack(WORKED, complementary=False)
    assert ("32.75.01.1001", {"sex": "L"}, "served", 3) in leaked
    assert ("32.75.01.1001", {"sex": "P"}, "rest", 1) in leaked


def test_complementary_suppression_withholds_enough_in_the_worked_case() -> None:
    assert attack(WORKED, complementary=True) == []
    # Small: Jatiasih's 3 boys served and 1 girl not served, Jatimekar's 1 girl not
    # served, and the kecamatan's 2 girls not served. Each served count by sex goes
    # with them (the boys and girls of both villages and of the kecamatan: any one
    # shown would give the others back by subtraction); the counted stay, and so do
    # the totals over both sexes.
    by_sex = publish(WORKED, "desa_kelurahan", ("sex",), complementary=True)
    assert by_sex.rows == {
        ("32.75.01.1001", "L"): (None, 9),
        ("32.75.01.1001", "P"): (None, 10),
        ("32.75.01.1002", "L"): (None, 12),
        ("32.75.01.1002", "P"): (None, 9),
    }
    kecamatan = publish(WORKED, "kecamatan", ("sex",), complementary=True)
    assert kecamatan.rows == {("32.75.01", "L"): (None, 21), ("32.75.01", "P"): (None, 19)}
    assert publish(WORKED, "kecamatan", (), complementary=True).rows == {("32.75.01",): (30, 40)}
    # Over both sexes Jatimekar serves 18 of 21: the 3 it does not serve are small, so
    # its served count is withheld, and Jatiasih's with it (30 minus it would tell).
    villages = publish(WORKED, "desa_kelurahan", (), complementary=True)
    assert villages.rows == {("32.75.01.1001",): (None, 19), ("32.75.01.1002",): (None, 21)}
