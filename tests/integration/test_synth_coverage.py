"""The synthetic city gives every installed indicator something to count, partly served.

A synthetic city is only useful for a demo or a benchmark if each indicator has people
to count (a denominator) and finds some of them served and some not: an indicator at
0 % means the generator never makes the records (or the dates, or the values) its
expression asks for; one at 100 % means it never leaves anyone out. This test builds a
city of 8,000 residents of Kota Bekasi (the smallest size at which the rarest events —
house fires, neglected children, beggars — come out partly served for every seed
tried) and reads the city-wide report for the year.

Indicators whose denominator is an estimate (the health office's target, supplied from
outside) have no denominator until a target is set; for them the served count must be
positive and smaller than the population.
"""

from __future__ import annotations

from pathlib import Path

from store_helpers import operator

from spm_core.api import Registry
from spm_core.domain.period import Period
from spm_core.store.aggregate import ReportLevel
from spm_core.synth import synthesize

RESIDENTS = 8_000
YEAR = 2025


def test_every_indicator_is_partly_served(tmp_path: Path) -> None:
    with Registry.open(f"sqlite:///{tmp_path / 'city.db'}") as registry:
        synthesize(
            registry.store, operator(), registry.catalog, residents=RESIDENTS,
            wilayah="32.75", seed=1, year=YEAR,
        )  # fmt: skip
        period = Period.parse(str(YEAR))
        report = registry.compute_report(operator(), period, ReportLevel.KABUPATEN_KOTA)
        expected = {i.code for i in registry.catalog.for_period("32.75", period).indicators}
    rows = {row.indicator: row for row in report.rows if row.sex is None and row.age_group is None}
    assert set(rows) == expected
    wrong = {}
    for code, row in sorted(rows.items()):
        if row.denominator_source == "target":
            if not (row.numerator and 0 < row.numerator < RESIDENTS):
                wrong[code] = (row.numerator, "target")
        elif not (row.denominator and row.value is not None and 0 < row.value < 100):
            wrong[code] = (row.numerator, row.denominator, row.value)
    assert wrong == {}
