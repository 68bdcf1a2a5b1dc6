"""Every worked case of the field plugins, through both interpreters.

Each case says whether its subject is in the indicator's denominator and whether it is
served. The reference evaluator must say the same for the subject, and the SQL compiler
must count it (once, or as its members for an indicator counting persons) on SQLite and
PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from engine_helpers import (
    OPERATOR,
    add_posyandu,
    case_files,
    case_population,
    clear,
    load_cases,
    write_population,
)

from spm_core.catalog import Catalog
from spm_core.definitions import ExternalTarget, Indicator, RecordType
from spm_core.domain import Period
from spm_core.indicators.reference import Evaluator, count_subject
from spm_core.indicators.sql import count_indicators
from spm_core.store import Store, open_store
from spm_core.store.aggregate import ReportLevel

CASES = [
    pytest.param(path, i, id=f"{path.stem}-{case['name']}")
    for path in case_files()
    for i, case in enumerate(load_cases(path)[2])
]


def _record_types(catalog: Catalog) -> dict[str, RecordType]:
    return {r.code: r for r in catalog.record_types}


def _case(catalog: Catalog, path: Path, index: int) -> tuple[Indicator, Period, dict[str, Any]]:
    """Return the indicator version in force for the case's period, the period, the case.

    A case may name its own ``period`` (a dated version, a quarter); otherwise the file's.
    """
    code, period, cases = load_cases(path)
    case = cases[index]
    if "period" in case:
        period = Period.parse(str(case["period"]))
    return catalog.for_period(None, period).indicator(code), period, case


@pytest.mark.parametrize(("path", "index"), CASES)
def test_the_worked_case_records_are_valid(spm_catalog: Catalog, path: Path, index: int) -> None:
    """Every record of a worked case passes its record type's value schema."""
    _, _, case = _case(spm_catalog, path, index)
    types = _record_types(spm_catalog)
    items = list(case.get("records", ()))
    for member in case["subject"].get("members", ()):
        items += member.get("records", ())
    for item in items:
        types[item["type"]].value_schema.model_validate(item["value"])


@pytest.mark.parametrize(("path", "index"), CASES)
def test_reference_agrees_with_the_worked_case(
    spm_catalog: Catalog, path: Path, index: int
) -> None:
    indicator, period, case = _case(spm_catalog, path, index)
    population, kind, subject = case_population(case, "p-1", "32.75.01.1001", index)
    ev = Evaluator(population, period, _record_types(spm_catalog))
    counted = count_subject(ev, indicator, subject)
    target = isinstance(indicator.denominator, ExternalTarget)
    assert (counted.in_denominator or target) is case["expect"]["denominator"], "\n".join(
        ev.explain(indicator.denominator, kind, subject).lines()
    )
    assert counted.served is case["expect"]["numerator"], "\n".join(
        ev.explain(indicator.numerator, kind, subject).lines()
    )
    if "persons" in case["expect"]:
        assert counted.weight == case["expect"]["persons"]


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def case_store(
    request: pytest.FixtureRequest, make_database: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Store, str, str]]:
    with make_database(request.param, tmp_path_factory.mktemp("cases")) as url:
        store = open_store(url)
        try:
            ((posyandu, village),) = list(add_posyandu(store).items())[:1]
            yield store, posyandu, village
        finally:
            store.close()


@pytest.mark.parametrize(("path", "index"), CASES)
def test_sql_counts_the_worked_case(
    spm_catalog: Catalog, case_store: tuple[Store, str, str], path: Path, index: int
) -> None:
    store, posyandu, village = case_store
    indicator, period, case = _case(spm_catalog, path, index)
    population, _, _ = case_population(case, posyandu, village, index)
    clear(store)
    write_population(store, population)
    found = count_indicators(
        store, OPERATOR, [indicator], period, _record_types(spm_catalog), level=ReportLevel.POSYANDU
    )
    cells = [c for c in found if c.area == posyandu]
    served = sum(c.served or 0 for c in cells)
    counted = sum(c.denominator or 0 for c in cells)
    if not isinstance(indicator.denominator, ExternalTarget):
        assert (counted > 0) is case["expect"]["denominator"]
    assert (served > 0) is case["expect"]["numerator"]
    if "persons" in case["expect"] and case["expect"]["denominator"]:
        assert counted == case["expect"]["persons"]
