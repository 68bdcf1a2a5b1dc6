"""What the SQL counts leave out: restricted residents; what they withhold: small cells."""

from __future__ import annotations

from datetime import date

import pytest
from engine_helpers import (
    OPERATOR,
    add_posyandu,
    elderly_screened,
    piped_water,
    write_population,
)

from spm_core.access import Actor, AreaScope, Role
from spm_core.catalog import Catalog
from spm_core.domain import KodeWilayah, Period, Sex
from spm_core.indicators.population import Household, Membership, Population, Resident, Stay
from spm_core.indicators.sql import count_indicators
from spm_core.store import Store

YEAR = Period.whole_year(2025)


def _world(store: Store) -> tuple[str, str]:
    (posyandu, village), *_ = add_posyandu(store).items()
    people = []
    for i in range(7):
        people.append(
            Resident(
                f"r{i}",
                date(1950 + i, 1, 1),
                Sex.FEMALE,
                (Stay(date(1950, 1, 1), None, posyandu, village),),
                restricted=i == 0,
            )
        )
    home = Household("h1", posyandu, village)
    members = [Membership("h1", f"r{i}", date(2000, 1, 1)) for i in range(3)]
    screened = elderly_screened(f"r{i}" for i in range(3))
    water = piped_water("h1")
    write_population(store, Population.of(people, [home], members, [*screened, water]))
    return posyandu, village


def test_restricted_residents_are_not_counted_by_anyone(store: Store, spm_catalog: Catalog) -> None:
    _, village = _world(store)
    types = {r.code: r for r in spm_catalog.record_types}
    wanted = [
        spm_catalog.indicator("kesehatan.usia-lanjut"),
        spm_catalog.indicator("pupr.air-minum"),
    ]
    found = {c.indicator: c for c in count_indicators(store, OPERATOR, wanted, YEAR, types)}
    elderly = found["kesehatan.usia-lanjut"]
    assert (elderly.area, elderly.served, elderly.denominator) == (village, 2, 6)
    water = found["pupr.air-minum"]
    assert (water.served, water.denominator) == (2, 2)  # the household's two unrestricted members


def test_researchers_get_small_cells_withheld(store: Store, spm_catalog: Catalog) -> None:
    _, village = _world(store)
    types = {r.code: r for r in spm_catalog.record_types}
    researcher = Actor("peneliti", Role.RESEARCHER, AreaScope(KodeWilayah("32.75")))
    wanted = [spm_catalog.indicator("kesehatan.usia-lanjut")]
    (cell,) = count_indicators(store, researcher, wanted, YEAR, types)
    assert (cell.area, cell.served, cell.denominator) == (village, None, 6)
    (plain,) = count_indicators(store, OPERATOR, wanted, YEAR, types)
    assert plain.served == 2
    (asked,) = count_indicators(store, OPERATOR, wanted, YEAR, types, suppress_below=10)
    assert (asked.served, asked.denominator) == (None, None)


@pytest.mark.parametrize(
    "level", ["posyandu", "kelurahan", "kecamatan", "kabupaten_kota", "provinsi"]
)
def test_counts_roll_up_to_every_level(store: Store, spm_catalog: Catalog, level: str) -> None:
    posyandu, village = _world(store)
    types = {r.code: r for r in spm_catalog.record_types}
    (cell,) = count_indicators(
        store, OPERATOR, [spm_catalog.indicator("kesehatan.usia-lanjut")], YEAR, types, level=level
    )
    expected = {
        "posyandu": posyandu,
        "kelurahan": village,
        "kecamatan": "32.75.01",
        "kabupaten_kota": "32.75",
        "provinsi": "32",
    }[level]
    assert (cell.area, cell.served, cell.denominator) == (expected, 2, 6)
