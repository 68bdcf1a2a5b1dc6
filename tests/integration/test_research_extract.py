"""Research extracts: pseudonymised, coarse, small cells safe (UU PDP 27/2022, test T10).

Thirty residents of Posyandu Mawar, Melati and Anggrek (Kota Bekasi) are extracted for
a stunting study. The file holds no NIK, name, full birth date or RT; the pseudonyms
are the same in two extracts of one project and unrelated in another project's; the
published table hides every count under 5 and enough others that none comes back.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
from datetime import date
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from sqlalchemy import select
from store_helpers import World

from spm_core.access import Actor, AreaScope, Purpose, Role
from spm_core.domain import KodeWilayah
from spm_core.errors import InvalidValue
from spm_core.privacy import incident_report, research_extract
from spm_core.store.tables import (
    DomicileRow,
    HouseholdRow,
    MembershipRow,
    PosyanduRow,
    RecordRow,
    ResidentRow,
)

KEY_A = "kunci-proyek-stunting-bekasi-2026"
KEY_B = "kunci-proyek-lain-sama-sekali-2026"
ON = date(2025, 6, 30)
RESEARCHER = Actor("peneliti-ui", Role.RESEARCHER, AreaScope(KodeWilayah("32.75")))


def _population(world: World) -> list[tuple[str, str, date]]:
    made = []
    for i in range(30):
        posyandu = ("mawar", "melati", "anggrek")[i % 3]
        birth = date(2020 + i % 5, 1 + i % 12, 1 + i % 27)
        resident = world.resident(
            posyandu, birth_date=birth, name=f"Anak Penelitian {i:02d}", sex="LP"[i % 2]
        )
        made.append((resident.nik or "", resident.name, birth))
    world.store.add_record(
        world.kader("mawar"),
        {
            "record_type": "uji.timbang",
            "resident_id": world.store.list_residents(world.kader("mawar"))[0].id,
            "observed_on": "2025-02-01",
            "value": {"weight_kg": 11.0},
        },
        Purpose.PELAYANAN,
        world.catalog,
    )
    return made


def test_the_extract_names_no_one(world: World, tmp_path: Path) -> None:
    people = _population(world)
    extract = research_extract(
        world.store,
        RESEARCHER,
        key=KEY_A,
        level="kelurahan",
        date_precision="month",
        on=ON,
        record_types=["uji.timbang"],
        project="stunting-2026",
    )
    assert len(extract.rows) == 30
    written = extract.write_csv(tmp_path / "x.csv").read_text(encoding="utf-8")
    parquet = pq.read_table(extract.write_parquet(tmp_path / "x.parquet")).to_pylist()
    assert len(parquet) == 30
    assert parquet[0].keys() == set(extract.columns)
    everything = written + repr(parquet)
    for nik, name, birth in people:
        assert nik not in everything
        assert name not in everything
        assert birth.isoformat() not in everything
    assert {"rt", "rw", "name", "nik"}.isdisjoint(next(csv.reader(written.splitlines())))
    assert {r.area for r in extract.rows} == {"32.75.01.1001", "32.75.01.1002"}
    assert {len(r.birth) for r in extract.rows} == {7}  # YYYY-MM
    assert sum(r.records[0][1] for r in extract.rows) == 1
    # HMAC-SHA-256 of the NIK under the project key.
    nik = people[0][0]
    expected = hmac.new(KEY_A.encode(), nik.encode(), hashlib.sha256).hexdigest()
    assert expected in {r.pseudonym for r in extract.rows}


def test_pseudonyms_are_stable_in_a_project_and_unrelated_across_projects(world: World) -> None:
    _population(world)
    first = research_extract(world.store, RESEARCHER, key=KEY_A, on=ON, date_precision="year")
    again = research_extract(world.store, RESEARCHER, key=KEY_A, on=ON, level="kecamatan")
    other = research_extract(world.store, RESEARCHER, key=KEY_B, on=ON)
    a = {r.pseudonym for r in first.rows}
    assert a == {r.pseudonym for r in again.rows}
    assert not a & {r.pseudonym for r in other.rows}
    assert {r.area for r in again.rows} == {"32.75.01"}
    assert {len(r.birth) for r in first.rows} == {4}


def test_the_published_table_hides_small_cells_recoverably_nowhere(world: World) -> None:
    _population(world)
    extract = research_extract(world.store, RESEARCHER, key=KEY_A, on=ON)
    published = extract.table("sex", threshold=5)
    rows = published.to_rows()
    # 1001 (Mawar + Melati) has 20 children, 1002 (Anggrek) 10: sexes split 10/10, 5/5.
    assert rows == [
        {"area": "32.75.01.1001", "L": 10, "P": 10, "total": 20},
        {"area": "32.75.01.1002", "L": 5, "P": 5, "total": 10},
        {"area": "total", "L": 15, "P": 15, "total": 30},
    ]
    strict = extract.table("sex", threshold=6)
    assert strict.table.cells[1] == (None, None)
    assert strict.table.cells[0] == (None, None)  # the complements: else 20 - 10 = 10 ...
    assert strict.table.row_totals == (20, 10)


def test_the_extract_is_logged_with_its_row_count_and_key_fingerprint(world: World) -> None:
    _population(world)
    research_extract(world.store, RESEARCHER, key=KEY_A, on=ON, project="stunting-2026")
    (line,) = world.store.list_audit(world.operator, action="extract")
    assert line.row_count == 30
    assert line.purpose == "penelitian"
    project, fingerprint = line.entity_id.split("#")
    assert project == "stunting-2026"
    assert KEY_A not in repr(line)
    found = incident_report(world.store, world.operator, key_fingerprint=fingerprint)
    assert [(e[1], e[3]) for e in found.extracts] == [(line.entity_id, 30)]


def test_other_roles_get_nothing_and_bad_requests_are_refused(world: World) -> None:
    _population(world)
    assert research_extract(world.store, world.kader("mawar"), key=KEY_A).rows == ()
    with pytest.raises(InvalidValue):
        research_extract(world.store, RESEARCHER, key="pendek")
    with pytest.raises(InvalidValue):
        research_extract(world.store, RESEARCHER, key=KEY_A, level="posyandu")
    with pytest.raises(InvalidValue):
        research_extract(world.store, RESEARCHER, key=KEY_A, date_precision="day")  # type: ignore[arg-type]


def _weigh(world: World, resident_id: str, posyandu: str, on: str, kg: float, note: str) -> None:
    world.store.add_record(
        world.kader(posyandu),
        {
            "record_type": "uji.timbang",
            "resident_id": resident_id,
            "observed_on": on,
            "value": {"weight_kg": kg, "note": note},
        },
        Purpose.PELAYANAN,
        world.catalog,
    )


def test_the_extract_carries_record_values_but_no_free_text(world: World) -> None:
    child = world.resident("mawar", birth_date=date(2023, 4, 20), name="Siti Aminah")
    _weigh(world, child.id, "mawar", "2025-02-03", 11.5, "Siti Aminah, Jl. Mawar 7, rewel")
    _weigh(world, child.id, "mawar", "2025-05-19", 12.25, "ibu: Dewi")
    timbang = world.catalog.record_type("uji.timbang")
    extract = research_extract(
        world.store,
        RESEARCHER,
        key=KEY_A,
        on=ON,
        record_types=[timbang, world.catalog.record_type("uji.air")],
    )
    (person,) = extract.rows
    assert extract.record_columns == (
        "pseudonym",
        "record_type",
        "observed",
        "age",
        "uji.timbang.weight_kg",
    )
    # Born 20 April 2023: 21 months old on 3 February 2025, 24 on 19 May.
    assert extract.value_records() == [
        {
            "pseudonym": person.pseudonym,
            "record_type": "uji.timbang",
            "observed": "2025-02",
            "age": 21,
            "uji.timbang.weight_kg": 11.5,
        },
        {
            "pseudonym": person.pseudonym,
            "record_type": "uji.timbang",
            "observed": "2025-05",
            "age": 24,
            "uji.timbang.weight_kg": 12.25,
        },
    ]
    assert extract.dropped == (("uji.air", "household"), ("uji.timbang.note", "free_text"))
    by_year = research_extract(
        world.store, RESEARCHER, key=KEY_A, on=ON, date_precision="year", record_types=[timbang]
    )
    assert [(r.observed, r.age) for r in by_year.record_rows] == [("2025", 1), ("2025", 2)]


def _identifiers(world: World) -> tuple[set[str], set[str]]:
    """Every identifying value in the store: long ones (searched inside any text) and
    short ones (RT/RW, matched against whole fields)."""
    long: set[str] = set()
    short: set[str] = set()
    tables = {
        ResidentRow: ("id", "nik", "name", "address", "birth_date"),
        HouseholdRow: ("id", "nomor_kk", "address"),
        DomicileRow: ("id",),
        MembershipRow: ("id", "household_id"),
        RecordRow: ("id", "idempotency_key", "value"),
        PosyanduRow: ("id", "name"),
    }
    with world.store._db.engine.connect() as connection:
        for table, columns in tables.items():
            for row in connection.execute(select(table.__table__)).mappings():
                for column in columns:
                    value = row[column]
                    if isinstance(value, dict):
                        long.update(str(v) for v in value.values() if isinstance(v, str))
                    elif value is not None:
                        long.add(value.isoformat() if isinstance(value, date) else str(value))
                for column in ("rt", "rw"):
                    if row.get(column):
                        short.add(str(row[column]))
    return long, short


def test_no_identifier_of_the_store_is_in_any_extract_file(world: World, tmp_path: Path) -> None:
    _population(world)
    kid = world.resident(
        "anggrek", birth_date=date(2022, 8, 9), name="Budi Santoso", address="Jl. Anggrek 3"
    )
    _weigh(world, kid.id, "anggrek", "2025-03-14", 13.0, "Budi Santoso, anak Bu Rini")
    world.household("anggrek", nomor_kk="3275010101250001", address="Jl. Anggrek 3")
    definitions = [world.catalog.record_type("uji.timbang")]
    extract = research_extract(world.store, RESEARCHER, key=KEY_A, on=ON, record_types=definitions)
    assert len(extract.record_rows) == 2
    written = [
        extract.write_csv(tmp_path / "x.csv").read_text(encoding="utf-8"),
        extract.write_records_csv(tmp_path / "r.csv").read_text(encoding="utf-8"),
    ]
    tables = [
        pq.read_table(extract.write_parquet(tmp_path / "x.parquet")).to_pylist(),
        pq.read_table(extract.write_records_parquet(tmp_path / "r.parquet")).to_pylist(),
    ]
    fields = {str(v) for rows in tables for row in rows for v in row.values()}
    fields |= {f for text in written for line in csv.reader(text.splitlines()) for f in line}
    everything = "\n".join(written) + repr(tables)
    long, short = _identifiers(world)
    assert len(long) > 100
    assert [value for value in sorted(long) if len(value) >= 6 and value in everything] == []
    assert fields.isdisjoint(short | long)
