"""Bulk loading: idempotent re-runs, resumable interrupted loads, every bad row reported.

Each test runs on SQLite and PostgreSQL. Posyandu come from a tiny synthetic plan so
their ids are the same in every database, and every load is stamped with a fixed time,
so whole tables can be compared between databases loaded in different ways.
"""

from __future__ import annotations

import csv
import itertools
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text
from store_helpers import make_nik, operator

from spm_core.access import Purpose
from spm_core.catalog import Catalog
from spm_core.domain import Sex
from spm_core.load import load
from spm_core.store import Store, open_store
from spm_core.store._keys import stable_id
from spm_core.store.transactions import make_engine
from spm_core.synth import SynthCity, create_posyandu, plan_city

DATABASES = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
NOW = datetime(2026, 1, 1, tzinfo=UTC)
TABLES = ("household", "resident", "domicile", "membership", "record")
MakeDb = Callable[[str, Path], AbstractContextManager[str]]


def tiny_city() -> SynthCity:
    return plan_city(40, "32.75.01", seed=3, year=2025)


def open_with_posyandu(url: str) -> tuple[Store, SynthCity]:
    store = open_store(url)
    city = tiny_city()
    create_posyandu(store, operator(), city)
    return store, city


def dump(url: str) -> dict[str, list[tuple[Any, ...]]]:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return {
                table: sorted(
                    tuple(str(v) for v in row)
                    for row in connection.execute(text(f"SELECT * FROM {table}"))
                )
                for table in TABLES
            }
    finally:
        engine.dispose()


def people_rows(city: SynthCity, households: int = 6) -> list[dict[str, Any]]:
    rows = []
    serial = itertools.count(1)
    for h in range(households):
        posyandu = city.posyandu[h % len(city.posyandu)].id
        for member in range(3):
            n = next(serial)
            birth = date(1980 + member * 15, 1 + h, 1 + member)
            rows.append(
                {
                    "household": f"uji-{h}",
                    "nomor_kk": None,
                    "relationship": 1 if member == 0 else 4,
                    "nik": make_nik(n, birth, Sex.MALE) if member < 2 else None,
                    "name": f"Warga {n}",
                    "sex": "L",
                    "birth_date": birth.isoformat(),
                    "posyandu_id": posyandu,
                    "rt": "001",
                    "rw": "002",
                }
            )
    return rows


def write(path: Path, rows: list[dict[str, Any]]) -> Path:
    columns = list(rows[0])
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(columns)
        out.writerows([["" if r.get(c) is None else r[c] for c in columns] for r in rows])
    return path


def record_rows(url: str) -> list[dict[str, Any]]:
    engine = make_engine(url)
    with engine.connect() as connection:
        ids = sorted(r for (r,) in connection.execute(text("SELECT id FROM resident")))
    engine.dispose()
    return [
        {
            "record_type": "uji.timbang",
            "resident_id": rid,
            "observed_on": "2025-03-01",
            "value": f'{{"weight_kg": {10 + i}}}',
        }
        for i, rid in enumerate(ids)
    ]


class Interrupted(Exception):
    pass


def breaking(rows: list[dict[str, Any]], after: int) -> Iterator[dict[str, Any]]:
    for i, row in enumerate(rows):
        if i == after:
            raise Interrupted
        yield row


@pytest.mark.parametrize("kind", DATABASES)
def test_twice_and_interrupted_halves_equal_once(
    kind: str, tmp_path: Path, make_database: MakeDb, catalog: Catalog
) -> None:
    op = operator()
    for name in ("once", "twice", "halves"):
        (tmp_path / name).mkdir()
    with (
        make_database(kind, tmp_path / "once") as once,
        make_database(kind, tmp_path / "twice") as twice,
        make_database(kind, tmp_path / "halves") as halves,
    ):
        stores = {}
        for url in (once, twice, halves):
            stores[url], city = open_with_posyandu(url)
        people = write(tmp_path / "people.csv", people_rows(city))
        first = load(stores[once], op, "residents", people, now=NOW, chunk_rows=4)
        assert (first.rows, first.accepted, first.issues) == (18, 18, ())
        assert first.inserted == {"household": 6, "resident": 18, "domicile": 18, "membership": 18}
        for _ in range(2):
            again = load(stores[twice], op, "residents", people, now=NOW, chunk_rows=4)
        assert again.load_id == first.load_id
        assert again.inserted_rows == 0
        assert again.accepted == 18
        # Interrupted after 10 rows (two chunks of 4 committed), then run again in full.
        rows = people_rows(city)
        with pytest.raises(Interrupted):
            load(stores[halves], op, "residents", breaking(rows, 10), load_id=first.load_id,
                 now=NOW, chunk_rows=4)  # fmt: skip
        assert dump(halves)["resident"]
        assert len(dump(halves)["resident"]) < 18
        rest = load(stores[halves], op, "residents", rows, load_id=first.load_id, now=NOW,
                    chunk_rows=4)  # fmt: skip
        assert 0 < rest.inserted["resident"] < 18
        assert dump(once) == dump(twice) == dump(halves)

        records = write(tmp_path / "records.csv", record_rows(once))
        for url, times in ((once, 1), (twice, 2), (halves, 1)):
            for _ in range(times):
                report = load(stores[url], op, "records", records, catalog=catalog, now=NOW)
                assert report.issues == ()
        assert dump(once) == dump(twice) == dump(halves)
        audit = stores[twice].list_audit(op, entity="load")
        assert [a.entity_id for a in audit].count(first.load_id) == 2
        assert "resident:0" in audit[1].fields
        assert "resident:18" in audit[0].fields
        for store in stores.values():
            store.close()


# ------------------------------------------------------------------ fuzzing

DAMAGE: dict[str, tuple[str, Any]] = {
    "nik-scientific": ("nik", "3.27E+15"),
    "nik-short": ("nik", "327501010190001"),
    "nik-day": ("nik", "3275013201900001"),
    "nik-letter": ("nik", "327501010190000O"),
    "nik-serial-0000": ("nik", "3275010101900000"),
    "birth-impossible": ("birth_date", "2023-02-30"),
    "birth-month": ("birth_date", "31/31/2020"),
    "birth-future": ("birth_date", "2999-01-01"),
    "sex": ("sex", "X"),
    "name-empty": ("name", "   "),
    "rt-zero": ("rt", "0"),
    "posyandu-unknown": ("posyandu_id", "00000000-0000-4000-8000-000000000000"),
    "relationship": ("relationship", "12"),
    "second-head": ("relationship", "1"),
    "duplicate-nik": ("nik", None),
    "since-before-birth": ("since", "1900-01-01"),
    "kk-short": ("nomor_kk", "123"),
    "kk-number": ("nomor_kk", 3275011203180007),
    "since-dmy-impossible": ("since", "31/02/2020"),
}
SERIAL = itertools.count(1000)


@st.composite
def households(draw: st.DrawFn) -> list[list[str | None]]:
    """Households as lists of member damages (None = a good row); the head comes first."""
    out = []
    for _ in range(draw(st.integers(1, 6))):
        size = draw(st.integers(1, 4))
        damages = [
            draw(st.one_of(st.none(), st.none(), st.sampled_from(sorted(DAMAGE))))
            for _ in range(size)
        ]
        out.append(damages)
    return out


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(plan=households(), chunk=st.integers(1, 9))
def test_a_fuzzed_load_rejects_exactly_the_bad_rows(
    shared_city: tuple[Store, SynthCity], plan: list[list[str | None]], chunk: int
) -> None:
    store, city = shared_city
    rows: list[dict[str, Any]] = []
    expected: dict[int, str] = {}  # row -> column of its damage
    household_of: dict[int, str] = {}
    tag = next(SERIAL)
    # Resolve the damages first: a second head needs a first; a duplicate NIK copies the
    # head of an earlier household that has no damage at all (so that NIK is stored).
    resolved = [
        [None if (d == "second-head" and m == 0) else d for m, d in enumerate(damages)]
        for damages in plan
    ]
    clean_before: list[int | None] = []
    last_clean = None
    for h, damages in enumerate(resolved):
        clean_before.append(last_clean)
        if "duplicate-nik" in damages and last_clean is None:
            resolved[h] = [None if d == "duplicate-nik" else d for d in damages]
        if all(d is None for d in resolved[h]):
            last_clean = h
    heads: dict[int, str] = {}
    for h, damages in enumerate(resolved):
        key = f"fuzz-{tag}-{h}"
        for m, damage in enumerate(damages):
            number = len(rows) + 1
            birth = date(1970 + m * 10, 1 + m, 1 + h)
            nik = make_nik(next(SERIAL) % 9999 + 1, birth, Sex.FEMALE, prefix="327502")
            if m == 0:
                heads[h] = nik
            row: dict[str, Any] = {
                "household": key, "relationship": 1 if m == 0 else 4, "nik": nik,
                "name": f"Warga {tag} {h} {m}", "sex": "P", "birth_date": birth.isoformat(),
                "posyandu_id": city.posyandu[h % len(city.posyandu)].id, "rt": "003",
                "rw": "004", "since": None,
            }  # fmt: skip
            if damage is not None:
                column, value = DAMAGE[damage]
                source = clean_before[h]
                row[column] = heads[source] if damage == "duplicate-nik" else value  # type: ignore[index]
                expected[number] = column
            rows.append(row)
            household_of[number] = key
    report = load(store, operator(), "residents", rows, now=NOW, chunk_rows=chunk)
    by_row: dict[int, set[str]] = {}
    for issue in report.issues:
        assert issue.row is not None
        assert issue.message_id
        assert issue.message_en
        assert issue.code
        by_row.setdefault(issue.row, set()).add(issue.field)
    broken = {household_of[n] for n in expected}
    for number, column in expected.items():
        assert column in by_row.get(number, set()), (number, column, by_row.get(number))
    rejected = {n for n in household_of if household_of[n] in broken}
    assert set(by_row) == rejected
    assert report.accepted == len(rows) - len(rejected)
    engine = make_engine(store.url.replace("***", ""))
    try:
        with engine.connect() as connection:
            for key in {household_of[n] for n in household_of}:
                hid = stable_id("household", key)
                stored = connection.scalar(
                    text("SELECT count(*) FROM membership WHERE household_id = :h"), {"h": hid}
                )
                size = sum(1 for n in household_of if household_of[n] == key)
                assert stored == (0 if key in broken else size), key
    finally:
        engine.dispose()


@pytest.fixture(params=DATABASES)
def shared_city(
    request: pytest.FixtureRequest, tmp_path: Path, make_database: MakeDb
) -> Iterator[tuple[Store, SynthCity]]:
    with make_database(request.param, tmp_path) as url:
        store, city = open_with_posyandu(url)
        try:
            yield store, city
        finally:
            store.close()


def test_memberships_and_records_report_their_bad_rows(
    shared_city: tuple[Store, SynthCity], catalog: Catalog, tmp_path: Path
) -> None:
    store, city = shared_city
    op = operator()
    load(store, op, "residents", people_rows(city, households=2), now=NOW)
    engine = make_engine(store.url.replace("***", ""))
    with engine.connect() as connection:
        members = connection.execute(
            text("SELECT household_id, resident_id, relationship FROM membership "
                 "ORDER BY household_id, relationship, resident_id")
        ).all()  # fmt: skip
    engine.dispose()
    (h1, head1, _), (_, child1, _), _, (h2, head2, _), (_, child2, _), _ = members
    memberships = [
        {"household_id": h2, "resident_id": child1, "relationship": 4, "start": "2025-01-01"},
        {"household_id": h1, "resident_id": head2, "relationship": 1, "start": "2024-06-01",
         "end": "2024-12-31"},
        {"household_id": h1, "resident_id": "nobody", "relationship": 4, "start": "2025-01-01"},
        {"household_id": h1, "resident_id": child2, "relationship": 4, "start": "01/02/2025",
         "end": "2024-01-01"},
    ]  # fmt: skip
    report = load(store, op, "memberships", memberships, now=NOW)
    found = {(i.row, i.field, i.code) for i in report.issues}
    assert found == {
        (1, "start", "overlapping-membership"),
        (2, "start", "overlapping-membership"),
        (3, "resident_id", "not-found"),
        (4, "end", "end-before-start"),
    }
    records = [
        {"record_type": "uji.timbang", "resident_id": head1, "observed_on": "2025-13-01",
         "value": '{"weight_kg": 60}'},
        {"record_type": "uji.tidak-ada", "resident_id": head1, "observed_on": "2025-01-01",
         "value": "{}"},
        {"record_type": "uji.timbang", "resident_id": head1, "observed_on": "2025-01-01",
         "value": '{"weight_kg": "berat"}'},
        {"record_type": "uji.timbang", "household_id": h1, "observed_on": "2025-01-01",
         "value": '{"weight_kg": 60}'},
        {"record_type": "uji.timbang", "resident_id": head1, "observed_on": "2025-01-01",
         "value": '{"weight_kg": 61}', "idempotency_key": "k-1"},
        {"record_type": "uji.timbang", "resident_id": head1, "observed_on": "2025-01-01",
         "value": '{"weight_kg": 62}', "idempotency_key": "k-1"},
        {"record_type": "uji.lingkungan", "place": "32.75.99.1001",
         "posyandu_id": city.posyandu[0].id, "observed_on": "2025-01-01",
         "value": '{"flooded": true}'},
        {"record_type": "uji.timbang", "resident_id": head1, "observed_on": "2025-02-01",
         "value": '{"weight_kg": 60}', "void_reason": "salah orang"},
    ]  # fmt: skip
    report = load(store, op, "records", records, catalog=catalog, now=NOW)
    found = {(i.row, i.field, i.code) for i in report.issues}
    assert {(r, f) for r, f, _ in found} == {
        (1, "observed_on"),
        (2, "record_type"),
        (3, "value.weight_kg"),
        (4, "household_id"),
        (6, "idempotency_key"),
        (7, "place"),
    }
    assert report.accepted == 2
    assert report.inserted == {"record": 2}
    assert "rejected:6" in store.list_audit(op, entity="load")[-1].fields
    voided = [
        r
        for r in store.list_records(op, include_voided=True, purpose=Purpose.PELAYANAN)
        if r.voided_at
    ]
    assert [r.void_reason for r in voided] == ["salah orang"]


def test_dataframe_sources(shared_city: tuple[Store, SynthCity]) -> None:
    pandas = pytest.importorskip("pandas")
    store, city = shared_city
    rows = people_rows(city, households=2)
    report = load(store, operator(), "residents", pandas.DataFrame(rows), load_id="df", now=NOW)
    assert report.accepted == 6
    assert report.issues == ()
    bad = pandas.DataFrame([{**rows[0], "nik": 3275010101800001, "household": "x"}])
    report = load(store, operator(), "residents", bad, load_id="df-2", now=NOW)
    assert [(i.field, i.code) for i in report.issues] == [("nik", "identifier-as-number")]


def test_households_load_and_their_members_by_key(shared_city: tuple[Store, SynthCity]) -> None:
    store, city = shared_city
    op = operator()
    kk = "3275011203180007"
    households = [
        {"household": "rt-7", "nomor_kk": kk, "posyandu_id": city.posyandu[0].id,
         "rt": "RT 07", "rw": "3"},
        {"household": "rt-8", "nomor_kk": kk, "posyandu_id": city.posyandu[0].id,
         "rt": "8", "rw": "3"},
        {"household": "rt-9", "posyandu_id": "nowhere", "rt": "9", "rw": "3"},
        {"household": "rt-10", "nomor_kk": 3275011203180008, "posyandu_id": city.posyandu[0].id,
         "rt": "10", "rw": "3"},
    ]  # fmt: skip
    report = load(store, op, "households", households, now=NOW)
    assert {(i.row, i.field, i.code) for i in report.issues} == {
        (2, "nomor_kk", "duplicate-kk"),
        (3, "posyandu_id", "not-found"),
        (4, "nomor_kk", "identifier-as-number"),
    }
    assert report.inserted == {"household": 1}
    stored = store.get_household(op, stable_id("household", "rt-7"), purpose=Purpose.PELAYANAN)
    assert (stored.nomor_kk, stored.rt, stored.rw) == (kk, "007", "003")
    lone = {**people_rows(city, households=1)[0], "household": None, "relationship": None}
    lone["nik"] = None
    load(store, op, "residents", [lone], load_id="lone", now=NOW)
    resident = next(r for r in store.list_residents(op, purpose=Purpose.PELAYANAN) if r.nik is None)
    rows = [
        {"household": "rt-7", "resident_id": resident.id, "relationship": "istri",
         "start": "2020-01-01"},
        {"household": "rt-8", "resident_id": resident.id, "relationship": 1,
         "start": "2021-01-01"},
    ]  # fmt: skip
    joined = load(store, op, "memberships", rows, now=NOW)
    assert [(i.row, i.field, i.code) for i in joined.issues] == [(2, "household", "not-found")]
    (member,) = store.household_members(
        op, stable_id("household", "rt-7"), date(2025, 1, 1), purpose=Purpose.PELAYANAN
    )
    assert (member.resident_id, int(member.relationship)) == (resident.id, 3)


@pytest.mark.parametrize("library", ["polars", "pyarrow"])
def test_polars_and_arrow_sources(shared_city: tuple[Store, SynthCity], library: str) -> None:
    module = pytest.importorskip(library)
    store, city = shared_city
    rows = people_rows(city, households=2)
    rows[4]["birth_date"] = "2020-02-30"
    columns = {name: [row[name] for row in rows] for name in rows[0]}
    frame = module.DataFrame(columns) if library == "polars" else module.table(columns)
    report = load(store, operator(), "residents", frame, load_id=library, now=NOW, chunk_rows=2)
    assert report.accepted == 3
    assert {(i.row, i.field) for i in report.issues} >= {(5, "birth_date")}
    assert {i.row for i in report.issues} == {4, 5, 6}  # the second household, whole
