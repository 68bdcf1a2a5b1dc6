"""The residents' and the households' count queries of one report run at once.

Where the store reads concurrently (a SQLite file, PostgreSQL) the two queries run in
two threads, each on its own connection; an in-memory SQLite database has one
connection, so they run one after the other in the caller's thread. Either way the
counts are the same, and counting goes on while another process writes.
"""

from __future__ import annotations

import multiprocessing
import threading
import time
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from engine_helpers import (
    OPERATOR,
    add_posyandu,
    elderly_screened,
    piped_water,
    write_population,
)
from sqlalchemy import event

from spm_core.access import Purpose
from spm_core.catalog import Catalog
from spm_core.domain import Period, Sex
from spm_core.errors import InvalidValue
from spm_core.indicators.population import Household, Membership, Population, Resident, Stay
from spm_core.indicators.sql import IndicatorCounts, count_indicators
from spm_core.store import Store, open_store

YEAR = Period.whole_year(2025)
WANTED = ("kesehatan.usia-lanjut", "pupr.air-minum")


def _world(store: Store) -> None:
    (posyandu, village), *_ = add_posyandu(store).items()
    people = [
        Resident(
            f"r{i}",
            date(1950 + i, 1, 1),
            Sex.FEMALE,
            (Stay(date(1950, 1, 1), None, posyandu, village),),
        )
        for i in range(6)
    ]
    homes = [Household("h1", posyandu, village), Household("h2", posyandu, village)]
    members = [Membership("h1" if i < 3 else "h2", f"r{i}", date(2000, 1, 1)) for i in range(6)]
    screened = elderly_screened(f"r{i}" for i in range(4))
    water = piped_water("h1")
    write_population(store, Population.of(people, homes, members, [*screened, water]))


def _count(store: Store, catalog: Catalog, **options: Any) -> list[IndicatorCounts]:
    types = {r.code: r for r in catalog.record_types}
    wanted = [catalog.indicator(code) for code in WANTED]
    return count_indicators(store, OPERATOR, wanted, YEAR, types, **options)


def _cells(found: list[IndicatorCounts]) -> dict[str, tuple[int | None, int | None]]:
    return {c.indicator: (c.served, c.denominator) for c in found}


EXPECTED = {"kesehatan.usia-lanjut": (4, 6), "pupr.air-minum": (3, 6)}
"""Four of six elderly residents screened; the three members of the one household with
piped water, of six members in all."""


@pytest.fixture
def memory_store() -> Iterator[Store]:
    opened = open_store("sqlite://")
    try:
        yield opened
    finally:
        opened.close()


def _count_statements(store: Store) -> Any:
    """Listen for the count queries (the ones reading the restricted residents' CTE)."""
    seen: list[str] = []

    def before(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.startswith("WITH restricted_resident"):
            seen.append(threading.current_thread().name)

    event.listen(store._engine, "before_cursor_execute", before)
    return seen, before


def test_the_two_queries_run_at_once_on_a_store_that_reads_concurrently(
    store: Store, spm_catalog: Catalog
) -> None:
    _world(store)
    assert store.reads_concurrently
    # each query waits at the barrier until the other has started: run one after the
    # other, the first would wait in vain and the barrier would break
    barrier = threading.Barrier(2, timeout=20)
    threads: list[str] = []

    def meet(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.startswith("WITH restricted_resident"):
            threads.append(threading.current_thread().name)
            barrier.wait()

    event.listen(store._engine, "before_cursor_execute", meet)
    try:
        found = _count(store, spm_catalog)
    finally:
        event.remove(store._engine, "before_cursor_execute", meet)
    assert _cells(found) == EXPECTED
    assert len(set(threads)) == 2
    assert all(name.startswith("spm-count") for name in threads)


def test_an_in_memory_store_counts_in_the_callers_thread(
    memory_store: Store, spm_catalog: Catalog
) -> None:
    _world(memory_store)
    assert not memory_store.reads_concurrently
    seen, listener = _count_statements(memory_store)
    try:
        found = _count(memory_store, spm_catalog)
    finally:
        event.remove(memory_store._engine, "before_cursor_execute", listener)
    assert _cells(found) == EXPECTED
    assert seen == [threading.current_thread().name] * 2


def test_concurrent_and_sequential_counts_agree(
    store: Store, memory_store: Store, spm_catalog: Catalog
) -> None:
    _world(store)
    _world(memory_store)
    assert _count(store, spm_catalog) == _count(memory_store, spm_catalog)


def test_an_error_in_a_counting_thread_reaches_the_caller(
    store: Store, spm_catalog: Catalog
) -> None:
    _world(store)
    # the store refuses a breakdown it does not know inside each counting thread
    with pytest.raises(InvalidValue) as raised:
        _count(store, spm_catalog, keys=("religion",))
    assert raised.value.value == "religion"


SCREENED_LATER = 30


def _screen_one_by_one(url: str, catalog: Catalog, go: Any) -> None:
    """Screen each elderly resident of the contended world, one committed record at a time."""
    store = open_store(url)
    try:
        go.wait(timeout=30)
        for i in range(SCREENED_LATER):
            store.add_record(
                OPERATOR,
                {
                    "record_type": "kesehatan.skrining",
                    "resident_id": f"e{i}",
                    "observed_on": "2025-03-01",
                    "value": {"package": "usia-lanjut", "examiner": "nakes"},
                },
                Purpose.PELAYANAN,
                catalog,
            )
            time.sleep(0.02)
    finally:
        store.close()


def test_reports_counted_while_another_process_writes_only_grow(
    store: Store, db_url: str, spm_catalog: Catalog
) -> None:
    (posyandu, village), *_ = add_posyandu(store).items()
    elderly = [
        Resident(
            f"e{i}", date(1950, 1, 1), Sex.MALE, (Stay(date(1950, 1, 1), None, posyandu, village),)
        )
        for i in range(SCREENED_LATER)
    ]
    write_population(store, Population.of(elderly, [], [], []))
    elderly_cell = "kesehatan.usia-lanjut"
    assert _cells(_count(store, spm_catalog))[elderly_cell] == (0, SCREENED_LATER)
    context = multiprocessing.get_context("fork")
    go = context.Event()
    writer = context.Process(target=_screen_one_by_one, args=(db_url, spm_catalog, go))
    writer.start()
    seen: list[tuple[int | None, int | None]] = []
    try:
        go.set()
        while writer.is_alive():
            seen.append(_cells(_count(store, spm_catalog))[elderly_cell])
    finally:
        writer.join(timeout=60)
    assert writer.exitcode == 0
    served = [cell[0] or 0 for cell in seen]
    # Each count sees a committed state: the denominator never moves, the served only
    # grow as the screenings commit, and states between none and all were counted.
    assert {cell[1] for cell in seen} == {SCREENED_LATER}
    assert served == sorted(served)
    assert len({s for s in served if 0 < s < SCREENED_LATER}) >= 2
    assert _cells(_count(store, spm_catalog))[elderly_cell] == (SCREENED_LATER, SCREENED_LATER)
